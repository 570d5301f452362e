"""Serializers of the progress API (docs/interfaces.md §4): figures as strings exactly as the pages show them."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from progress.models import ProgressSnapshot, RankingEntry
from progress.scoring import shown

# The statuses as the API gives them (named StatusEnum in the schema: settings.SPECTACULAR_SETTINGS).
SNAPSHOT_STATUSES = [value for value, _label in ProgressSnapshot.Status.choices]


class AllowanceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["polluted_days", "heavy_days", "mean_needed", "none"],
        help_text="polluted_days: days with AQI > 100 still allowed this year to reach the good-day target; "
        "heavy_days: days with AQI > 200 still allowed; mean_needed: the mean of daily values the rest of the "
        "year must stay at or under; none: no allowance (year complete, no goal).",
    )
    value = serializers.CharField(allow_null=True, help_text="Days (integer) or µg/m³ (one decimal); null when none.")
    out_of_reach = serializers.BooleanField(help_text="True when the target can no longer be met this year.")


class IndicatorProgressSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="Indicator code (good_day_ratio, pm25, heavy_day_ratio, …).")
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.ChoiceField(choices=["at_least", "at_most"])
    actual = serializers.CharField(
        allow_null=True, help_text="Year to date (reductions: cumulative since the plan's first year)."
    )
    goal = serializers.CharField(allow_null=True, help_text="The yearly milestone, or the target from its year on.")
    same_period_last_year = serializers.CharField(
        allow_null=True,
        help_text="The same days of last year, like for like: scored under the rules in force on the same days "
        "this year, the composite index over this year's limits (see the run's last_year_restated). The changes "
        "are computed on it.",
    )
    same_period_last_year_official = serializers.CharField(
        allow_null=True, help_text="The same days of last year as officially computed then (under that year's rules)."
    )
    change_percent = serializers.CharField(
        allow_null=True, help_text="Year on year, % of last year's like-for-like figure."
    )
    change_points = serializers.CharField(
        allow_null=True,
        help_text="Ratios only (good_day_ratio, heavy_day_ratio): year on year in percentage points, signed "
        '("+1.2"); this is how a ratio\'s change is reported. Null for the other figures.',
    )
    status = serializers.ChoiceField(
        choices=SNAPSHOT_STATUSES,
        allow_blank=True,
        help_text="See /methodology/ for the thresholds.",
    )
    valid_days = serializers.IntegerField()
    allowance = AllowanceSerializer()


class AreaProgressSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField()
    indicators = IndicatorProgressSerializer(many=True)
    ranking = serializers.DictField(
        allow_null=True, help_text="The unit's place among all the assessment units (null for the city)."
    )
    group_rankings = serializers.ListField(
        child=serializers.DictField(),
        help_text="The unit's place within each ranking group it is in (主城四区, 七县市): the group's code and "
        "name with the same fields as `ranking`, ranked among the group's members only.",
    )


class PlanReferenceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    status = serializers.CharField(help_text="draft_for_comments, in_force or closed.")


class ProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    plan = PlanReferenceSerializer(
        allow_null=True,
        help_text="The plan whose targets the year is measured against; null when no plan's period holds the "
        "year (then there are no goals and no statuses).",
    )
    as_of = serializers.DateField(allow_null=True, help_text="Last day with daily results included.")
    flavour = serializers.CharField(help_text="realtime, reviewed or mixed (HJ 663 data flavours).")
    dust_deducted = serializers.BooleanField()
    edition = serializers.CharField(
        help_text='The AQI rules the days so far were scored under: "HJ 633-2012", "HJ 633-2026", or '
        '"HJ 633-2012 ≤ 2026-02-28, HJ 633-2026 ≥ 2026-03-01" for a year across the switch. Empty without data.'
    )
    composite_limits = serializers.CharField(
        help_text='The Grade-II limits the composite index divides by: "GB 3095-2012" (PM2.5/35) or '
        '"GB 3095-2026 (I)" (phase one, PM2.5/30). Empty without data.'
    )
    last_year_restated = serializers.BooleanField(
        help_text="True when last year was recomputed under this year's rules for the comparison (years across "
        "2026-03-01); same_period_last_year_official then keeps the figure as published."
    )
    computed_at = serializers.DateTimeField()
    data_updated_at = serializers.DateTimeField(allow_null=True)
    published = serializers.BooleanField()
    areas = AreaProgressSerializer(many=True)


def _value(value: Any, code: str) -> str | None:
    return None if value is None else shown(value, code)


def allowance(snapshot: ProgressSnapshot) -> dict[str, Any]:
    kind: str = snapshot.allowance_kind or "none"
    if snapshot.allowance_days is not None or (snapshot.out_of_reach and kind in ("polluted_days", "heavy_days")):
        value = None if snapshot.allowance_days is None else str(snapshot.allowance_days)
    elif snapshot.allowance_mean is not None or (snapshot.out_of_reach and kind == "mean_needed"):
        value = None if snapshot.allowance_mean is None else f"{snapshot.allowance_mean:f}"
    else:
        kind, value = "none", None
    return {"kind": kind, "value": value, "out_of_reach": snapshot.out_of_reach}


def indicator_progress(indicator: Any, snapshot: ProgressSnapshot) -> dict[str, Any]:
    code = indicator.code
    return {
        "indicator": code,
        "name": str(indicator.name),
        "unit": indicator.unit,
        "direction": indicator.direction,
        "actual": _value(snapshot.actual, code),
        "goal": _value(snapshot.goal, code),
        "same_period_last_year": _value(snapshot.last_year, code),
        "same_period_last_year_official": _value(snapshot.last_year_official, code),
        "change_percent": _value(snapshot.change_percent, "change_percent"),
        "change_points": None if snapshot.change_points is None else f"{snapshot.change_points:+f}",
        "status": snapshot.status,
        "valid_days": snapshot.valid_days,
        "allowance": allowance(snapshot),
    }


def group_ranking_entry(entry: RankingEntry, *, ranked: int) -> dict[str, Any]:
    """A unit's place within one ranking group (主城四区, 七县市): the group, how many it ranked, and the
    ranking fields."""
    assert entry.group is not None
    group = {"group": entry.group.code, "group_name": entry.group.name, "ranked": ranked}
    return group | (ranking_entry(entry) or {})


def ranking_entry(entry: RankingEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "score": _value(entry.score, "score"),
        "score_rank": entry.score_rank,
        "composite_index": _value(entry.composite_index, "composite_index"),
        "composite_index_rank": entry.composite_index_rank,
        "pm25": _value(entry.pm25, "pm25"),
        "pm25_rank": entry.pm25_rank,
        "improvement_percent": _value(entry.improvement, "improvement"),
        "improvement_rank": entry.improvement_rank,
        "measures_on_time_percent": _value(entry.measures_on_time, "measures_on_time"),
        "worse_than_city": entry.worse_than_city,
        "worse_than_last_year": entry.worse_than_last_year,
    }
