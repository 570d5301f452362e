"""Loading the plan, and staff setting baselines and milestones with a reason kept in the history."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from areas.services import areas_load
from measures.models import Department, Measure
from measures.plan_loader import plan_load
from targets import loading, services
from targets.models import Milestone, Plan, Target

pytestmark = pytest.mark.django_db


def dump() -> str:
    """Every row of the plan and measure apps, history tables included."""
    out = StringIO()
    call_command("dumpdata", "targets", "measures", format="json", indent=1, stdout=out)
    return out.getvalue()


def target(code: str, year: int = 2025) -> Target:
    return Target.objects.select_related("plan").get(indicator__code=code, target_year=year, area__code="371500")


def milestones(of: Target) -> list[Decimal | None]:
    return list(of.milestones.order_by("year").values_list("value", flat=True))


def test_loading_the_plan_twice_writes_nothing_the_second_time(plan):
    before = dump()
    result = plan_load()
    assert result.changed == 0
    assert dump() == before


@pytest.mark.usefixtures("no_plan")
def test_a_first_load_reports_what_it_created(db):
    areas_load()
    result = plan_load()
    assert result.chapters.created == 10
    assert result.sections.created == 32
    assert result.targets.created == 6
    assert result.milestones.created == 25
    assert result.measures.created == Measure.objects.count()
    assert "chapters 10+0" in result.summary()


def test_setting_a_baseline_draws_straight_line_milestones_to_the_target(plan, bureau):
    pm25 = target("pm25")
    services.target_set_baseline(target=pm25, value=Decimal("53"), user=bureau, reason="2020年审核数据")
    assert milestones(pm25) == [Decimal(v) for v in ("51", "49", "47", "45", "43")]


def test_the_good_day_ratio_line_rounds_to_two_decimals(plan, bureau):
    ratio = target("good_day_ratio")
    services.target_set_baseline(target=ratio, value=Decimal("56.8"), user=bureau, reason="2020年审核数据")
    # 56.8 + (63.7 - 56.8) * k / 5: 58.18, 59.56, 60.94, 62.32, 63.70
    assert milestones(ratio) == [Decimal(v) for v in ("58.18", "59.56", "60.94", "62.32", "63.70")]


def test_the_history_records_who_changed_the_baseline_and_why(plan, bureau):
    pm25 = target("pm25")
    services.target_set_baseline(target=pm25, value=Decimal("53"), user=bureau, reason="采用2020年审核数据")
    record = pm25.history.latest()
    assert record.baseline_value == Decimal("53")
    assert record.history_change_reason == "采用2020年审核数据"
    assert record.history_user == bureau
    milestone_record = Milestone.history.filter(target_id=pm25.pk, year=2023).latest()
    assert milestone_record.value == Decimal("47")
    assert milestone_record.history_change_reason == "采用2020年审核数据"
    assert milestone_record.history_user == bureau


def test_a_baseline_needs_a_reason(plan, bureau):
    pm25 = target("pm25")
    with pytest.raises(ValidationError) as error:
        services.target_set_baseline(target=pm25, value=Decimal("53"), user=bureau, reason="  ")
    assert "reason" in error.value.message_dict
    assert target("pm25").baseline_value is None


def test_a_baseline_with_too_many_decimals_is_refused_and_nothing_changes(plan, bureau):
    pm25 = target("pm25")
    with pytest.raises(ValidationError) as error:
        services.target_set_baseline(target=pm25, value=Decimal("53.123"), user=bureau, reason="录入")
    assert "baseline_value" in error.value.message_dict
    assert target("pm25").baseline_value is None
    assert milestones(target("pm25")) == [None] * 5


def test_clearing_a_baseline_makes_the_milestones_unknown_again(plan, bureau):
    pm25 = target("pm25")
    services.target_set_baseline(target=pm25, value=Decimal("53"), user=bureau, reason="录入")
    services.target_set_baseline(target=pm25, value=None, user=bureau, reason="数据待核实")
    assert milestones(pm25) == [None] * 5


def test_a_staff_set_baseline_survives_reloading_the_plan(plan, bureau):
    pm25 = target("pm25")
    nox = target("nox_reduction")
    services.target_set_baseline(target=pm25, value=Decimal("53"), user=bureau, reason="录入")
    services.target_set_baseline(target=nox, value=Decimal("120"), user=bureau, reason="2020年已有减排量")
    before = dump()
    assert plan_load().changed == 0
    assert dump() == before
    assert target("pm25").baseline_value == Decimal("53")
    assert target("nox_reduction").baseline_value == Decimal("120")
    assert milestones(target("pm25"))[0] == Decimal("51")


def test_setting_a_milestone_marks_it_custom_and_keeps_it_through_baseline_changes(plan, bureau):
    pm25 = target("pm25")
    services.target_set_baseline(target=pm25, value=Decimal("53"), user=bureau, reason="录入")
    milestone = pm25.milestones.get(year=2022)
    services.milestone_set(milestone=milestone, value=Decimal("50"), user=bureau, reason="省厅下达年度目标")
    milestone.refresh_from_db()
    assert milestone.is_custom
    assert milestone.history.latest().history_change_reason == "省厅下达年度目标"
    assert milestone.history.latest().history_user == bureau

    services.target_set_baseline(target=pm25, value=Decimal("58"), user=bureau, reason="更正基准值")
    assert milestones(pm25) == [Decimal(v) for v in ("55", "50", "49", "46", "43")]
    plan_load()
    assert milestones(target("pm25")) == [Decimal(v) for v in ("55", "50", "49", "46", "43")]


def test_a_custom_milestone_needs_a_value_and_a_reason(plan, bureau):
    milestone = target("pm25").milestones.get(year=2022)
    with pytest.raises(ValidationError) as error:
        services.milestone_set(milestone=milestone, value=Decimal("50"), user=bureau, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.milestone_set(milestone=milestone, value=None, user=bureau, reason="省厅下达")
    assert "value" in error.value.message_dict
    milestone.refresh_from_db()
    assert not milestone.is_custom


def test_resetting_a_custom_milestone_puts_it_back_on_the_line(plan, bureau):
    pm25 = target("pm25")
    services.target_set_baseline(target=pm25, value=Decimal("53"), user=bureau, reason="录入")
    milestone = pm25.milestones.get(year=2022)
    services.milestone_set(milestone=milestone, value=Decimal("50"), user=bureau, reason="省厅下达")
    services.milestone_reset(milestone=milestone, user=bureau, reason="恢复直线轨迹")
    milestone.refresh_from_db()
    assert (milestone.is_custom, milestone.value) == (False, Decimal("49"))


def test_the_outlook_target_gets_a_baseline_but_no_milestones(plan, bureau):
    outlook = target("pm25", 2035)
    services.target_set_baseline(target=outlook, value=Decimal("53"), user=bureau, reason="录入")
    assert outlook.milestones.count() == 0


def test_reloading_restores_fixture_fields_and_missing_rows(plan):
    Target.objects.filter(indicator__code="vocs_reduction", area__code="371500").update(value=Decimal("9999"))
    Measure.objects.filter(code="m03-02-01").update(title="改错了")
    Milestone.objects.filter(target__indicator__code="vocs_reduction", target__area__code="371500", year=2024).delete()
    result = plan_load()
    assert (result.targets.updated, result.measures.updated, result.milestones.created) == (1, 1, 1)
    assert target("vocs_reduction").value == Decimal("6200")
    assert Measure.objects.get(code="m03-02-01").title.startswith("临清市大唐建材")
    assert milestones(target("vocs_reduction"))[3] == Decimal("4960")


def test_reloading_makes_a_measures_departments_those_named_in_the_text(plan):
    measure = Measure.objects.get(departments__name="公安机关交通管理部门")
    measure.departments.add(Department.objects.get(name="水利部门"))
    result = plan_load()
    assert result.measure_links.updated == 1
    assert [d.name for d in measure.departments.all()] == ["公安机关交通管理部门"]


@pytest.mark.usefixtures("no_plan")
def test_a_fixture_naming_an_unknown_area_is_refused_and_stores_nothing(db, tmp_path, monkeypatch):
    areas_load()
    data = json.loads(loading.fixture_bytes("plan.json"))
    data["measures"][0]["areas"] = ["999999"]
    (tmp_path / "plan.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    with pytest.raises(ValidationError, match="999999"):
        plan_load()
    assert not Plan.objects.exists()
    assert not Measure.objects.exists()


def test_a_milestone_halfway_between_two_cents_is_rounded_half_to_even_as_every_figure() -> None:
    """GB/T 8170 (areas.rounding), on the exact point of the line: 0.025 -> 0.02, 0.075 -> 0.08."""
    from targets.trajectory import straight_line_milestones

    line = straight_line_milestones(baseline=Decimal("0"), target=Decimal("0.1"), baseline_year=2020, target_year=2024)
    assert line == {2021: Decimal("0.02"), 2022: Decimal("0.05"), 2023: Decimal("0.08"), 2024: Decimal("0.10")}
