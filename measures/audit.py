"""The unified audit trail for bureau staff: who changed what, when and why.

Reads the django-simple-history tables of assignments, completion forms, evidence, key projects
and measures (this app) and of targets and yearly milestones (the targets app), and turns them
into one list of entries with the changed fields, newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.exports import Table
from areas.localization import localized
from areas.models import Area
from targets.models import Milestone, Target

from .models import Assignment, Evidence, Measure, ReductionProject, Submission

# Bookkeeping fields that change with every save and say nothing by themselves.
IGNORED_FIELDS = {"updated_at", "version", "returned_snapshot", "approved_snapshot", "created_at", "uploaded_at", "id"}

ACTIONS = {"+": _("创建"), "~": _("修改"), "-": _("删除")}


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    kind: str
    kind_label: str
    object_id: int
    label: str
    area: str
    action: str
    changes: list[str]
    reason: str


@dataclass(frozen=True)
class AuditFilters:
    kind: str = ""
    user: str = ""
    area: str = ""
    start: date | None = None
    end: date | None = None


def _label_assignment(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    measure = ctx["measures"].get(row.measure_id)
    return f"{measure.code if measure else row.measure_id}", row.area_id


def _label_submission(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    measure_id, area_id = ctx["assignments"].get(row.assignment_id, (None, None))
    measure = ctx["measures"].get(measure_id)
    return f"{measure.code if measure else '?'} {row.period}".strip(), area_id


def _label_evidence(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    if row.submission_id:
        return row.original_name, ctx["submission_areas"].get(row.submission_id)
    return row.original_name, ctx["project_areas"].get(row.project_id)


def _label_project(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    return row.name, row.area_id


def _label_measure(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    return f"{row.code} {localized(row, 'title')}", None


def _label_target(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    return f"{ctx['indicators'].get(row.indicator_id, row.indicator_id)} {row.target_year}", row.area_id


def _label_milestone(row: Any, ctx: dict[str, Any]) -> tuple[str, int | None]:
    label, area_id = ctx["targets"].get(row.target_id, (str(row.target_id), None))
    return f"{label} · {row.year}", area_id


Labeller = Callable[[Any, dict[str, Any]], tuple[str, int | None]]

SOURCES: dict[str, tuple[type[Model], Any, Labeller]] = {
    "assignment": (Assignment, _("任务分解"), _label_assignment),
    "submission": (Submission, _("完成情况填报"), _label_submission),
    "evidence": (Evidence, _("佐证材料"), _label_evidence),
    "project": (ReductionProject, _("重点减排工程"), _label_project),
    "measure": (Measure, _("任务措施"), _label_measure),
    "target": (Target, _("目标"), _label_target),
    "milestone": (Milestone, _("年度目标"), _label_milestone),
}


def _context() -> dict[str, Any]:
    from targets.models import Indicator

    indicators = {i.pk: i.localized_name for i in Indicator.objects.only("id", "name", "name_en")}
    return {
        "measures": {m.pk: m for m in Measure.objects.only("id", "code")},
        "assignments": {
            a["id"]: (a["measure_id"], a["area_id"]) for a in Assignment.objects.values("id", "measure_id", "area_id")
        },
        "submission_areas": dict(Submission.objects.values_list("id", "assignment__area_id")),
        "project_areas": dict(ReductionProject.objects.values_list("id", "area_id")),
        "indicators": indicators,
        "targets": {
            t["id"]: (f"{indicators.get(t['indicator_id'], t['indicator_id'])} {t['target_year']}", t["area_id"])
            for t in Target.objects.values("id", "indicator_id", "target_year", "area_id")
        },
        "areas": {a.pk: a for a in Area.objects.all()},
        "related": {},  # (model label, pk) -> what a changed reference shows, read once
    }


def _shown(field: Field[Any, Any], value: Any, ctx: dict[str, Any]) -> str:
    """A changed value as a reader knows it: a choice's label, a referenced object's name (a user's full
    name or login), a time in China time, yes / no; never a bare id or code."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        return _related_name(field.related_model, value, ctx)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


def _related_name(model: Any, pk: Any, ctx: dict[str, Any]) -> str:
    key = (model._meta.label, pk)
    if key not in ctx["related"]:
        related = model._default_manager.filter(pk=pk).first()
        if related is None:
            ctx["related"][key] = f"#{pk}"
        elif hasattr(related, "get_username"):
            ctx["related"][key] = related.get_full_name() or related.get_username()
        elif hasattr(related, "localized_name"):
            ctx["related"][key] = related.localized_name
        else:
            ctx["related"][key] = str(related)
    return str(ctx["related"][key])


def _entries_for(kind: str, ctx: dict[str, Any], filters: AuditFilters) -> Iterable[AuditEntry]:
    model, kind_label, labeller = SOURCES[kind]
    history = model.history.model  # type: ignore[attr-defined]
    fields = [
        f for f in model._meta.concrete_fields if f.attname not in IGNORED_FIELDS and f.name not in IGNORED_FIELDS
    ]
    rows = history.objects.select_related("history_user").order_by("id", "history_date", "history_id")
    previous: dict[int, Any] = {}
    for row in rows:
        before = previous.get(row.id)
        previous[row.id] = row
        label, area_id = labeller(row, ctx)
        area = ctx["areas"].get(area_id)
        who = row.history_user.get_username() if row.history_user else ""
        if filters.user and who != filters.user:
            continue
        if filters.area and (area is None or area.code != filters.area):
            continue
        local_day = timezone.localdate(row.history_date)
        if (filters.start and local_day < filters.start) or (filters.end and local_day > filters.end):
            continue
        changes = []
        if before is not None:
            for field in fields:
                old, new = getattr(before, field.attname), getattr(row, field.attname)
                if old != new:
                    changes.append(f"{field.verbose_name}: {_shown(field, old, ctx)} → {_shown(field, new, ctx)}")
        yield AuditEntry(
            when=row.history_date,
            who=who,
            kind=kind,
            kind_label=str(kind_label),
            object_id=row.id,
            label=label,
            area=area.localized_name if area else "",
            action=str(ACTIONS.get(row.history_type, row.history_type)),
            changes=changes,
            reason=row.history_change_reason or "",
        )


def audit_entries(filters: AuditFilters) -> list[AuditEntry]:
    """Audit entries newest first, filtered (the page shows them a hundred at a time, exports take all)."""
    ctx = _context()
    kinds = [filters.kind] if filters.kind in SOURCES else list(SOURCES)
    entries = [entry for kind in kinds for entry in _entries_for(kind, ctx, filters)]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


EXPORT_HEADER = [_("时间"), _("操作人"), _("对象类型"), _("对象"), _("区域"), _("操作"), _("改动"), _("理由")]


def _export_rows(entries: list[AuditEntry]) -> Iterable[list[str]]:
    for e in entries:
        yield [
            timezone.localtime(e.when).strftime("%Y-%m-%d %H:%M:%S"),
            e.who,
            e.kind_label,
            e.label,
            e.area,
            e.action,
            "；".join(e.changes),
            e.reason,
        ]


def audit_table(entries: list[AuditEntry]) -> Table:
    """The audit entries as a table to download (areas.exports)."""
    return Table(
        header=[str(h) for h in EXPORT_HEADER], rows=list(_export_rows(entries)), sheet_name=str(_("审计记录"))
    )
