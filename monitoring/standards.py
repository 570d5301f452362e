"""The standard editions as data: which rules and Grade-II limits apply to which dates (aqi-rules §5, §7).

Two things change on 2026-03-01 and they are kept apart here:

- the **AQI rules** (HJ 633-2012 → HJ 633-2026): which day is good, heavy, valid. ``monitoring.aqi`` holds
  the breakpoints; each day is scored under the edition in force on it (``aqi.edition_for``).
- the **Grade-II concentration limits** (GB 3095-2012 → GB 3095-2026, brought in by phases): what the
  composite index divides by and what attainment (达标) is judged against. ``LIMIT_SETS`` holds them.

Public interface:
- ``LimitSet``, ``LIMIT_SETS``, ``limit_set(code)``, ``limits_in_force(day)``.
- ``composite_weights(limits)``: integer weights over a common denominator (exact composite index).
- ``composite_index(values, limits)``: the composite index of one set of period values, two decimals.
- ``attainment(values, limits)`` -> ``Attainment``: per item attained / not attained / not enough data.
- ``rules_label(first, last)``: which AQI edition(s) a span of days was scored under, in words.

No Django import (pure module).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final

from areas.rounding import round_half_even_int

from .aqi import EDITION_2026_START

#: The six figures the composite index and attainment use, with their unit scale (CO in tenths of mg/m³).
LIMITED_FIGURES: Final = ("so2", "no2", "pm10", "pm25", "co_p95", "o3_8h_p90")
#: How the figures are written on pages and in documents (language-neutral).
FIGURE_NAMES: Final = {
    "so2": "SO2",
    "no2": "NO2",
    "pm10": "PM10",
    "pm25": "PM2.5",
    "co_p95": "CO P95",
    "o3_8h_p90": "O3 P90",
}
_UNIT_SCALE: Final = {"so2": 1, "no2": 1, "pm10": 1, "pm25": 1, "co_p95": 10, "o3_8h_p90": 1}


@dataclass(frozen=True, eq=False)  # one object per set (LIMIT_SETS): compared and hashed by identity
class LimitSet:
    """The Grade-II limits (二级浓度限值) one edition and phase of GB 3095 sets for the annual figures.

    ``limits`` maps each of ``LIMITED_FIGURES`` to its limit: annual means for SO2, NO2, PM10, PM2.5 (µg/m³),
    the CO 24-h limit (mg/m³) for the CO 24-h P95, the O3 8-h limit (µg/m³) for the O3 MDA8 P90. A limit is
    None where the standard's value is not entered here (see ``missing``). ``first`` / ``last``: the dates
    the set is in force (inclusive; None open-ended).
    """

    code: str
    standard: str
    phase: int
    first: date | None
    last: date | None
    limits: Mapping[str, Fraction | None]
    source: str

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in LIMITED_FIGURES if self.limits.get(name) is None)

    def require_complete(self) -> None:
        """Refuse to judge with a set whose limits are not all entered (never a guessed limit)."""
        if self.missing:
            raise ValueError(
                f"{self.label}: the Grade-II limit(s) of {', '.join(self.missing)} are not "
                "entered in monitoring.standards.LIMIT_SETS; enter them from the standard's text"
            )

    @property
    def label(self) -> str:
        """Language-neutral: "GB 3095-2012", "GB 3095-2026 (I)" (phase one), "GB 3095-2026 (II)"."""
        return f"{self.standard} ({'I' * self.phase})" if self.phase else self.standard

    def in_force(self, day: date) -> bool:
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)


GB3095_2012: Final = LimitSet(
    code="GB3095-2012",
    standard="GB 3095-2012",
    phase=0,
    first=None,
    last=EDITION_2026_START - timedelta(days=1),
    limits={
        "so2": Fraction(60),
        "no2": Fraction(40),
        "pm10": Fraction(70),
        "pm25": Fraction(35),
        "co_p95": Fraction(4),
        "o3_8h_p90": Fraction(160),
    },
    source="GB 3095-2012 表1 二级（含 2018 年修改单）",
)
GB3095_2026_PHASE_ONE: Final = LimitSet(
    code="GB3095-2026-I",
    standard="GB 3095-2026",
    phase=1,
    first=EDITION_2026_START,
    last=date(2030, 12, 31),
    # Phase one (过渡阶段, 2026-03-01 … 2030-12-31): PM2.5 annual 30 µg/m³ (24-h 60); every other item keeps
    # its 2012 Grade-II limit (aqi-rules §7; MEE/SAMR announcement of GB 3095-2026, 2026-02-24).
    limits={
        "so2": Fraction(60),
        "no2": Fraction(40),
        "pm10": Fraction(70),
        "pm25": Fraction(30),
        "co_p95": Fraction(4),
        "o3_8h_p90": Fraction(160),
    },
    source="GB 3095-2026 过渡阶段二级浓度限值（PM2.5 年平均 30 µg/m³）",
)
GB3095_2026_PHASE_TWO: Final = LimitSet(
    code="GB3095-2026-II",
    standard="GB 3095-2026",
    phase=2,
    first=date(2031, 1, 1),
    last=None,
    # Phase two (from 2031-01-01): PM2.5 annual 25 µg/m³ (24-h 50). The revised PM10, SO2 and NO2 limits
    # are not entered: the standard's text was not at hand, and a guessed limit would be worse than none
    # (``require_complete`` refuses to judge with this set until they are).
    limits={
        "so2": None,
        "no2": None,
        "pm10": None,
        "pm25": Fraction(25),
        "co_p95": Fraction(4),
        "o3_8h_p90": Fraction(160),
    },
    source="GB 3095-2026 修订后二级浓度限值（PM2.5 年平均 25 µg/m³）",
)
LIMIT_SETS: Final = (GB3095_2012, GB3095_2026_PHASE_ONE, GB3095_2026_PHASE_TWO)


def limit_set(code: str) -> LimitSet:
    for limits in LIMIT_SETS:
        if limits.code == code:
            return limits
    raise ValueError(f"unknown limit set {code!r}; expected one of {', '.join(s.code for s in LIMIT_SETS)}")


def limits_in_force(day: date) -> LimitSet:
    """The Grade-II limits in force on ``day``.

    A period is judged against the limits in force on its last day [project rule]: the year 2026 is judged
    against GB 3095-2026 phase one (aqi-rules §7: "for 2026-2030: PM2.5/30").
    """
    for limits in LIMIT_SETS:
        if limits.in_force(day):
            return limits
    raise AssertionError(f"no limit set covers {day}")  # the sets cover every date


def composite_weights(limits: LimitSet) -> tuple[int, tuple[tuple[str, int], ...]]:
    """(denominator, ((figure, weight), ...)) such that the composite index is Σ units·weight / denominator.

    Units are integers (µg/m³; CO in tenths), so the index is an exact rational: GB 3095-2012 gives the
    denominator 3360 (SO2 56, NO2 84, PM10 48, PM2.5 96, CO 84, O3 21).
    """
    limits.require_complete()
    per_unit = {name: _UNIT_SCALE[name] * _limit(limits, name) for name in LIMITED_FIGURES}
    # D / (a/b) = D·b/a is an integer for every figure when D is a multiple of every a (a/b in lowest terms).
    denominator = math.lcm(*(f.numerator for f in per_unit.values()))
    weights = tuple((name, int(Fraction(denominator) / per_unit[name])) for name in LIMITED_FIGURES)
    return denominator, weights


def _limit(limits: LimitSet, name: str) -> Fraction:
    value = limits.limits[name]
    if value is None:
        limits.require_complete()
    assert value is not None
    return value


def _units(name: str, value: int | float | Decimal) -> int:
    scaled = Decimal(str(value)) * _UNIT_SCALE[name]
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{name} = {value}: not a reported value (integers; CO one decimal)")
    return int(scaled)


def composite_index(values: Mapping[str, int | float | Decimal | None], limits: LimitSet) -> Decimal | None:
    """Σ figure / limit over ``LIMITED_FIGURES`` from the reported (rounded) values, two decimals (GB/T 8170).

    None when any of the six is missing (aqi-rules §5).
    """
    present = {name: values.get(name) for name in LIMITED_FIGURES}
    denominator, weights = composite_weights(limits)
    numerator = 0
    for name, weight in weights:
        value = present[name]
        if value is None:
            return None
        numerator += _units(name, value) * weight
    return Decimal(round_half_even_int(numerator * 100, denominator)).scaleb(-2)


class Verdict(StrEnum):
    ATTAINED = "attained"
    NOT_ATTAINED = "not_attained"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True)
class ItemAttainment:
    figure: str
    value: Decimal | None
    limit: Decimal
    verdict: Verdict

    @property
    def name(self) -> str:
        return FIGURE_NAMES[self.figure]

    @property
    def gap(self) -> Decimal | None:
        """value − limit: above zero by how much the limit is exceeded, at or below zero the room left."""
        return None if self.value is None else self.value - self.limit


@dataclass(frozen=True)
class Attainment:
    limits: LimitSet
    items: tuple[ItemAttainment, ...]
    verdict: Verdict


def attainment(values: Mapping[str, int | float | Decimal | None], limits: LimitSet) -> Attainment:
    """Attainment (达标) of an area for a year against ``limits`` (aqi-rules §7).

    Each of the six figures is attained when it is at or below its Grade-II limit (GB 3095-2012 Table 1: a
    value equal to the limit meets it). ``values`` hold the annual figures, None where the annual statistic
    fails its data-capture rule (≥ 324 daily values, ≥ 27 in each month). The area attains when all six do;
    it does not when any one exceeds, even with others short of data [project rule: one exceedance is
    enough to know]; otherwise there is not enough data to say.
    """
    limits.require_complete()
    items = []
    for name in LIMITED_FIGURES:
        raw = values.get(name)
        exact = _limit(limits, name)
        limit = Decimal(exact.numerator) / exact.denominator
        if raw is None:
            items.append(ItemAttainment(name, None, limit, Verdict.NOT_ENOUGH_DATA))
            continue
        value = Decimal(str(raw))
        verdict = Verdict.ATTAINED if value <= limit else Verdict.NOT_ATTAINED
        items.append(ItemAttainment(name, value, limit, verdict))
    verdicts = {item.verdict for item in items}
    if Verdict.NOT_ATTAINED in verdicts:
        overall = Verdict.NOT_ATTAINED
    elif Verdict.NOT_ENOUGH_DATA in verdicts:
        overall = Verdict.NOT_ENOUGH_DATA
    else:
        overall = Verdict.ATTAINED
    return Attainment(limits, tuple(items), overall)


def rules_label(first: date, last: date) -> str:
    """The AQI edition(s) the days ``first`` … ``last`` were scored under (language-neutral, for the API and
    exports): "HJ 633-2012", "HJ 633-2026", or "HJ 633-2012 ≤ 2026-02-28, HJ 633-2026 ≥ 2026-03-01" for a
    span across the switch."""
    if last < EDITION_2026_START:
        return "HJ 633-2012"
    if first >= EDITION_2026_START:
        return "HJ 633-2026"
    before = EDITION_2026_START - timedelta(days=1)
    return f"HJ 633-2012 ≤ {before.isoformat()}, HJ 633-2026 ≥ {EDITION_2026_START.isoformat()}"


__all__ = [
    "FIGURE_NAMES",
    "GB3095_2012",
    "GB3095_2026_PHASE_ONE",
    "GB3095_2026_PHASE_TWO",
    "LIMITED_FIGURES",
    "LIMIT_SETS",
    "Attainment",
    "ItemAttainment",
    "LimitSet",
    "Verdict",
    "attainment",
    "composite_index",
    "composite_weights",
    "limit_set",
    "limits_in_force",
    "rules_label",
]
