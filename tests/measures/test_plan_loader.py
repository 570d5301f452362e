"""Loading a successor plan file that reuses every measure code of the 2021-2025 plan (issue 10).

Measure codes are unique within a plan: the successor gets measures of its own, and nothing of the first
plan (its measures, their assignments and completion forms, their history) changes.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from measures.models import Assignment, Measure, Submission
from measures.plan_loader import plan_load
from targets import loading
from targets.models import Plan
from tests.factories import UserFactory

SUCCESSOR = "plan-2026-2030.json"


def successor_file(folder: Path) -> None:
    """The 2021-2025 plan file made into a 2026-2030 plan: new code, period and target years, same measures."""
    data = json.loads(loading.fixture_bytes("plan.json"))
    data["plan"] |= {
        "code": "liaocheng-air-2026-2030",
        "name": "聊城市空气质量持续改善行动计划（2026-2030年）",
        "name_en": "Liaocheng Air Quality Improvement Action Plan (2026-2030)",
        "start_year": 2026,
        "end_year": 2030,
        "baseline_year": 2025,
    }
    for target in data["targets"]:
        target["baseline_year"] = 2025
        if target["target_year"] == 2025:
            target["target_year"] = 2030
    (folder / "plan.json").write_bytes(loading.fixture_bytes("plan.json"))
    (folder / SUCCESSOR).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def first_plan_records(plan: Plan) -> dict[str, Any]:
    measures = Measure.objects.filter(plan=plan).order_by("pk")
    return {
        "measures": [model_to_dict(m) for m in measures],
        "assignments": list(Assignment.objects.filter(measure__plan=plan).order_by("pk").values()),
        "submissions": list(Submission.objects.filter(assignment__measure__plan=plan).order_by("pk").values()),
        "history": Measure.history.filter(plan=plan).count(),
    }


@pytest.fixture
def successor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    successor_file(tmp_path)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)


def test_a_successor_reusing_every_code_leaves_the_first_plan_as_it_was(plan: Plan, successor: None) -> None:
    assignment = Assignment.objects.filter(measure__plan=plan).order_by("pk").first()
    assert assignment is not None
    Submission.objects.create(assignment=assignment, narrative="已完成。", created_by=UserFactory())
    before = first_plan_records(plan)
    assert len(before["measures"]) == 71
    assert before["submissions"]

    result = plan_load(fixture=SUCCESSOR)

    successor_plan = Plan.objects.get(code="liaocheng-air-2026-2030")
    assert result.measures.created == 71
    assert result.measures.updated == 0
    assert sorted(Measure.objects.filter(plan=successor_plan).values_list("code", flat=True)) == sorted(
        Measure.objects.filter(plan=plan).values_list("code", flat=True)
    )
    assert all(m.section.chapter.plan_id == successor_plan.pk for m in Measure.objects.filter(plan=successor_plan))
    assert first_plan_records(plan) == before
    assert plan_load(fixture=SUCCESSOR).changed == 0
    assert plan_load().changed == 0  # and the first plan's own file still matches it exactly


def test_a_measure_cannot_sit_in_another_plans_section(plan: Plan, successor: None) -> None:
    plan_load(fixture=SUCCESSOR)
    measure = Measure.objects.filter(plan=plan).first()
    assert measure is not None
    measure.section = Measure.objects.filter(plan__code="liaocheng-air-2026-2030").first().section  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="章节不属于该措施的行动计划"):
        measure.full_clean()


# --- python manage.py plan_load FILE ---------------------------------------------------------------


def stored_plan_rows() -> tuple[int, int, int, int]:
    from targets.models import Milestone, Target

    return Plan.objects.count(), Measure.objects.count(), Target.objects.count(), Milestone.objects.count()


def test_the_command_loads_a_successor_file_and_a_second_run_changes_nothing(plan: Plan, tmp_path: Path) -> None:
    successor_file(tmp_path)
    out = StringIO()
    call_command("plan_load", str(tmp_path / SUCCESSOR), stdout=out)
    assert "measures 71+0" in out.getvalue()
    assert Plan.objects.filter(code="liaocheng-air-2026-2030").exists()
    again = StringIO()
    call_command("plan_load", str(tmp_path / SUCCESSOR), stdout=again)
    assert again.getvalue().strip() == (
        "plan 0+0: chapters 0+0, sections 0+0, indicators 0+0, targets 0+0, milestones 0+0, departments 0+0, "
        "measures 0+0, measure_links 0+0, county_targets 0+0, assignments 0+0 (created+updated)"
    )


def test_a_file_with_errors_is_refused_whole_with_each_errors_place(plan: Plan, tmp_path: Path) -> None:
    data = json.loads(loading.fixture_bytes("plan.json"))
    data["plan"]["code"] = "liaocheng-air-2026-2030"
    data["measures"][23]["deadline"] = "2027-13-45"
    data["measures"][2]["areas"] = ["999999"]
    data["targets"][0]["indicator"] = "no_such_indicator"
    data["measures"][40]["code"] = data["measures"][41]["code"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = stored_plan_rows()
    err = StringIO()
    with pytest.raises(CommandError, match=r"bad\.json: refused, 4 error\(s\); nothing was stored"):
        call_command("plan_load", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "targets[0].indicator: no such indicator (neither in the file nor stored): no_such_indicator",
        "measures[2].areas[0]: no such area: 999999",
        "measures[23].deadline: not a date (YYYY-MM-DD): 2027-13-45",
        f"measures[41].code: appears more than once: {data['measures'][41]['code']}",
    ]
    assert stored_plan_rows() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"plan": {', "$: not readable as JSON: line 1 column 11"),
        (b"\xff\xfe{}", "$: not readable as JSON: not UTF-8"),
    ],
)
def test_a_file_that_is_not_json_is_refused_at_its_root(
    plan: Plan, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(CommandError, match="refused, 1 error"):
        call_command("plan_load", str(path), stderr=err)
    assert err.getvalue().startswith(expected)


def test_a_missing_file_is_named(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"missing\.json: cannot be read"):
        call_command("plan_load", str(tmp_path / "missing.json"))


def test_the_refusal_reads_in_the_readers_language(plan: Plan) -> None:
    from django.utils import translation

    from measures.plan_loader import PlanFileRefused, plan_file_load

    with pytest.raises(PlanFileRefused) as refused:
        plan_file_load(b"[]")
    assert refused.value.messages == ["$: 应为对象（{…}）"]
    with translation.override("en"), pytest.raises(PlanFileRefused) as refused_en:
        plan_file_load(b"[]")
    assert refused_en.value.messages == ["$: not an object ({…})"]


# --- the upload page ---------------------------------------------------------------------------------


def upload(client: Any, name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("measures:plan-upload"), {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_staff_load_a_successor_file_from_the_upload_page(client: Any, plan: Plan, bureau: Any, tmp_path: Path) -> None:
    successor_file(tmp_path)
    client.force_login(bureau)
    response = upload(client, SUCCESSOR, (tmp_path / SUCCESSOR).read_bytes())
    assert "行动计划文件已载入：plan 1+0" in response.content.decode()
    assert Measure.objects.filter(plan__code="liaocheng-air-2026-2030").count() == 71


def test_the_upload_page_lists_every_error_and_stores_nothing(client: Any, plan: Plan, bureau: Any) -> None:
    data = json.loads(loading.fixture_bytes("plan.json"))
    data["plan"]["code"] = "liaocheng-air-2026-2030"
    data["measures"][23]["deadline"] = "2027-13-45"
    data["measures"][2]["areas"] = ["999999"]
    before = stored_plan_rows()
    client.force_login(bureau)
    response = upload(client, "bad.json", json.dumps(data, ensure_ascii=False).encode())
    page = response.content.decode()
    assert "文件未载入：发现 2 处错误" in page
    assert "measures[2].areas[0]: 区域不存在：999999" in page
    assert "measures[23].deadline: 不是日期（YYYY-MM-DD）：2027-13-45" in page
    assert stored_plan_rows() == before


def test_only_bureau_staff_may_load_a_plan_file(client: Any, plan: Plan, official_a: Any) -> None:
    assert client.get(reverse("measures:plan-upload")).status_code == 302  # to the login page
    client.force_login(official_a)
    assert client.get(reverse("measures:plan-upload")).status_code == 403
    assert upload(client, "plan.json", b"{}").status_code == 403


def test_a_file_that_is_not_json_by_name_is_refused_by_the_form(client: Any, plan: Plan, bureau: Any) -> None:
    client.force_login(bureau)
    page = upload(client, "plan.xlsx", b"PK\x03\x04").content.decode()
    assert "请上传 .json 文件" in page
