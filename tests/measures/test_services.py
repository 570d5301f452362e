"""Services of the measures workflow: assignments, drafts, evidence, transitions and their audit."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from measures import services
from measures.models import Assignment, Evidence, Submission
from measures.services import SubmissionData
from tests.factories import AssignmentFactory, MeasureFactory, SectionFactory, area_by_code, city_area
from tests.measures.conftest import PDF_BYTES, pdf, png

# These tests build their own small world with factories, on a database without the preloaded plan.
pytestmark = pytest.mark.usefixtures("no_plan")

DATA = SubmissionData(work_status="in_progress", progress_value=Decimal("40"), narrative="已完成 40%。")


def draft(assignment, user, **kwargs):
    return services.submission_save(assignment=assignment, user=user, data=DATA, **kwargs)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --------------------------------------------------------------------------- assignments


def test_assignments_generate_covers_all_counties_or_the_named_areas_idempotently(db):
    counties = [area_by_code(code) for code in ("371502", "371581", "371521")]
    city = city_area()
    section = SectionFactory()
    plan = section.chapter.plan
    everywhere = MeasureFactory(section=section, deadline=date(2025, 12, 31), quantity=Decimal(95), unit="%")
    city_only = MeasureFactory(section=section, applies_to_all_areas=False)
    city_only.areas.set([city])
    dept = everywhere.departments.create(name="市生态环境局")

    assert services.assignments_generate(plan) == len(counties) + 1
    assert services.assignments_generate(plan) == 0

    spread = Assignment.objects.filter(measure=everywhere)
    assert {a.area.code for a in spread} == {c.code for c in counties}
    assert all(a.deadline == date(2025, 12, 31) and a.target_quantity == Decimal(95) for a in spread)
    assert all(list(a.lead_departments.all()) == [dept] for a in spread)
    assert Assignment.objects.get(measure=city_only).area == city
    assert Assignment.history.filter(history_type="+").count() == len(counties) + 1


def test_refined_deadline_is_recorded_with_reason_and_kept_by_regeneration(assignment_a, bureau):
    services.assignment_refine_deadline(
        assignment=assignment_a, deadline=date(2024, 9, 30), reason="省厅延期通知", user=bureau
    )
    assignment_a.refresh_from_db()
    assert assignment_a.deadline == date(2024, 9, 30)
    record = assignment_a.history.first()
    assert record.history_user == bureau
    assert "省厅延期通知" in record.history_change_reason
    services.assignments_generate(assignment_a.measure.section.chapter.plan)
    assignment_a.refresh_from_db()
    assert assignment_a.deadline == date(2024, 9, 30)


def test_refining_a_deadline_needs_a_reason_and_bureau_staff(assignment_a, bureau, official_a):
    with pytest.raises(ValidationError, match="理由"):
        services.assignment_refine_deadline(
            assignment=assignment_a, deadline=date(2024, 9, 30), reason=" ", user=bureau
        )
    with pytest.raises(PermissionDenied):
        services.assignment_refine_deadline(
            assignment=assignment_a, deadline=date(2024, 9, 30), reason="x", user=official_a
        )


# --------------------------------------------------------------------------- drafts and evidence


def test_draft_with_evidence_records_sha256_and_stores_under_media_evidence(assignment_a, official_a, settings):
    submission = draft(assignment_a, official_a, files=[pdf(), png()])
    evidence = list(submission.evidence.order_by("original_name"))
    assert [e.original_name for e in evidence] == ["photo.png", "report.pdf"]
    report = evidence[1]
    assert report.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert report.content_type == "application/pdf"
    path = Path(report.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "evidence")
    assert path.read_bytes() == PDF_BYTES
    assert submission.history.first().history_user == official_a


def test_identical_evidence_is_stored_once_and_kept_while_any_form_uses_it(assignment_a, official_a, settings):
    """The same scan attached to two forms (or twice) is one file on disk; a later refused save that would
    have written it again leaves the stored file alone."""
    first = draft(assignment_a, official_a, files=[pdf("report.pdf")])
    other = AssignmentFactory(area=first.assignment.area)
    second = services.submission_save(
        assignment=assignment_a,
        user=official_a,
        data=DATA,
        period="",
        files=[pdf("again.pdf")],
        submission=first,
        expected_version=first.version,
    )
    assert {e.file.name for e in Evidence.objects.all()} == {first.evidence.first().file.name}
    assert len(stored_files(settings)) == 1
    with pytest.raises(ValidationError):
        draft(other, official_a, files=[pdf("third.pdf"), pdf("bad.pdf", b"not a pdf at all\n" * 20)])
    assert len(stored_files(settings)) == 1
    assert Path(second.evidence.first().file.path).read_bytes() == PDF_BYTES


def test_a_stored_file_left_broken_by_a_killed_process_is_written_anew(assignment_a, official_a, settings):
    name = f"evidence/{hashlib.sha256(PDF_BYTES).hexdigest()[:2]}/{hashlib.sha256(PDF_BYTES).hexdigest()}.pdf"
    broken = Path(settings.MEDIA_ROOT) / name
    broken.parent.mkdir(parents=True)
    broken.write_bytes(PDF_BYTES[:10])  # killed mid-write, no row
    submission = draft(assignment_a, official_a, files=[pdf()])
    assert submission.evidence.get().file.name == name
    assert broken.read_bytes() == PDF_BYTES


def test_evidence_files_no_row_uses_are_removed_once_old_enough(assignment_a, official_a, settings):
    import os
    import time

    kept = draft(assignment_a, official_a, files=[pdf()]).evidence.get()
    orphan = Path(settings.MEDIA_ROOT) / "evidence" / "ab" / ("ab" + "0" * 62 + ".pdf")
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1.4 left by a killed process")
    assert services.evidence_orphans_remove() == []  # too new: a save may still be on its way
    old = time.time() - 2 * 24 * 3600
    os.utime(orphan, (old, old))
    os.utime(kept.file.path, (old, old))
    assert services.evidence_orphans_remove() == [f"evidence/ab/{orphan.name}"]
    assert not orphan.exists()
    assert Path(kept.file.path).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("notes.pdf", b"just some text pretending to be a PDF\n" * 10), "不是允许的文件类型"),
        (pdf("empty.pdf", b""), "空文件"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_is_stored(
    assignment_a, official_a, settings, upload, message
):
    with pytest.raises(ValidationError, match=message) as info:
        draft(assignment_a, official_a, files=[pdf("good.pdf"), upload])
    assert upload.name in str(info.value)
    assert Submission.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert stored_files(settings) == []


def test_too_large_upload_is_refused(assignment_a, official_a, settings):
    settings.MEASURES_EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="太大"):
        draft(assignment_a, official_a, files=[pdf("big.pdf")])
    assert Submission.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(("value", "message"), [(Decimal("100.5"), "不能超过 100"), (Decimal("-1"), "不能为负数")])
def test_progress_out_of_range_is_a_field_error(assignment_a, official_a, value, message):
    data = SubmissionData(work_status="done", progress_value=value, narrative="")
    with pytest.raises(ValidationError) as info:
        services.submission_save(assignment=assignment_a, user=official_a, data=data)
    assert message in info.value.message_dict["progress_value"][0]


def test_tonnes_may_exceed_100_but_not_go_negative():
    services.check_progress(Decimal("8500"), "吨")
    with pytest.raises(ValidationError):
        services.check_progress(Decimal("-0.01"), "吨")


def test_monthly_measure_needs_a_period_in_the_right_format(official_a, db):
    monthly = MeasureFactory(report_period="month", quantity=Decimal(7), unit="t/(km²·月)", comparison="at_most")
    assignment = Assignment.objects.create(measure=monthly, area=area_by_code("371502"))
    with pytest.raises(ValidationError, match="YYYY-MM"):
        draft(assignment, official_a, period="2024/03", today=date(2024, 5, 1))
    with pytest.raises(ValidationError, match="尚未到来"):
        draft(assignment, official_a, period="2024-06", today=date(2024, 5, 1))
    assert draft(assignment, official_a, period="2024-03", today=date(2024, 5, 1)).period == "2024-03"


def test_official_cannot_fill_another_countys_assignment(assignment_b, official_a):
    with pytest.raises(PermissionDenied):
        draft(assignment_b, official_a)


def test_second_save_of_the_same_draft_version_gets_a_conflict(assignment_a, official_a):
    submission = draft(assignment_a, official_a)
    opened_version = submission.version
    services.submission_save(
        assignment=assignment_a, user=official_a, data=DATA, submission=submission, expected_version=opened_version
    )
    other = SubmissionData(work_status="done", progress_value=Decimal(100), narrative="覆盖？")
    with pytest.raises(services.EditConflict, match="保存冲突") as info:
        services.submission_save(
            assignment=assignment_a, user=official_a, data=other, submission=submission, expected_version=opened_version
        )
    assert "bob" in str(info.value)
    submission.refresh_from_db()
    assert submission.narrative == DATA.narrative
    assert submission.version == opened_version + 1


def test_an_edit_without_the_version_it_was_made_on_is_refused_and_nothing_is_stored(assignment_a, official_a):
    """Leaving out ``version`` skipped the edit-conflict check, so a stale edit overwrote a newer save."""
    submission = draft(assignment_a, official_a)
    stale = SubmissionData(work_status="done", progress_value=Decimal(100), narrative="覆盖？")
    with pytest.raises(ValidationError) as refused:
        services.submission_save(assignment=assignment_a, user=official_a, data=stale, submission=submission)
    assert list(refused.value.message_dict) == ["version"]
    submission.refresh_from_db()
    assert (submission.narrative, submission.version) == (DATA.narrative, 1)


def test_done_below_the_target_is_handed_in_only_with_a_reason(assignment_a, official_a, bureau, client):
    """Marked done at 50 against a target of 100 with nothing said was accepted: the reviewer now reads why,
    and sees the target beside the value."""
    silent = SubmissionData(work_status="done", progress_value=Decimal(50), narrative="", completed_on=date(2024, 1, 5))
    submission = draft(assignment_a, official_a)
    submission = services.submission_save(
        assignment=assignment_a,
        user=official_a,
        data=silent,
        submission=submission,
        expected_version=submission.version,
    )
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(submission=submission, user=official_a)
    assert "未达到目标（不低于 100" in refused.value.message_dict["narrative"][0]
    submission.refresh_from_db()
    assert submission.state == "draft"
    reason = SubmissionData(
        work_status="done",
        progress_value=Decimal(50),
        narrative="项目调整：其余 50 台改由省级项目实施。",
        completed_on=date(2024, 1, 5),
    )
    services.submission_save(
        assignment=assignment_a,
        user=official_a,
        data=reason,
        submission=submission,
        expected_version=submission.version,
    )
    submission.refresh_from_db()
    services.submission_submit(submission=submission, user=official_a)
    client.force_login(bureau)
    page = client.get(reverse("measures:submission", args=[submission.pk])).content.decode()
    assert 'data-figure="target">（目标 不低于 100' in page
    assert 'data-note="short-of-target"' in page


# --------------------------------------------------------------------------- transitions and audit


def test_full_cycle_records_every_transition_with_who_and_why(assignment_a, official_a, bureau):
    submission = draft(assignment_a, official_a, files=[pdf()])
    services.submission_submit(submission=submission, user=official_a)
    services.submission_return(submission=submission, user=bureau, reason="缺少现场照片")
    submission.refresh_from_db()
    assert submission.state == "returned"
    assert submission.return_reason == "缺少现场照片"

    services.submission_save(
        assignment=assignment_a,
        user=official_a,
        data=SubmissionData(
            work_status="done", progress_value=Decimal(100), narrative="已全部完成。", completed_on=date(2024, 1, 5)
        ),
        submission=submission,
        expected_version=submission.version,
        files=[png()],
    )
    submission.refresh_from_db()
    from measures.selectors import changes_since_return

    changed = {c.label: (c.before, c.after) for c in changes_since_return(submission)}
    assert changed["完成情况"] == ("进行中", "已完成")
    assert changed["进展数值"] == ("40", "100")
    assert "photo.png" in changed["佐证材料"][1]

    services.submission_submit(submission=submission, user=official_a)
    services.submission_approve(submission=submission, user=bureau)
    submission.refresh_from_db()
    assert submission.state == "approved"

    states = [
        (h.state, h.history_user.username, h.history_change_reason) for h in submission.history.order_by("history_id")
    ]
    assert states == [
        ("draft", "bob", "新建草稿"),
        ("submitted", "bob", "提交"),
        ("returned", "alice", "退回：缺少现场照片"),
        ("returned", "bob", "保存草稿"),
        ("submitted", "bob", "提交"),
        ("approved", "alice", "审核通过"),
    ]


def test_approved_submission_is_locked_and_reopening_needs_a_reason(assignment_a, official_a, bureau):
    submission = draft(assignment_a, official_a)
    services.submission_submit(submission=submission, user=official_a)
    services.submission_approve(submission=submission, user=bureau)
    submission.refresh_from_db()
    with pytest.raises(ValidationError, match="不能修改"):
        services.submission_save(
            assignment=assignment_a,
            user=official_a,
            data=DATA,
            submission=submission,
            expected_version=submission.version,
        )
    with pytest.raises(ValidationError, match="理由"):
        services.submission_reopen(submission=submission, user=bureau, reason="")
    services.submission_reopen(submission=submission, user=bureau, reason="数据口径调整")
    submission.refresh_from_db()
    assert submission.state == "draft"
    assert submission.history.first().history_change_reason == "重新打开：数据口径调整"

    from measures.selectors import changes_since_approval

    assert changes_since_approval(submission) == []
    services.submission_save(
        assignment=assignment_a,
        user=official_a,
        data=SubmissionData(work_status="done", progress_value=Decimal(90), narrative="改"),
        submission=submission,
        expected_version=submission.version,
    )
    submission.refresh_from_db()
    assert {c.label for c in changes_since_approval(submission)} == {"完成情况", "进展数值", "工作进展说明"}


@pytest.mark.parametrize("action", ["approve", "return"])
def test_officials_cannot_review(assignment_a, official_a, action):
    submission = draft(assignment_a, official_a)
    services.submission_submit(submission=submission, user=official_a)
    with pytest.raises(PermissionDenied):
        services.submission_transition(
            submission=submission, transition=services.Transition(action), user=official_a, reason="x"
        )


def test_invalid_transition_gives_a_clear_error(assignment_a, official_a, bureau):
    submission = draft(assignment_a, official_a)
    with pytest.raises(ValidationError, match="当前状态为“草稿”，不能审核通过"):
        services.submission_approve(submission=submission, user=bureau)
    services.submission_submit(submission=submission, user=official_a)
    with pytest.raises(ValidationError, match="退回必须填写理由"):
        services.submission_return(submission=submission, user=bureau, reason="")


def test_evidence_upload_is_audited(assignment_a, official_a):
    submission = draft(assignment_a, official_a, files=[pdf()])
    record = submission.evidence.get().history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", official_a, "上传佐证材料")
