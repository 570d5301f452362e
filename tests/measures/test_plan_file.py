"""The plan file's checks (measures/plan_file.py): every error, with its JSON path, and none on the real file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from measures.plan_file import PlanFileError, check_plan_file

AREAS = {
    "371500",
    "371502",
    "371503",
    "371521",
    "371522",
    "371524",
    "371525",
    "371526",
    "371581",
    "LC-ETDZ",
    "LC-HTZ",
    "LC-JBSC",
}
PLAN = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "plan.json").read_text(encoding="utf-8"))


def errors_of(data: Any, *, indicators: set[str] | None = None) -> list[str]:
    return [str(error) for error in check_plan_file(data, known_areas=AREAS, known_indicators=indicators or set())]


def edited(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(PLAN)
    change(data)
    return data


def test_the_2021_2025_plan_file_passes() -> None:
    assert errors_of(PLAN) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["measures"][23].update(deadline="2027-13-45"),
            "measures[23].deadline: not a date (YYYY-MM-DD): 2027-13-45",
        ),
        (
            lambda d: d["measures"][5].update(start_date=20240101),
            "measures[5].start_date: not a date (YYYY-MM-DD): 20240101",
        ),
        (lambda d: d["measures"][0]["areas"].append("379999"), "measures[0].areas[0]: no such area: 379999"),
        (lambda d: d["plan"].update(area="370000"), "plan.area: no such area: 370000"),
        (
            lambda d: d["targets"][1].update(indicator="pm10_days"),
            "targets[1].indicator: no such indicator (neither in the file nor stored): pm10_days",
        ),
        (lambda d: d["measures"][7].update(code=d["measures"][2]["code"]), "measures[7].code: appears more than once"),
        (lambda d: d["measures"][3].pop("kind"), "measures[3].kind: missing"),
        (lambda d: d["measures"][3].update(kind="wish"), "measures[3].kind: not one of 'milestone', 'quantity'"),
        (lambda d: d["plan"].update(end_year=2019), "plan.end_year: the plan's end year is before its start year"),
        (lambda d: d["targets"][0].update(value="63.75%"), "targets[0].value: not a number"),
        (lambda d: d["targets"][0].update(baseline_year=2025), "targets[0].baseline_year: the baseline year is not"),
        (lambda d: d["measures"][1].update(section=99), "measures[1].section: no such chapter and section in the file"),
        (lambda d: d["chapters"][1].update(number=1), "chapters[1].number: appears more than once: 1"),
        (lambda d: d["chapters"][2]["sections"][0].pop("title"), "chapters[2].sections[0].title: missing"),
        (lambda d: d["departments"].append(d["departments"][0]), "departments[7].name: appears more than once"),
        (
            lambda d: d["measures"][4]["departments"].append("不存在的部门"),
            "measures[4].departments[0]: not in the file's departments: 不存在的部门",
        ),
        (
            lambda d: d["measures"][25].update(reporting_departments=["水利部门"]),
            "measures[25].reporting_departments[0]: not one of the measure's departments: 水利部门",
        ),
        (
            lambda d: d["measures"][25].update(reporting_departments="公安机关交通管理部门"),
            "measures[25].reporting_departments: not a list",
        ),
        (lambda d: d["measures"][9].update(title="标" * 121), "measures[9].title: longer than 120 characters"),
        (lambda d: d["indicators"][0].update(code="good day"), "indicators[0].code: not a code of letters"),
        (lambda d: d.pop("departments"), "departments: missing"),
        (lambda d: d.update(measures={}), "measures: not a list"),
    ],
)
def test_each_error_is_reported_with_its_json_path(change: Any, expected: str) -> None:
    errors = errors_of(edited(change))
    assert any(error.startswith(expected) for error in errors), errors


def test_every_error_of_a_file_is_reported_not_only_the_first() -> None:
    def three_errors(data: dict[str, Any]) -> None:
        data["measures"][23]["deadline"] = "2027-13-45"
        data["measures"][30]["areas"] = ["999999"]
        data["targets"][2]["area"] = "888888"

    assert errors_of(edited(three_errors)) == [
        "targets[2].area: no such area: 888888",
        "measures[23].deadline: not a date (YYYY-MM-DD): 2027-13-45",
        "measures[30].areas[0]: no such area: 999999",
    ]


def test_a_deadline_before_its_start_and_a_quantity_without_unit_are_refused() -> None:
    def both(data: dict[str, Any]) -> None:
        data["measures"][0].update(start_date="2024-06-01", deadline="2024-05-31")
        data["measures"][1].update(quantity="12", unit="")

    assert errors_of(edited(both)) == [
        "measures[0].deadline: the deadline is before the start date: 2024-06-01 > 2024-05-31",
        "measures[1].unit: a quantity needs its unit",
    ]


def test_an_indicator_stored_before_may_be_named_without_being_in_the_file() -> None:
    data = edited(lambda d: d["targets"][0].update(indicator="o3_days"))
    assert errors_of(data, indicators={"o3_days"}) == []


def test_a_file_that_is_not_an_object_is_refused_at_its_root() -> None:
    assert check_plan_file([1, 2], known_areas=AREAS, known_indicators=set()) == [PlanFileError("$", "object")]


def test_a_city_basis_needs_a_quantity_and_a_scope_threshold_its_unit_and_sense() -> None:
    def wrong(data: dict[str, Any]) -> None:
        data["measures"][0].update(target_basis="city_total")  # m02-01-01 has no quantity
        data["measures"][1].update(target_basis="county_share")
        data["measures"][2].update(scope_threshold="35", scope_unit="", scope_comparison="at_most")
        data["measures"][3].update(scope_comparison="below")

    assert errors_of(edited(wrong)) == [
        "measures[0].target_basis: a city total, rate or statistic needs a quantity",
        "measures[1].target_basis: not one of 'each_area', 'city_total', 'city_rate', 'city_statistic'",
        "measures[2].scope_threshold: a scope threshold needs its scope_unit and scope_comparison",
        "measures[3].scope_comparison: not one of '', 'at_least', 'at_most', 'more_than'",
    ]


def test_due_rules_of_recurring_duties_are_checked() -> None:
    def wrong(data: dict[str, Any]) -> None:
        data["measures"][0].update(monthly_due_working_day=0)
        data["measures"][1].update(monthly_due_working_day="5")
        data["measures"][2].update(yearly_due="02-29")
        data["measures"][3].update(yearly_due="4-30")
        data["measures"][4].update(yearly_due="06-31")

    assert errors_of(edited(wrong)) == [
        "measures[0].monthly_due_working_day: not a working day of the month from 1 to 20: 0",
        "measures[1].monthly_due_working_day: not a working day of the month from 1 to 20: '5'",
        "measures[2].yearly_due: not a day of every year as MM-DD (29 February is not): '02-29'",
        "measures[3].yearly_due: not a day of every year as MM-DD (29 February is not): '4-30'",
        "measures[4].yearly_due: not a day of every year as MM-DD (29 February is not): '06-31'",
    ]


OPTIONAL_FIELDS = (
    "target_basis",
    "scope_text",
    "scope_text_en",
    "scope_threshold",
    "scope_unit",
    "scope_comparison",
    "monthly_due_working_day",
    "yearly_due",
)


def test_a_file_written_before_target_basis_and_scope_existed_still_passes() -> None:
    def older(data: dict[str, Any]) -> None:
        for measure in data["measures"]:
            for name in OPTIONAL_FIELDS:
                measure.pop(name, None)

    assert errors_of(edited(older)) == []
