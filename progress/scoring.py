"""Progress against the plan: statuses, remaining allowances, rankings and the county score.

Plain Python, no Django: every function takes plain numbers and returns frozen dataclasses, so a
reader can recompute each figure by hand (the methodology page prints the same tables).

Conventions
- Ratios are percentages with one decimal, concentrations µg/m³ reported as integers, as in
  docs/aqi-rules.md §5 (HJ 663-2013 §5; GB/T 8170 rounding, round half to even).
- "Reported" values are rounded before they are compared, because bulletins compare the rounded
  figure with the target: 233 good days of 365 give 63.8 %, which meets 63.7 %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from fractions import Fraction
from math import floor
from typing import Literal

from areas.rounding import round_decimal

Direction = Literal["at_least", "at_most"]


class Status(StrEnum):
    """Where an indicator stands against its yearly milestone (labels live in the UI)."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    INSUFFICIENT_DATA = "insufficient_data"


# [project rule] A year-to-date or monthly status needs at least this many valid monitoring days;
# with fewer (e.g. on 1 January) the status is "insufficient data".
MIN_VALID_DAYS_FOR_STATUS = 15


AllowanceKind = Literal["polluted_days", "heavy_days", "mean_needed"]


@dataclass(frozen=True)
class FigureFacts:
    """What every page, export and document needs to know of a figure (docs/aqi-rules.md §5): the one table."""

    code: str
    unit: str
    """"%", "µg/m³", "mg/m³", or "" for an index or a count."""
    decimals: int
    """Places it is reported with (GB/T 8170): ratios one, the composite index two, CO one, else none."""
    lower_is_better: bool
    margin: Decimal | None = None
    """[project rule] The at-risk band around the milestone, in the figure's unit (None: no status band)."""
    allowance: AllowanceKind | None = None
    """What is left of the year's goal while the year runs: polluted days still allowed
    (the good-day ratio), heavy days still allowed (the heavy-day ratio), the mean the rest of the year must
    keep under (PM2.5); None: no allowance is computed. How each is reckoned: the methodology page, 三、剩余空间."""

    @property
    def is_ratio(self) -> bool:
        """A ratio changes in percentage points (个百分点), not in per cent."""
        return self.unit == "%"


FIGURES: tuple[FigureFacts, ...] = (
    FigureFacts("good_day_ratio", "%", 1, lower_is_better=False, margin=Decimal("2.0"), allowance="polluted_days"),
    FigureFacts("heavy_day_ratio", "%", 1, lower_is_better=True, margin=Decimal("0.5"), allowance="heavy_days"),
    FigureFacts("pm25", "µg/m³", 0, lower_is_better=True, margin=Decimal("2"), allowance="mean_needed"),
    FigureFacts("pm10", "µg/m³", 0, lower_is_better=True, margin=Decimal("3")),
    FigureFacts("composite_index", "", 2, lower_is_better=True, margin=Decimal("0.10")),
    FigureFacts("so2", "µg/m³", 0, lower_is_better=True),
    FigureFacts("no2", "µg/m³", 0, lower_is_better=True),
    FigureFacts("co_p95", "mg/m³", 1, lower_is_better=True),
    FigureFacts("o3_8h_p90", "µg/m³", 0, lower_is_better=True),
    FigureFacts("good_days", "", 0, lower_is_better=False),
    FigureFacts("heavy_days", "", 0, lower_is_better=True),
)
FIGURE_BY_CODE: dict[str, FigureFacts] = {figure.code: figure for figure in FIGURES}


@dataclass(frozen=True)
class Margin:
    """How close to the milestone counts as "at risk", in the indicator's unit."""

    indicator: str
    value: Decimal
    unit: str


# [project rule] At-risk bands (FIGURES): a year-to-date figure within this distance of the milestone, on
# either side, is "at risk"; beyond it on the good side "on track", on the bad side "off track".
STATUS_MARGINS: tuple[Margin, ...] = tuple(
    Margin(figure.code, figure.margin, figure.unit) for figure in FIGURES if figure.margin is not None
)
MARGIN_BY_INDICATOR: dict[str, Decimal] = {m.indicator: m.value for m in STATUS_MARGINS}


#: Figures derived from the indicators, reported with one decimal: a unit's score (points of 100), the
#: improvement of its composite index and the change of a figure on last year (per cent; a ratio's in
#: percentage points), and the share of its measures done on time (per cent).
DERIVED_DECIMALS: dict[str, int] = {
    "score": 1,
    "improvement": 1,
    "change_percent": 1,
    "change_points": 1,
    "measures_on_time": 1,
}

# Decimal places each figure is reported with (FIGURES); a code in neither table (a tonnage) is whole.
FIGURE_DECIMALS: dict[str, int] = {
    **{figure.code: figure.decimals for figure in FIGURES if figure.decimals},
    **DERIVED_DECIMALS,
}


def reported(value: Decimal | float | int, code: str) -> Decimal:
    """A figure rounded to the places it is reported with (FIGURE_DECIMALS; GB/T 8170)."""
    return round_decimal(value, FIGURE_DECIMALS.get(code, 0))


def shown(value: Decimal | None, code: str) -> str:
    """A figure exactly as pages and exports show it ("—" when there is none)."""
    if value is None:
        return "—"
    return f"{reported(value, code):f}"


def ratio_percent(count: int, days: int) -> Decimal | None:
    """A day ratio as reported: count / days x 100, one decimal (HJ 663-2013 §5; docs/aqi-rules.md §5)."""
    if days <= 0:
        return None
    return round_decimal(Fraction(count * 100, days), 1)


def meets(direction: Direction, actual: Decimal, goal: Decimal) -> bool:
    return actual >= goal if direction == "at_least" else actual <= goal


def indicator_status(
    *,
    indicator: str,
    direction: Direction,
    actual: Decimal | None,
    milestone: Decimal | None,
    valid_days: int,
    period_complete: bool,
    secured: bool = False,
    out_of_reach: bool = False,
) -> Status:
    """The status of one indicator for one period.

    Order of the rules (each documented on the methodology page):
    1. no figure, no milestone, or fewer than MIN_VALID_DAYS_FOR_STATUS valid days: insufficient data;
    2. a complete period: achieved when the reported figure meets the milestone, else off track;
    3. a period in progress whose result is already certain either way: achieved (secured even if
       every remaining day is polluted) or off track (out of reach even if every remaining day is good);
    4. otherwise by the distance to the milestone: within the at-risk margin on either side at risk,
       beyond it on track (good side) or off track (bad side).
    """
    if actual is None or milestone is None or valid_days < MIN_VALID_DAYS_FOR_STATUS:
        return Status.INSUFFICIENT_DATA
    if period_complete:
        return Status.ACHIEVED if meets(direction, actual, milestone) else Status.OFF_TRACK
    if secured:
        return Status.ACHIEVED
    if out_of_reach:
        return Status.OFF_TRACK
    margin = MARGIN_BY_INDICATOR.get(indicator, Decimal(0))
    # Positive slack is on the good side of the milestone.
    slack = actual - milestone if direction == "at_least" else milestone - actual
    if abs(slack) <= margin:
        return Status.AT_RISK
    return Status.ON_TRACK if slack > 0 else Status.OFF_TRACK


# ---------------------------------------------------------------------------------------------
# Remaining allowance (剩余可超标天数 / 剩余日均浓度控制值)
# [project rule] The remaining days of the year are assumed to be valid monitoring days.


@dataclass(frozen=True)
class DaysAllowance:
    """Days still allowed for a ratio target over the whole year."""

    remaining_days: int
    """Calendar days of the year not yet elapsed."""
    year_days: int
    """Valid days at year end under the assumption: valid so far + remaining days."""
    limit_days: int
    """Good days needed (good-day target) or heavy days allowed (heavy-day target) in the whole year."""
    allowed: int | None
    """Polluted (or heavy) days still allowed for the rest of the year; None when out of reach."""
    out_of_reach: bool
    secured: bool
    """True when the target is met whatever the remaining days bring."""


def good_days_needed(*, target_ratio: Decimal, valid_days: int) -> int:
    """Fewest good days whose reported ratio meets the target: 233 of 365 for 63.7 % (63.8 reported)."""
    for good in range(valid_days + 1):
        ratio = ratio_percent(good, valid_days)
        if ratio is not None and ratio >= target_ratio:
            return good
    return valid_days + 1  # unreachable: even 100 % falls short (a target above 100)


def heavy_days_allowed_total(*, target_ratio: Decimal, valid_days: int) -> int:
    """Most heavy days whose reported ratio stays within the target: 4 of 365 for 1.2 % (1.1 reported)."""
    allowed = -1
    for heavy in range(valid_days + 1):
        ratio = ratio_percent(heavy, valid_days)
        if ratio is not None and ratio <= target_ratio:
            allowed = heavy
        else:
            break
    return allowed


def good_day_allowance(*, target_ratio: Decimal, valid_days: int, good_days: int, remaining_days: int) -> DaysAllowance:
    """Polluted days still allowed this year to reach the good-day target.

    With V = valid days so far + remaining days and G = good_days_needed(V), the year may have
    V - G polluted days; valid_days - good_days of them are used, so the rest of the year may have
    (V - G) - (valid_days - good_days). Negative means out of reach even if every remaining day is good.
    """
    year_days = valid_days + remaining_days
    needed = good_days_needed(target_ratio=target_ratio, valid_days=year_days)
    allowed = (year_days - needed) - (valid_days - good_days)
    if allowed < 0:
        return DaysAllowance(remaining_days, year_days, needed, None, out_of_reach=True, secured=False)
    secured = good_days >= needed
    return DaysAllowance(remaining_days, year_days, needed, min(allowed, remaining_days), False, secured)


def heavy_day_allowance(
    *, target_ratio: Decimal, valid_days: int, heavy_days: int, remaining_days: int
) -> DaysAllowance:
    """Heavy-or-worse days still allowed this year (AQI > 200) to stay within the heavy-day target."""
    year_days = valid_days + remaining_days
    limit = heavy_days_allowed_total(target_ratio=target_ratio, valid_days=year_days)
    allowed = limit - heavy_days
    if allowed < 0:
        return DaysAllowance(remaining_days, year_days, limit, None, out_of_reach=True, secured=False)
    # Secured only when no day is left that could be heavy and push the ratio over.
    secured = allowed >= remaining_days
    return DaysAllowance(remaining_days, year_days, limit, min(allowed, remaining_days), False, secured)


@dataclass(frozen=True)
class MeanAllowance:
    """The mean the rest of the year must stay under for an annual-mean target."""

    remaining_days: int
    cap_reported: int
    """The largest reported (integer) annual mean that meets the target."""
    max_year_sum: int
    """The largest sum of daily values over the year whose mean still reports as cap_reported."""
    needed_mean: Decimal | None
    """Mean the remaining days must not exceed, one decimal rounded down; None when out of reach."""
    out_of_reach: bool


def mean_allowance(*, target: Decimal, days_so_far: int, sum_so_far: int, remaining_days: int) -> MeanAllowance:
    """The PM2.5 (or any annual-mean) level the rest of the year must stay under.

    The annual mean is the mean of the daily values, reported as an integer rounded half to even
    (docs/aqi-rules.md §5, GB/T 8170). The target T is met when the reported mean is at most floor(T),
    so by any exact mean below floor(T) + 0.5, or equal to it when floor(T) is even (43.5 reports
    as 44, so 43 needs a mean < 43.5; 42.5 reports as 42, so 42 allows a mean of exactly 42.5).
    With D = days_so_far + remaining_days the largest allowed year sum is S_max; the remaining days
    must then sum to at most S_max - sum_so_far, i.e. average at most (S_max - sum_so_far) / remaining,
    the bulletin formula needed = (target x D - sum_so_far) / remaining with the rounding made exact.
    Shown rounded down to one decimal so that staying at or under the shown value always suffices.
    """
    cap = floor(target)
    total_days = days_so_far + remaining_days
    half = Fraction(2 * cap + 1, 2)  # cap + 0.5
    exact_max = half * total_days
    max_sum = floor(exact_max)
    if max_sum == exact_max and cap % 2 == 1:
        max_sum -= 1  # a mean of exactly cap + 0.5 rounds up to the even cap + 1
    remaining_sum = max_sum - sum_so_far
    if remaining_days <= 0:
        return MeanAllowance(0, cap, max_sum, None, out_of_reach=remaining_sum < 0)
    if remaining_sum < 0:
        return MeanAllowance(remaining_days, cap, max_sum, None, out_of_reach=True)
    needed = Fraction(remaining_sum, remaining_days)
    shown = (Decimal(needed.numerator) / Decimal(needed.denominator)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return MeanAllowance(remaining_days, cap, max_sum, shown, out_of_reach=False)


# ---------------------------------------------------------------------------------------------
# Year on year


def change_percent(*, current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Change against the same period last year, % of last year's figure, one decimal (同比)."""
    if current is None or previous is None or previous == 0:
        return None
    return round_decimal(Fraction(current - previous) / Fraction(previous) * 100, 1)


#: Figures that are ratios (%): their change on last year is in percentage points (个百分点), not in per cent.
RATIO_FIGURES = tuple(figure.code for figure in FIGURES if figure.is_ratio)


def change_points(*, code: str, current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """A ratio's change against the same period last year in percentage points (个百分点): the difference of
    the two reported ratios, one decimal. None for a figure that is not a ratio, or without both."""
    if code not in RATIO_FIGURES or current is None or previous is None:
        return None
    return round_decimal(Fraction(current) - Fraction(previous), 1)


#: Figures where more is better; for every other monitoring figure (concentrations, the composite index,
#: heavy-pollution days and their ratio) less is better.
HIGHER_IS_BETTER = ("good_day_ratio", "good_days")


class Change(StrEnum):
    """How a figure moved on the same period last year, as a bulletin words it (改善 / 持平 / 恶化)."""

    BETTER = "better"
    LEVEL = "level"
    WORSE = "worse"


def change_of(*, code: str, current: Decimal | None, previous: Decimal | None) -> Change | None:
    """Better, level or worse, judged on the two reported figures (bulletin.md: changes are of the reported
    values); None without both."""
    if current is None or previous is None:
        return None
    now, before = reported(current, code), reported(previous, code)
    if now == before:
        return Change.LEVEL
    return Change.BETTER if (now > before) == (code in HIGHER_IS_BETTER) else Change.WORSE


def improvement_percent(*, current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Improvement rate (改善率) of a lower-is-better figure: positive when it fell, one decimal."""
    change = change_percent(current=current, previous=previous)
    return None if change is None else -change


# ---------------------------------------------------------------------------------------------
# Rankings (排名, 并列)


def competition_ranks(values: Mapping[str, Decimal | None], *, lower_is_better: bool) -> dict[str, int | None]:
    """Standard competition ranking ("1224"): equal values share a rank (并列), the next rank skips.

    Areas without a value get no rank (None).
    """
    present = [(key, value) for key, value in values.items() if value is not None]
    ordered = sorted(present, key=lambda item: item[1], reverse=not lower_is_better)
    ranks: dict[str, int | None] = dict.fromkeys(values)
    previous: tuple[str, Decimal] | None = None
    for position, (key, value) in enumerate(ordered, start=1):
        # Sorted, so a tie can only be with the previous entry, whose rank it shares.
        ranks[key] = ranks[previous[0]] if previous is not None and previous[1] == value else position
        previous = (key, value)
    return ranks


# ---------------------------------------------------------------------------------------------
# County score


@dataclass(frozen=True)
class ScoreWeight:
    component: str
    weight: Decimal
    basis: str
    """How the component's points (0-100) are derived; printed on the methodology page."""


# [project rule] The county score: weights are public (methodology page). A ranked component gives
# 100 x (n - rank) / (n - 1) points (rank 1 -> 100, last -> 0, n = number of ranked counties); the
# measures component gives the on-time share in percent. Components an area lacks are left out and
# the remaining weights rescaled to sum to 1. Score rounded to one decimal (half to even).
SCORE_WEIGHTS: tuple[ScoreWeight, ...] = (
    ScoreWeight("composite_index_rank", Decimal("0.35"), "rank"),
    ScoreWeight("pm25_rank", Decimal("0.15"), "rank"),
    ScoreWeight("improvement_rank", Decimal("0.30"), "rank"),
    ScoreWeight("measures_on_time", Decimal("0.20"), "share"),
)


def rank_points(rank: int | None, ranked: int) -> Fraction | None:
    """Points for a rank among `ranked` areas: 100 for first, 0 for last, linear between."""
    if rank is None or ranked <= 0:
        return None
    if ranked == 1:
        return Fraction(100)
    return Fraction(100 * (ranked - rank), ranked - 1)


@dataclass(frozen=True)
class AreaInputs:
    """What the ranking needs about one area for one period."""

    code: str
    composite_index: Decimal | None
    pm25: Decimal | None
    composite_index_last_year: Decimal | None
    measures_on_time_share: Decimal | None
    """Share of the area's measures due so far that were completed on time, 0-1, or None."""
    assessed_as_city: bool = False
    """The area is assessed on exactly the city's stations: "worse than the city" would compare the city
    with itself, so it is not judged."""


@dataclass(frozen=True)
class RankingRow:
    code: str
    composite_index: Decimal | None
    composite_index_rank: int | None
    pm25: Decimal | None
    pm25_rank: int | None
    improvement: Decimal | None
    """Improvement of the composite index on the same period last year, % (positive is better)."""
    improvement_rank: int | None
    measures_on_time: Decimal | None
    """On-time share in percent, one decimal."""
    score: Decimal | None
    score_rank: int | None
    worse_than_city: bool
    worse_than_last_year: bool


def county_score(components: Mapping[str, Fraction | None]) -> Decimal | None:
    """The weighted score of the available components (points 0-100), one decimal."""
    total_weight = Fraction(0)
    total = Fraction(0)
    for weight in SCORE_WEIGHTS:
        points = components.get(weight.component)
        if points is None:
            continue
        w = Fraction(weight.weight)
        total_weight += w
        total += w * points
    if total_weight == 0:
        return None
    return round_decimal(total / total_weight, 1)


def rank_areas(areas: Sequence[AreaInputs], *, city_composite_index: Decimal | None) -> list[RankingRow]:
    """Rank areas by composite index, PM2.5 and improvement; score them; flag the highlight rules.

    Highlight rules (as in the bureau's county bulletins): an area is "worse than the city" when its
    composite index exceeds the city's, "worse than last year" when it exceeds its own figure for the
    same period last year. Returned in score-rank order (unranked last, then by code).
    """
    improvements = {
        a.code: improvement_percent(current=a.composite_index, previous=a.composite_index_last_year) for a in areas
    }
    composite_ranks = competition_ranks({a.code: a.composite_index for a in areas}, lower_is_better=True)
    pm25_ranks = competition_ranks({a.code: a.pm25 for a in areas}, lower_is_better=True)
    improvement_ranks = competition_ranks(improvements, lower_is_better=False)
    counts = {
        "composite_index_rank": sum(r is not None for r in composite_ranks.values()),
        "pm25_rank": sum(r is not None for r in pm25_ranks.values()),
        "improvement_rank": sum(r is not None for r in improvement_ranks.values()),
    }
    scores: dict[str, Decimal | None] = {}
    shares: dict[str, Decimal | None] = {}
    for a in areas:
        share = a.measures_on_time_share
        shares[a.code] = None if share is None else round_decimal(share * 100, 1)
        scores[a.code] = county_score(
            {
                "composite_index_rank": rank_points(composite_ranks[a.code], counts["composite_index_rank"]),
                "pm25_rank": rank_points(pm25_ranks[a.code], counts["pm25_rank"]),
                "improvement_rank": rank_points(improvement_ranks[a.code], counts["improvement_rank"]),
                "measures_on_time": None if share is None else Fraction(share) * 100,
            }
        )
    score_ranks = competition_ranks(scores, lower_is_better=False)
    rows = [
        RankingRow(
            code=a.code,
            composite_index=a.composite_index,
            composite_index_rank=composite_ranks[a.code],
            pm25=a.pm25,
            pm25_rank=pm25_ranks[a.code],
            improvement=improvements[a.code],
            improvement_rank=improvement_ranks[a.code],
            measures_on_time=shares[a.code],
            score=scores[a.code],
            score_rank=score_ranks[a.code],
            worse_than_city=(
                not a.assessed_as_city
                and a.composite_index is not None
                and city_composite_index is not None
                and a.composite_index > city_composite_index
            ),
            worse_than_last_year=(
                a.composite_index is not None
                and a.composite_index_last_year is not None
                and a.composite_index > a.composite_index_last_year
            ),
        )
        for a in areas
    ]
    return sorted(rows, key=lambda r: (r.score_rank is None, r.score_rank or 0, r.code))
