from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as gettext_now
from rest_framework import serializers

from monitoring.models import Station


class StationSerializer(serializers.ModelSerializer):
    county_code = serializers.CharField(source="area.code", read_only=True)
    county_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Station
        fields = (
            "code",
            "name",
            "county_code",
            "county_name",
            "network",
            "latitude",
            "longitude",
            "active_from",
            "active_until",
        )
        read_only_fields = fields


# --- Computed statistics (docs/interfaces.md §3) ------------------------------------------------------------

FLAVOUR_CHOICES = (("realtime", "real-time (实况, unreviewed)"), ("reviewed", "reviewed (审核)"))
EDITION_HELP = "Standard edition used: 2012 (GB 3095-2012 / HJ 633-2012) before 2026-03-01, 2026 from then."


def dust_choice(help_text: str) -> serializers.ChoiceField:
    """The ``dust`` query parameter: the same choices and the same default as the pages, everywhere."""
    return serializers.ChoiceField(
        choices=(("deducted", "deducted"), ("raw", "raw")),
        default="deducted",
        help_text=help_text + " Default deducted: the series the pages and the progress figures use "
        "(扣沙, 环办监测〔2016〕120号).",
    )


class DailyQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First natural day, YYYY-MM-DD (inclusive).")
    end = serializers.DateField(help_text="Last natural day, YYYY-MM-DD (inclusive).")
    dust = dust_choice(
        "deducted: on the bureau's dust-storm days PM10 and PM2.5 are null (left out, as the period statistics "
        "leave them out) and dust_deducted is true; the day's AQI is the day's AQI either way. raw: every "
        "day's values."
    )

    MAX_DAYS = 3660

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(
                {
                    "end": gettext_now("结束日期 %(end)s 早于开始日期 %(start)s。")
                    % {"end": attrs["end"].isoformat(), "start": attrs["start"].isoformat()}
                }
            )
        if (attrs["end"] - attrs["start"]).days >= self.MAX_DAYS:
            raise serializers.ValidationError(
                {"end": gettext_now("一次最多查询 %(days)d 天。") % {"days": self.MAX_DAYS}}
            )
        return attrs


class AnnualQuerySerializer(serializers.Serializer):
    dust = dust_choice("deducted: PM10/PM2.5 of the bureau's dust-storm days left out; raw: every day's values.")
    rules = serializers.ChoiceField(
        choices=(("in_force", "in_force"), ("2012", "2012"), ("2026", "2026")),
        default="in_force",
        help_text="in_force: the stored figures, each day under the edition in force on it (official). 2012 or "
        "2026: recomputed on request with every day under HJ 633-2012 or HJ 633-2026 and the composite index "
        "over that edition's Grade-II limits, for comparisons like for like across 2026-03-01.",
    )


class DailyResultSerializer(serializers.Serializer):
    """One natural day (HJ 663-2013: D 01:00 … D+1 00:00) of a station, county or the city."""

    date = serializers.DateField()
    aqi = serializers.IntegerField(allow_null=True, help_text="Daily AQI (HJ 633); null when not a valid day.")
    category = serializers.IntegerField(allow_null=True, help_text="AQI category 1-6 (HJ 633-2012 Table 2).")
    primary_pollutants = serializers.ListField(child=serializers.CharField())
    valid = serializers.BooleanField(help_text="A valid monitoring day (aqi-rules §3).")
    pm25 = serializers.IntegerField(allow_null=True, help_text="24-h mean, µg/m³.")
    pm10 = serializers.IntegerField(allow_null=True, help_text="24-h mean, µg/m³.")
    so2 = serializers.IntegerField(allow_null=True, help_text="24-h mean, µg/m³.")
    no2 = serializers.IntegerField(allow_null=True, help_text="24-h mean, µg/m³.")
    co = serializers.FloatField(allow_null=True, help_text="24-h mean, mg/m³, one decimal.")
    o3_8h = serializers.IntegerField(allow_null=True, help_text="Daily maximum 8-h mean (MDA8), µg/m³.")
    o3_1h = serializers.IntegerField(allow_null=True, help_text="Daily maximum 1-h value, µg/m³.")
    edition = serializers.CharField(help_text=EDITION_HELP)
    rules = serializers.CharField(help_text='The AQI rules the day was scored under: "HJ 633-2012" or "HJ 633-2026".')
    flavour = serializers.ChoiceField(choices=FLAVOUR_CHOICES, help_text="real-time if any hour was real-time.")
    dust_day = serializers.BooleanField(
        help_text="The bureau marked the day as dust-affected for this series: for the whole city, or for this "
        "county or zone (a station: the one it lies in)."
    )
    dust_deducted = serializers.BooleanField(
        help_text="True on a dust-storm day of the deducted series (dust=deducted, the default): PM10 and PM2.5 "
        "are then null."
    )


class AnnualResultSerializer(serializers.Serializer):
    """A calendar year, or the year to date while it is in progress (GB 3095-2012 Table 4, HJ 663-2013 §5)."""

    year = serializers.IntegerField()
    start = serializers.DateField()
    through = serializers.DateField(help_text="Last day included: 31 December, or the last day with data.")
    complete = serializers.BooleanField(help_text="False for a year still in progress (year to date).")
    valid_days = serializers.IntegerField()
    good_days = serializers.IntegerField()
    heavy_days = serializers.IntegerField()
    good_day_ratio = serializers.FloatField(allow_null=True)
    heavy_day_ratio = serializers.FloatField(allow_null=True)
    pm25 = serializers.IntegerField(allow_null=True)
    pm10 = serializers.IntegerField(allow_null=True)
    so2 = serializers.IntegerField(allow_null=True)
    no2 = serializers.IntegerField(allow_null=True)
    co_p95 = serializers.FloatField(allow_null=True)
    o3_8h_p90 = serializers.IntegerField(allow_null=True)
    so2_p98 = serializers.IntegerField(allow_null=True)
    no2_p98 = serializers.IntegerField(allow_null=True)
    pm10_p95 = serializers.IntegerField(allow_null=True)
    pm25_p95 = serializers.IntegerField(allow_null=True)
    composite_index = serializers.FloatField(allow_null=True)
    edition = serializers.CharField(help_text=EDITION_HELP + " 2012+2026 for a year spanning both.")
    rules = serializers.CharField(
        help_text='The AQI rules the days were scored under: "HJ 633-2012", "HJ 633-2026", or '
        '"HJ 633-2012 ≤ 2026-02-28, HJ 633-2026 ≥ 2026-03-01" for a year across the switch.'
    )
    composite_limits = serializers.CharField(
        help_text='The Grade-II limits composite_index divides by: "GB 3095-2012" (PM2.5/35) or "GB 3095-2026 (I)" '
        "(phase one, from 2026-03-01: PM2.5/30); those in force on the period's last day."
    )
    flavour = serializers.ChoiceField(choices=FLAVOUR_CHOICES)
    dust_deducted = serializers.BooleanField()
