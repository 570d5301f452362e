"""Writes of the measures workflow: assignments, completion forms, evidence, review, key projects.

Every service is keyword-only (except ``assignments_generate(plan)``, called by bootstrap), runs in
one transaction, checks the acting user's role (``areas/roles.py``) and records who did it and why
in the history tables (django-simple-history: ``_history_user`` and ``_change_reason``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import filetype
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_noop, pgettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from areas import selectors as area_selectors
from areas.history import history_stamp, source_language
from areas.models import Area
from areas.roles import is_bureau_staff
from targets.models import Plan
from targets.selectors import plans_for_years

from . import hooks
from .models import Assignment, Evidence, Measure, ReductionProject, ReviewState, Submission, evidence_upload_to
from .reporters import reports_on
from .workflow import RULES_BY_NAME, InvalidTransition, Transition, allowed_transitions, apply_transition

User = AbstractBaseUser | AnonymousUser

# Evidence types accepted, by the type ``filetype`` reads from the file's first bytes (magic numbers),
# never from its name: PDF, JPEG/PNG photos, Excel and Word (current and 97-2003 formats).
EVIDENCE_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
}


class EditConflict(ValidationError):
    """Someone else saved the record after this user opened it (optimistic locking)."""


# --------------------------------------------------------------------------- roles


def _staff_refusal(user: User) -> str | None:
    return None if is_bureau_staff(user) else gettext_now("只有市生态环境局工作人员可以执行此操作。")


def _reporter_refusal(user: User, area: Area, department_id: int | None = None) -> str | None:
    if reports_on(user, area, department_id):
        return None
    if department_id is not None:
        return gettext_now("只有该部门的填报人员可以填报。")
    return gettext_now("只有本县（市、区）的填报人员可以填报。")


def _refuse(refusal: str | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal)


def require_staff(user: User) -> None:
    """Refuse (PermissionDenied) anyone but bureau staff: the one check every measures service makes."""
    _refuse(_staff_refusal(user))


def require_reporter_of(user: User, area: Area, department_id: int | None = None) -> None:
    """Refuse anyone but those who fill in the forms of ``area`` (or of ``department_id`` there):
    measures.reporters.reports_on."""
    _refuse(_reporter_refusal(user, area, department_id))


# --------------------------------------------------------------------------- assignments


@transaction.atomic
def assignments_generate(plan: Plan) -> int:
    """Assign every measure of ``plan`` to the areas it applies to; returns how many were created.

    Every assessment unit (the counties and the functional zones) when ``Measure.applies_to_all_areas``,
    else the measure's own areas (which may be the city itself for city-level duties); a city statistic is
    the city's too. Each of the measure's reporting departments reports on it city-wide (an assignment to
    the city with that department).
    Each area's target is ``Measure.target_for`` (none for a share the bureau has not set yet).
    Idempotent: existing assignments, and the deadlines and shares the bureau set on them, are left as
    they are.
    """
    measures = list(
        Measure.objects.filter(section__chapter__plan=plan)
        .select_related("plan")
        .prefetch_related("areas", "departments", "reporting_departments")
        .order_by("pk")
    )
    units = area_selectors.assessment_units()
    city = Area.objects.filter(pk=plan.area_id).first()
    existing = set(
        Assignment.objects.filter(measure__in=measures).values_list("measure_id", "area_id", "department_id")
    )
    new: list[Assignment] = []
    for measure in measures:
        areas = units if measure.applies_to_all_areas else list(measure.areas.all())
        if measure.target_basis == Measure.TargetBasis.CITY_STATISTIC and city is not None and city not in areas:
            areas = [city, *areas]
        wanted = [(area, None) for area in areas]
        if city is not None:
            wanted += [(city, department) for department in measure.reporting_departments.all()]
        for area, department in wanted:
            if (measure.pk, area.pk, department.pk if department else None) in existing:
                continue
            new.append(measure.new_assignment(area, department))
    if not new:
        return 0
    created = bulk_create_with_history(new, Assignment, default_change_reason=gettext_noop("按行动计划生成"))
    # bulk_create_with_history returns objects with primary keys on every supported database.
    by_key = {(a.measure_id, a.area_id, a.department_id): a for a in Assignment.objects.filter(measure__in=measures)}
    departments = {m.pk: [d.pk for d in m.departments.all()] for m in measures}
    through = Assignment.lead_departments.through
    through.objects.bulk_create(
        [
            through(assignment_id=by_key[(a.measure_id, a.area_id, a.department_id)].pk, department_id=dept_id)
            for a in created
            for dept_id in departments[a.measure_id]
        ],
        ignore_conflicts=True,
    )
    return len(created)


@transaction.atomic
def assignment_refine_deadline(*, assignment: Assignment, deadline: date, reason: str, user: User) -> Assignment:
    """The bureau refines the plan's deadline for one area; the reason is mandatory and recorded."""
    require_staff(user)
    if not reason.strip():
        raise ValidationError({"reason": gettext_now("调整完成时限必须填写理由。")})
    assignment = Assignment.objects.select_for_update().select_related("measure").get(pk=assignment.pk)
    if assignment.measure.report_period != Measure.ReportPeriod.ONCE:
        raise ValidationError(
            {"deadline": gettext_now("该任务按填报期逐期到期（截止规则在措施上设定），没有单一的完成时限可调整。")}
        )
    assignment.deadline = deadline
    assignment.deadline_reason = reason.strip()
    assignment.full_clean()
    history_stamp(assignment, user, gettext_noop("调整完成时限：%(reason)s") % {"reason": reason.strip()})
    assignment.save()
    return assignment


@transaction.atomic
def measure_shares_set(*, measure: Measure, shares: dict[str, Decimal | None], reason: str, user: User) -> int:
    """The bureau splits a city total (or sets each area's own target of a city rate): ``shares`` maps area
    codes to the area's target (None: not set). All or nothing: every error names its area; each changed
    assignment is recorded with ``reason``. Returns how many assignments changed."""
    require_staff(user)
    if not measure.is_split_by_bureau:
        raise ValidationError(gettext_now("该措施的区域目标由规划确定，不由市局分解。"))
    if measure.plan.status == Plan.Status.CLOSED:
        raise ValidationError(gettext_now("该措施所属规划已收官，不再调整份额。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext_now("确定份额必须填写理由。")})
    assignments = {
        a.area.code: a
        for a in Assignment.objects.select_for_update()
        .filter(measure=measure, department__isnull=True)
        .select_related("area")
        if not a.area.is_city
    }
    low, high = progress_bounds(measure.unit)
    errors: dict[str, str] = {}
    for code, value in shares.items():
        if code not in assignments:
            errors[f"share_{code}"] = gettext_now("该措施未分解到区域 %(code)s。") % {"code": code}
        elif value is not None and (value < low or (high is not None and value > high)):
            errors[f"share_{code}"] = gettext_now("%(area)s：份额须在 %(low)s 到 %(high)s 之间（单位：%(unit)s）。") % {
                "area": assignments[code].area.name,
                "low": low,
                "high": high if high is not None else "∞",
                "unit": measure.unit,
            }
    if errors:
        raise ValidationError(errors)
    changed = [assignments[code] for code, value in shares.items() if assignments[code].target_quantity != value]
    for assignment in changed:
        assignment.target_quantity = shares[assignment.area.code]
        history_stamp(assignment, user, gettext_noop("确定份额：%(reason)s") % {"reason": reason})
    bulk_update_with_history(changed, Assignment, ["target_quantity"])
    return len(changed)


# --------------------------------------------------------------------------- form values


def progress_bounds(unit: str) -> tuple[Decimal, Decimal | None]:
    """Allowed range of a progress value in ``unit``: percentages 0-100, everything else (t, counts) >= 0."""
    if "%" in unit or "％" in unit or "百分" in unit:
        return Decimal(0), Decimal(100)
    return Decimal(0), None


def check_progress(value: Decimal | None, unit: str) -> None:
    if value is None:
        return
    low, high = progress_bounds(unit)
    if value < low:
        raise ValidationError(
            {"progress_value": gettext_now("进展数值不能为负数（单位：%(unit)s）。") % {"unit": unit or "—"}}
        )
    if high is not None and value > high:
        raise ValidationError(
            {"progress_value": gettext_now("百分比不能超过 100（填写的是 %(value)s）。") % {"value": value}}
        )


PERIOD_PATTERNS = {
    Measure.ReportPeriod.ONCE: re.compile(r"^$"),
    Measure.ReportPeriod.MONTH: re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$"),
    Measure.ReportPeriod.YEAR: re.compile(r"^(20\d\d)$"),
}


def check_period(period: str, measure: Measure, *, today: date) -> str:
    """The normalised reporting period for ``measure``: '' (once), 'YYYY-MM' (month) or 'YYYY' (year)."""
    period = period.strip()
    kind = Measure.ReportPeriod(measure.report_period)
    if not PERIOD_PATTERNS[kind].match(period):
        messages = {
            Measure.ReportPeriod.ONCE: gettext_now("一次性任务不分填报期，请留空。"),
            Measure.ReportPeriod.MONTH: gettext_now("按月填报，请按 YYYY-MM 填写月份，例如 2024-03。"),
            Measure.ReportPeriod.YEAR: gettext_now("按年填报，请按 YYYY 填写年份，例如 2024。"),
        }
        raise ValidationError({"period": messages[kind]})
    if period and period > today.strftime("%Y-%m" if kind == Measure.ReportPeriod.MONTH else "%Y"):
        raise ValidationError({"period": gettext_now("不能填报尚未到来的 %(period)s。") % {"period": period}})
    owed = measure.owed_periods()
    if period and period not in {p.key for p in owed}:
        raise ValidationError(
            {
                "period": gettext_now("%(period)s 不在本措施的填报期内（%(first)s 至 %(last)s）。")
                % {"period": period, "first": owed[0].key, "last": owed[-1].key}
            }
        )
    return period


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    extension: str
    sha256: str


def evidence_check(upload: UploadedFile) -> CheckedFile:
    """Read and check one uploaded file; raises ValidationError naming the file and the reason."""
    name = (upload.name or "").rsplit("/", 1)[-1][:255]
    limit = settings.MEASURES_EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            gettext_now("“%(name)s”太大（%(size).1f MB），单个文件不能超过 %(limit).0f MB。")
            % {"name": name, "size": upload.size / 1048576, "limit": limit / 1048576}
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            gettext_now("“%(name)s”太大，单个文件不能超过 %(limit).0f MB。") % {"name": name, "limit": limit / 1048576}
        )
    if not content:
        raise ValidationError(gettext_now("“%(name)s”是空文件，未上传。") % {"name": name})
    kind = filetype.guess(content[:8192])
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise ValidationError(
            gettext_now(
                "“%(name)s”不是允许的文件类型（按文件内容识别为：%(found)s）。"
                "佐证材料只接受 PDF、JPEG/PNG 图片、Excel 和 Word 文件。"
            )
            % {"name": name, "found": kind.mime if kind else gettext_now("无法识别")}
        )
    return CheckedFile(
        name=name,
        content=content,
        content_type=kind.mime,
        extension=EVIDENCE_TYPES[kind.mime],
        sha256=hashlib.sha256(content).hexdigest(),
    )


@contextmanager
def _new_evidence_files() -> Iterator[list[Evidence]]:
    """Evidence files are on disk before the transaction commits. The block's newly written files go into
    the list it yields; if the block fails (its rows then roll back), they are removed too, so a refused save
    leaves no file behind (a file stored before, which other forms use, is never in the list: see
    ``_stored_intact``). A process killed between the write and the commit leaves its file unused:
    ``evidence_orphans_remove`` clears such files."""
    written: list[Evidence] = []
    try:
        yield written
    except BaseException:
        for evidence in written:
            evidence.file.delete(save=False)
        raise


def _evidence_store(
    *, owner: Submission | ReductionProject, files: list[CheckedFile], user: User, written: list[Evidence]
) -> None:
    """Write the files and their rows, each file into ``written`` as soon as it is on disk."""
    for checked in files:
        evidence = Evidence(
            original_name=checked.name,
            content_type=checked.content_type,
            extension=checked.extension,
            size=len(checked.content),
            sha256=checked.sha256,
            uploaded_by=user,
            **({"submission": owner} if isinstance(owner, Submission) else {"project": owner}),
        )
        if _stored_intact(evidence, checked):
            evidence.file.name = evidence_upload_to(evidence, "")  # the same content is stored once
        else:
            evidence.file.save(evidence_upload_name(checked), ContentFile(checked.content), save=False)
            written.append(evidence)
        evidence.full_clean()
        history_stamp(evidence, user, gettext_noop("上传佐证材料"))
        evidence.save()


def _stored_intact(evidence: Evidence, checked: CheckedFile) -> bool:
    """Whether a file of this content is stored already, whole, at the content's name (files are named by
    their checksum). A file left broken by a process killed while writing it is removed, to be written anew."""
    storage, name = evidence.file.storage, evidence_upload_to(evidence, "")
    if not storage.exists(name):
        return False
    with storage.open(name, "rb") as handle:
        if hashlib.sha256(handle.read(len(checked.content) + 1)).hexdigest() == checked.sha256:
            return True
    if not Evidence.objects.filter(file=name).exists():
        storage.delete(name)
    return False


def evidence_orphans_remove(*, older_than: timedelta = timedelta(days=1)) -> list[str]:
    """Remove evidence files no row refers to (a process killed between writing a file and committing its
    row), once they are older than ``older_than`` (a save in progress has its file written before its row);
    returns their names. The daily beat job ``measures.tasks.evidence_orphans_remove`` runs it."""
    storage = Evidence._meta.get_field("file").storage
    used = set(Evidence.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed: list[str] = []
    if not storage.exists("evidence"):
        return removed
    for folder in storage.listdir("evidence")[0]:
        for name in storage.listdir(f"evidence/{folder}")[1]:
            path = f"evidence/{folder}/{name}"
            if path not in used and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed.append(path)
    return removed


def evidence_upload_name(checked: CheckedFile) -> str:
    return f"{checked.sha256}.{checked.extension}"


# --------------------------------------------------------------------------- snapshots


def plain_number(value: Decimal | None) -> str | None:
    """A decimal as people write it: 40, 12.5 (never 4E+1)."""
    return None if value is None else format(value.normalize(), "f")


def _evidence_labels(owner: Submission | ReductionProject) -> list[str]:
    return sorted(f"{e.original_name} ({e.sha256[:12]})" for e in owner.evidence.all())


def submission_snapshot(submission: Submission) -> dict[str, Any]:
    """The reviewable content of a completion form, as the diff shows it."""
    return {
        "period": submission.period,
        "work_status": submission.work_status,
        "progress_value": plain_number(submission.progress_value),
        "narrative": submission.narrative,
        "completed_on": submission.completed_on.isoformat() if submission.completed_on else None,
        "evidence": _evidence_labels(submission),
    }


def project_snapshot(project: ReductionProject) -> dict[str, Any]:
    return {
        "name": project.name,
        "enterprise": project.enterprise,
        "pollutant": project.pollutant,
        "expected_tonnes": plain_number(project.expected_tonnes),
        "planned_completion": project.planned_completion.isoformat(),
        "verified_tonnes": plain_number(project.verified_tonnes),
        "verified_on": project.verified_on.isoformat() if project.verified_on else None,
        "effective_on": project.effective_on.isoformat() if project.effective_on else None,
        "narrative": project.narrative,
        "evidence": _evidence_labels(project),
    }


def snapshot_of(record: Submission | ReductionProject) -> dict[str, Any]:
    return submission_snapshot(record) if isinstance(record, Submission) else project_snapshot(record)


# --------------------------------------------------------------------------- completion forms


@dataclass(frozen=True)
class SubmissionData:
    work_status: str
    progress_value: Decimal | None
    narrative: str
    completed_on: date | None = None
    """When the work was actually done (from its evidence): "on time" is judged by it."""


def check_completed_on(data: SubmissionData, *, today: date) -> None:
    if data.completed_on is None:
        return
    if data.work_status != Submission.WorkStatus.DONE:
        raise ValidationError({"completed_on": gettext_now("只有“已完成”的工作才填写完成日期。")})
    if data.completed_on > today:
        raise ValidationError(
            {"completed_on": gettext_now("完成日期不能晚于今天（%(today)s）。") % {"today": today.isoformat()}}
        )


def _check_version(record: Submission | ReductionProject, expected_version: int | None) -> None:
    """An edit names the version it was made on, so that it never overwrites a newer save unseen."""
    if expected_version is None:
        raise ValidationError(
            {"version": gettext_now("修改时必须附带所修改的版本号（页面上的隐藏字段 version）；请重新打开后再修改。")},
            code="version_missing",
        )
    if record.version != expected_version:
        who = record.history.first()
        name = who.history_user.get_username() if who and who.history_user else gettext_now("他人")
        raise EditConflict(
            gettext_now(
                "保存冲突：您打开后，%(who)s 已于 %(when)s 保存了新的版本（第 %(version)s 版）。"
                "您的修改没有保存，请重新打开后再修改。"
            )
            % {
                "who": name,
                "when": timezone.localtime(record.updated_at).strftime("%Y-%m-%d %H:%M"),
                "version": record.version,
            },
            code="conflict",
        )


@transaction.atomic
def submission_save(
    *,
    assignment: Assignment,
    user: User,
    data: SubmissionData,
    period: str = "",
    files: list[UploadedFile] | None = None,
    submission: Submission | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    submit: bool = False,
) -> Submission:
    """Create or update a draft completion form (with new evidence), and with ``submit`` hand it in for review:
    one transaction, so nothing is stored if anything is wrong, the submit included ("save and submit")."""
    require_reporter_of(user, assignment.area, assignment.department_id)
    measure = assignment.measure
    if measure.plan.status == Plan.Status.CLOSED:
        raise ValidationError(gettext_now("该任务所属规划已收官，不再接受填报。"))
    check_progress(data.progress_value, assignment.measure.unit)
    check_completed_on(data, today=today or timezone.localdate())
    checked = [evidence_check(f) for f in files or []]
    if submission is None:
        period = check_period(period, measure, today=today or timezone.localdate())
        if Submission.objects.filter(assignment=assignment, period=period).exists():
            raise ValidationError({"period": gettext_now("该填报期已有填报，请打开原填报修改。")})
        submission = Submission(assignment=assignment, period=period, created_by=user)
        reason = gettext_noop("新建草稿")
    else:
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.assignment_id != assignment.pk:
            raise ValidationError(gettext_now("填报与任务不对应。"))
        _check_version(submission, expected_version)
        if not submission.is_editable:
            raise ValidationError(
                gettext_now("“%(state)s”状态的填报不能修改。") % {"state": submission.get_state_display()},
                code="locked",
            )
        submission.version += 1
        reason = gettext_noop("保存草稿")
    submission.work_status = data.work_status
    submission.progress_value = data.progress_value
    submission.narrative = data.narrative.strip()
    submission.completed_on = data.completed_on
    submission.full_clean()
    history_stamp(submission, user, reason)
    submission.save()
    with _new_evidence_files() as written:
        _evidence_store(owner=submission, files=checked, user=user, written=written)
        if submit:
            return submission_submit(submission=submission, user=user)
    return submission


def _lacks_completion_date(submission: Submission) -> bool:
    """Done one-off work handed in without the date it was done ("on time" is judged by that date)."""
    return (
        submission.work_status == Submission.WorkStatus.DONE
        and submission.completed_on is None
        and submission.assignment.measure.report_period == Measure.ReportPeriod.ONCE
    )


# Lazy: this table is built at import time, and each message must be in the language of the request.
TRANSITION_MESSAGES = {
    Transition.SUBMIT: pgettext_lazy("review action", "提交"),
    Transition.APPROVE: pgettext_lazy("review action", "审核通过"),
    Transition.RETURN: pgettext_lazy("review action", "退回"),
    Transition.REOPEN: pgettext_lazy("review action", "重新打开"),
}


def _refusal(user: User, record: Submission | ReductionProject, transition: Transition) -> str | None:
    """Why ``user`` may not take ``transition`` on ``record``, or None when they may. Its reporters (the
    area's, or the department's for a department's assignment) hand in; bureau staff review, never a form
    they handed in themselves (four eyes: staff fill the city's own forms, and another member of staff
    reviews them)."""
    if not RULES_BY_NAME[transition].by_reviewer:
        if isinstance(record, Submission):
            return _reporter_refusal(user, record.assignment.area, record.assignment.department_id)
        return _reporter_refusal(user, record.area)
    if (refusal := _staff_refusal(user)) is not None:
        return refusal
    if transition in (Transition.APPROVE, Transition.RETURN) and record.submitted_by_id == user.pk:
        return gettext_now("不能审核自己提交的填报，请由其他工作人员审核。")
    return None


def transitions_for(user: User, record: Submission | ReductionProject) -> list[Transition]:
    """The review actions ``user`` may take on ``record`` now: what its state allows and they may do."""
    return [t for t in allowed_transitions(record.state) if _refusal(user, record, t) is None]


def _done_short_of_target(submission: Submission) -> str | None:
    """Why a form marked done may not be handed in as it is: its value is short of the area's target and it
    says nothing of why. A form may be done below target (the work ended, the target moved), but the
    reviewer must read the reason."""
    measure = submission.assignment.measure
    if measure.report_period != Measure.ReportPeriod.ONCE:
        return None  # a monthly or yearly report's value past a limit is a finding, not work left undone
    if submission.work_status != Submission.WorkStatus.DONE or not submission.short_of_target:
        return None
    if submission.narrative.strip():
        return None
    return str(
        gettext_now(
            "标为“已完成”但进展数值 %(value)s 未达到目标（%(comparison)s %(target)s%(unit)s）："
            "请在工作进展说明中写明原因后再提交。"
        )
        % {
            "value": plain_number(submission.progress_value),
            "comparison": measure.get_comparison_display(),
            "target": plain_number(submission.assignment.target_quantity),
            "unit": measure.localized_unit,
        }
    )


def _transition(
    *, record: Submission | ReductionProject, transition: Transition, user: User, reason: str
) -> Submission | ReductionProject:
    model = type(record)
    record = model.objects.select_for_update().get(pk=record.pk)
    try:
        rule = apply_transition(record.state, transition, reason=reason)
    except InvalidTransition as exc:
        if "reason" in str(exc):
            raise ValidationError(
                {"reason": gettext_now("%(action)s必须填写理由。") % {"action": TRANSITION_MESSAGES[transition]}}
            ) from exc
        raise ValidationError(
            gettext_now("当前状态为“%(state)s”，不能%(action)s。")
            % {"state": ReviewState(record.state).label, "action": TRANSITION_MESSAGES[transition]},
            code="invalid_transition",
        ) from exc
    _refuse(_refusal(user, record, transition))
    now = timezone.now()
    reason = reason.strip()
    if transition is Transition.SUBMIT:
        if isinstance(record, ReductionProject) and record.verified_tonnes is None:
            raise ValidationError(
                {"verified_tonnes": gettext_now("提交审核前请填写核定减排量、核定日期和减排生效日期。")}
            )
        if isinstance(record, Submission) and _lacks_completion_date(record):
            raise ValidationError(
                {"completed_on": gettext_now("提交“已完成”的一次性任务前请填写完成日期（以佐证材料为准）。")}
            )
        if isinstance(record, Submission) and (shortfall := _done_short_of_target(record)) is not None:
            raise ValidationError({"narrative": shortfall})
        record.submitted_at, record.submitted_by = now, user
    elif transition is Transition.APPROVE:
        record.reviewed_at, record.reviewed_by = now, user
        record.approved_snapshot = snapshot_of(record)
    elif transition is Transition.RETURN:
        record.reviewed_at, record.reviewed_by = now, user
        record.return_reason = reason
        record.returned_snapshot = snapshot_of(record)
    elif transition is Transition.REOPEN:
        record.reopen_reason = reason
    record.state = rule.target.value
    record.version += 1
    record.full_clean()
    with source_language():
        label = str(TRANSITION_MESSAGES[transition])
    history_stamp(record, user, f"{label}：{reason}" if reason else label)
    record.save()
    if transition in (Transition.APPROVE, Transition.REOPEN):
        # The public page's count of completed measures and the reduction totals change.
        transaction.on_commit(lambda: hooks.completion_changed.send(sender=__name__))
    return record


@transaction.atomic
def submission_transition(
    *, submission: Submission, transition: Transition, user: User, reason: str = ""
) -> Submission:
    """Apply a named transition (submit / approve / return / reopen) to a completion form."""
    result = _transition(record=submission, transition=transition, user=user, reason=reason)
    assert isinstance(result, Submission)
    return result


def submission_submit(*, submission: Submission, user: User) -> Submission:
    return submission_transition(submission=submission, transition=Transition.SUBMIT, user=user)


def submission_approve(*, submission: Submission, user: User) -> Submission:
    return submission_transition(submission=submission, transition=Transition.APPROVE, user=user)


def submission_return(*, submission: Submission, user: User, reason: str) -> Submission:
    return submission_transition(submission=submission, transition=Transition.RETURN, user=user, reason=reason)


def submission_reopen(*, submission: Submission, user: User, reason: str) -> Submission:
    return submission_transition(submission=submission, transition=Transition.REOPEN, user=user, reason=reason)


# --------------------------------------------------------------------------- key projects


@dataclass(frozen=True)
class ProjectData:
    name: str
    enterprise: str
    pollutant: str
    expected_tonnes: Decimal
    planned_completion: date
    verified_tonnes: Decimal | None = None
    verified_on: date | None = None
    effective_on: date | None = None
    narrative: str = ""


@transaction.atomic
def project_save(
    *,
    user: User,
    data: ProjectData,
    area: Area | None = None,
    project: ReductionProject | None = None,
    files: list[UploadedFile] | None = None,
    expected_version: int | None = None,
    submit: bool = False,
) -> ReductionProject:
    """Register a key emission-reduction project or update it (and report its verified tonnes), and with
    ``submit`` hand it in for review, in one transaction ("save and submit")."""
    checked = [evidence_check(f) for f in files or []]
    if project is None:
        if area is None:
            raise ValidationError(gettext_now("请指定所属区域。"))
        require_reporter_of(user, area)
        plan = plans_for_years([data.planned_completion.year])[data.planned_completion.year]
        if plan is None:
            raise ValidationError(
                {
                    "planned_completion": gettext_now("%(year)s 年没有适用的规划，工程无法计入。")
                    % {"year": data.planned_completion.year}
                }
            )
        project = ReductionProject(plan=plan, area=area, created_by=user)
        reason = gettext_noop("登记重点工程")
    else:
        require_reporter_of(user, project.area)
        project = ReductionProject.objects.select_for_update().get(pk=project.pk)
        _check_version(project, expected_version)
        if not project.is_editable:
            raise ValidationError(
                gettext_now("“%(state)s”状态的工程不能修改。") % {"state": project.get_state_display()}, code="locked"
            )
        project.version += 1
        reason = gettext_noop("修改重点工程")
    for field in (
        "name",
        "enterprise",
        "pollutant",
        "expected_tonnes",
        "planned_completion",
        "verified_tonnes",
        "verified_on",
        "effective_on",
    ):
        setattr(project, field, getattr(data, field))
    project.name, project.enterprise = project.name.strip(), project.enterprise.strip()
    project.narrative = data.narrative.strip()
    verified = {project.verified_tonnes is None, project.verified_on is None, project.effective_on is None}
    if len(verified) > 1:
        raise ValidationError({"verified_on": gettext_now("核定减排量、核定日期和减排生效日期须同时填写。")})
    plan = project.plan
    if project.effective_on is not None and not plan.start_year <= project.effective_on.year <= plan.end_year:
        raise ValidationError(
            {
                "effective_on": gettext_now(
                    "减排生效日期须在规划期内（%(start)s-%(end)s 年）：规划期外生效的减排不计入本规划。"
                )
                % {"start": plan.start_year, "end": plan.end_year}
            }
        )
    for field in ("expected_tonnes", "verified_tonnes"):
        value = getattr(project, field)
        if value is not None and value < 0:
            raise ValidationError({field: gettext_now("减排量不能为负数。")})
    project.full_clean()
    history_stamp(project, user, reason)
    project.save()
    with _new_evidence_files() as written:
        _evidence_store(owner=project, files=checked, user=user, written=written)
        if submit:
            return project_transition(project=project, transition=Transition.SUBMIT, user=user)
    return project


@transaction.atomic
def project_transition(
    *, project: ReductionProject, transition: Transition, user: User, reason: str = ""
) -> ReductionProject:
    result = _transition(record=project, transition=transition, user=user, reason=reason)
    assert isinstance(result, ReductionProject)
    return result
