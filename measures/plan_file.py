"""The plan file (``fixtures/plan.json``; every field in docs/plan-file.md): the checks a file passes before
anything of it is stored, each error with its JSON path (``measures[23].deadline``, indexes from 0).

Pure Python, no Django: the loader passes in the area and indicator codes the database already knows, and
turns each error's ``problem`` into a sentence in the reader's language (``measures.plan_loader``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

# A plan file brings a draft or a plan in force; a plan is closed by its close-out, never by a file.
PLAN_STATUSES = ("draft_for_comments", "in_force")
DIRECTIONS = ("at_least", "at_most")
SOURCES = ("monitoring", "reduction_projects")
MEASURE_KINDS = ("milestone", "quantity", "recurring", "prohibition")
COMPARISONS = ("", "at_least", "at_most", "about")
REPORT_PERIODS = ("once", "month", "year")
TARGET_BASES = ("each_area", "city_total", "city_rate", "city_statistic")
SCOPE_COMPARISONS = ("", "at_least", "at_most", "more_than")


@dataclass(frozen=True)
class PlanFileError:
    """One thing wrong with a plan file: where (a JSON path), what (``problem``, a key of PROBLEMS) and the
    value or limit it concerns (``detail``)."""

    path: str
    problem: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {describe(self)}"


# English sentences of the problems (the command line); the loader has them in the reader's language.
PROBLEMS = {
    "json": "not readable as JSON: %(detail)s",
    "missing": "missing",
    "object": "not an object ({…})",
    "list": "not a list ([…])",
    "text": "not text",
    "empty": "empty",
    "too_long": "longer than %(detail)s characters",
    "slug": "not a code of letters, digits, - and _: %(detail)s",
    "integer": "not a whole number: %(detail)s",
    "year": "not a year (1900-2100): %(detail)s",
    "decimal": "not a number, or too many digits (at most 2 decimals): %(detail)s",
    "date": "not a date (YYYY-MM-DD): %(detail)s",
    "choice": "not one of %(detail)s",
    "duplicate": "appears more than once: %(detail)s",
    "unknown_area": "no such area: %(detail)s",
    "unknown_indicator": "no such indicator (neither in the file nor stored): %(detail)s",
    "unknown_section": "no such chapter and section in the file: %(detail)s",
    "unknown_department": "not in the file's departments: %(detail)s",
    "reporting_department": "not one of the measure's departments: %(detail)s",
    "period": "the plan's end year is before its start year: %(detail)s",
    "baseline_year": "the baseline year is not before the target year: %(detail)s",
    "deadline": "the deadline is before the start date: %(detail)s",
    "unit": "a quantity needs its unit",
    "basis_quantity": "a city total, rate or statistic needs a quantity",
    "scope_threshold": "a scope threshold needs its scope_unit and scope_comparison",
    "working_day": "not a working day of the month from 1 to 20: %(detail)s",
    "month_day": "not a day of every year as MM-DD (29 February is not): %(detail)s",
}


def describe(error: PlanFileError, sentences: dict[str, str] | None = None) -> str:
    """The error's problem as a sentence (English unless ``sentences`` gives others, with ``%(detail)s``)."""
    sentence = (sentences or PROBLEMS)[error.problem]
    return sentence % {"detail": error.detail} if "%(detail)s" in sentence else sentence


Rule = Callable[[Any], "tuple[str, str] | None"]


def text(max_length: int, *, blank: bool = False) -> Rule:
    def check(value: Any) -> tuple[str, str] | None:
        if not isinstance(value, str):
            return "text", ""
        if not blank and not value.strip():
            return "empty", ""
        if len(value) > max_length:
            return "too_long", str(max_length)
        return None

    return check


def slug(max_length: int) -> Rule:
    def check(value: Any) -> tuple[str, str] | None:
        problem = text(max_length)(value)
        if problem is None and not SLUG.match(value):
            return "slug", value
        return problem

    return check


def integer(value: Any) -> tuple[str, str] | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return "integer", repr(value)
    return None


def year(value: Any) -> tuple[str, str] | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        return "year", repr(value)
    return None


def decimal(max_digits: int, places: int, *, nullable: bool = False) -> Rule:
    def check(value: Any) -> tuple[str, str] | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return "decimal", repr(value)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return "decimal", repr(value)
        if not number.is_finite():
            return "decimal", repr(value)
        _sign, digits, exponent = number.as_tuple()
        assert isinstance(exponent, int)  # a finite number's exponent
        after = max(-exponent, 0)
        before = max(len(digits) + exponent, 0)
        if after > places or before > max_digits - places:
            return "decimal", repr(value)
        return None

    return check


def date(*, nullable: bool) -> Rule:
    def check(value: Any) -> tuple[str, str] | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            return "date", repr(value)
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return "date", value
        if len(value) != 10:
            return "date", value
        return None

    return check


def choice(values: Iterable[str]) -> Rule:
    allowed = tuple(values)

    def check(value: Any) -> tuple[str, str] | None:
        return None if value in allowed else ("choice", ", ".join(repr(v) for v in allowed))

    return check


def working_day(value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 20:
        return "working_day", repr(value)
    return None


MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")


def month_day(value: Any) -> tuple[str, str] | None:
    """``MM-DD`` of a day every year has, or empty."""
    if value == "":
        return None
    match = MONTH_DAY.match(value) if isinstance(value, str) else None
    if match is None or (match.group(1), match.group(2)) == ("02", "29"):
        return "month_day", repr(value)
    try:
        datetime.date(2001, int(match.group(1)), int(match.group(2)))
    except ValueError:
        return "month_day", repr(value)
    return None


def parse_month_day(value: str) -> tuple[int, int] | None:
    """The (month, day) of a checked ``MM-DD``; None when empty."""
    if not value:
        return None
    month, day = value.split("-")
    return int(month), int(day)


def a_list(value: Any) -> tuple[str, str] | None:
    return None if isinstance(value, list) else ("list", "")


def strings(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return "list", ""
    return None


PLAN_FIELDS: dict[str, Rule] = {
    "code": slug(40),
    "name": text(200),
    "name_en": text(200),
    "start_year": year,
    "end_year": year,
    "status": choice(PLAN_STATUSES),
    "baseline_year": year,
    "area": text(12),
}
SECTION_FIELDS: dict[str, Rule] = {"number": integer, "title": text(100), "title_en": text(200)}
CHAPTER_FIELDS: dict[str, Rule] = {**SECTION_FIELDS, "sections": a_list}
INDICATOR_FIELDS: dict[str, Rule] = {
    "code": slug(40),
    "name": text(100),
    "name_en": text(100),
    "unit": text(20),
    "direction": choice(DIRECTIONS),
    "decimals": integer,
    "source": choice(SOURCES),
    "sort_order": integer,
}
TARGET_FIELDS: dict[str, Rule] = {
    "indicator": text(40),
    "area": text(12),
    "target_year": year,
    "value": decimal(12, 2),
    "baseline_year": year,
    "baseline_value": decimal(12, 2, nullable=True),
    "source_text": text(100_000, blank=True),
}
DEPARTMENT_FIELDS: dict[str, Rule] = {"name": text(100), "name_en": text(200, blank=True)}
MEASURE_FIELDS: dict[str, Rule] = {
    "code": slug(20),
    "chapter": integer,
    "section": integer,
    "title": text(120),
    "title_en": text(200),
    "source_text": text(100_000),
    "kind": choice(MEASURE_KINDS),
    "start_date": date(nullable=True),
    "deadline": date(nullable=True),
    "quantity": decimal(14, 2, nullable=True),
    "unit": text(30, blank=True),
    "comparison": choice(COMPARISONS),
    "report_period": choice(REPORT_PERIODS),
    "departments": strings,
    "areas": strings,
}
# Fields a measure may leave out (files written before they existed), with the value it then has.
MEASURE_OPTIONAL_FIELDS: dict[str, tuple[Rule, Any]] = {
    "target_basis": (choice(TARGET_BASES), "each_area"),
    "scope_text": (text(200, blank=True), ""),
    "scope_text_en": (text(200, blank=True), ""),
    "scope_threshold": (decimal(14, 2, nullable=True), None),
    "scope_unit": (text(30, blank=True), ""),
    "scope_comparison": (choice(SCOPE_COMPARISONS), ""),
    "monthly_due_working_day": (working_day, None),
    "yearly_due": (month_day, ""),
    "reporting_departments": (strings, []),
}


def measure_field(measure: dict[str, Any], name: str) -> Any:
    """A checked measure's field, or the default of an optional field it leaves out."""
    return measure[name] if name in measure else MEASURE_OPTIONAL_FIELDS[name][1]


FILE_PARTS = ("$", "plan", "chapters", "indicators", "targets", "departments", "measures")


def _file_order(error: PlanFileError) -> tuple[int, list[int], str]:
    """Errors in the order of the file: by part, then by the indexes along the path."""
    part = re.match(r"[$a-z_]+", error.path)
    rank = FILE_PARTS.index(part.group(0)) if part and part.group(0) in FILE_PARTS else len(FILE_PARTS)
    return rank, [int(index) for index in re.findall(r"\[(\d+)\]", error.path)], error.path


class _Checker:
    def __init__(self) -> None:
        self.errors: list[PlanFileError] = []

    def fail(self, path: str, problem: str, detail: str = "") -> None:
        self.errors.append(PlanFileError(path, problem, detail))

    def record(self, value: Any, path: str, fields: dict[str, Rule]) -> dict[str, Any] | None:
        """The record if it is an object whose every field passes its rule; errors are noted either way."""
        if not isinstance(value, dict):
            self.fail(path, "object")
            return None
        good = True
        for name, rule in fields.items():
            if name not in value:
                self.fail(f"{path}.{name}", "missing")
                good = False
                continue
            problem = rule(value[name])
            if problem is not None:
                self.fail(f"{path}.{name}", *problem)
                good = False
        return value if good else None

    def records(
        self, data: dict[str, Any], key: str, fields: dict[str, Rule], *, parent: str = ""
    ) -> list[tuple[str, dict[str, Any]]]:
        """(path, record) of the records of the list ``data[key]`` that pass their field rules."""
        where = f"{parent}.{key}" if parent else key
        items = data.get(key)
        if not isinstance(items, list):
            self.fail(where, "missing" if items is None else "list")
            return []
        good = []
        for index, item in enumerate(items):
            path = f"{where}[{index}]"
            if self.record(item, path, fields) is not None:
                good.append((path, item))
        return good

    def unique(self, rows: Iterable[tuple[str, Any]], field: str) -> None:
        seen: set[Any] = set()
        for path, key in rows:
            if key in seen:
                self.fail(f"{path}.{field}" if field else path, "duplicate", str(key))
            seen.add(key)


def check_plan_file(data: Any, *, known_areas: set[str], known_indicators: set[str]) -> list[PlanFileError]:
    """Every error of a parsed plan file, in the order of the file; empty when it may be loaded."""
    checker = _Checker()
    if not isinstance(data, dict):
        checker.fail("$", "object")
        return checker.errors
    plan = checker.record(data["plan"], "plan", PLAN_FIELDS) if "plan" in data else None
    if "plan" not in data:
        checker.fail("plan", "missing")
    if plan is not None:
        if plan["end_year"] < plan["start_year"]:
            checker.fail("plan.end_year", "period", f"{plan['start_year']}-{plan['end_year']}")
        if plan["area"] not in known_areas:
            checker.fail("plan.area", "unknown_area", plan["area"])

    chapters = checker.records(data, "chapters", CHAPTER_FIELDS)
    checker.unique(((path, chapter["number"]) for path, chapter in chapters), "number")
    sections: set[tuple[int, int]] = set()
    for path, chapter in chapters:
        chapter_sections = checker.records(chapter, "sections", SECTION_FIELDS, parent=path)
        checker.unique(((p, section["number"]) for p, section in chapter_sections), "number")
        sections |= {(chapter["number"], section["number"]) for _, section in chapter_sections}

    indicators = checker.records(data, "indicators", INDICATOR_FIELDS)
    checker.unique(((path, i["code"]) for path, i in indicators), "code")
    indicator_codes = known_indicators | {i["code"] for _, i in indicators}

    targets = checker.records(data, "targets", TARGET_FIELDS)
    checker.unique(((path, (t["indicator"], t["area"], t["target_year"])) for path, t in targets), "")
    for path, target in targets:
        if target["indicator"] not in indicator_codes:
            checker.fail(f"{path}.indicator", "unknown_indicator", target["indicator"])
        if target["area"] not in known_areas:
            checker.fail(f"{path}.area", "unknown_area", target["area"])
        if target["baseline_year"] >= target["target_year"]:
            years = f"{target['baseline_year']} / {target['target_year']}"
            checker.fail(f"{path}.baseline_year", "baseline_year", years)

    departments = checker.records(data, "departments", DEPARTMENT_FIELDS)
    checker.unique(((path, d["name"]) for path, d in departments), "name")
    department_names = {d["name"] for _, d in departments}

    measures = checker.records(data, "measures", MEASURE_FIELDS)
    checker.unique(((path, m["code"]) for path, m in measures), "code")
    for path, measure in measures:
        if (measure["chapter"], measure["section"]) not in sections:
            checker.fail(f"{path}.section", "unknown_section", f"{measure['chapter']}.{measure['section']}")
        if measure["start_date"] and measure["deadline"] and measure["deadline"] < measure["start_date"]:
            checker.fail(f"{path}.deadline", "deadline", f"{measure['start_date']} > {measure['deadline']}")
        if measure["quantity"] is not None and not measure["unit"]:
            checker.fail(f"{path}.unit", "unit")
        for name, (rule, _default) in MEASURE_OPTIONAL_FIELDS.items():
            problem = rule(measure[name]) if name in measure else None
            if problem is not None:
                checker.fail(f"{path}.{name}", *problem)
        if measure.get("target_basis", "each_area") in TARGET_BASES[1:] and measure["quantity"] is None:
            checker.fail(f"{path}.target_basis", "basis_quantity")
        if measure.get("scope_threshold") is not None and not (
            measure.get("scope_unit") and measure.get("scope_comparison")
        ):
            checker.fail(f"{path}.scope_threshold", "scope_threshold")
        for index, name in enumerate(measure["departments"]):
            if name not in department_names:
                checker.fail(f"{path}.departments[{index}]", "unknown_department", name)
        reporting = measure.get("reporting_departments")
        for index, name in enumerate(reporting if isinstance(reporting, list) else []):
            if isinstance(name, str) and name not in measure["departments"]:
                checker.fail(f"{path}.reporting_departments[{index}]", "reporting_department", name)
        for index, code in enumerate(measure["areas"]):
            if code not in known_areas:
                checker.fail(f"{path}.areas[{index}]", "unknown_area", code)
    return sorted(checker.errors, key=_file_order)
