"""The public page of the latest air (no login): each area's and station's AQI on the last day with results,
and each station's latest hour, with a download of what the page shows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import pgettext

from areas.exports import FORMATS, Table, table_response
from areas.page_cache import public_page

from . import selectors
from .categories import category_name
from .models import DailyValues, Flavour
from .selectors import LatestAir, LatestHour

HOURLY_ITEMS = ("pm25", "pm10", "so2", "no2", "co", "o3")


@dataclass(frozen=True)
class AirRow:
    """One line of the page and of its download: an area's or a station's day, or a station's hour."""

    scope: str
    code: str
    name: str
    when: date | datetime | None
    aqi: int | None
    category: int | None
    primary_pollutants: tuple[str, ...]
    values: dict[str, float | int | None]
    realtime: bool
    assessed: bool = True
    """False for an area without assessment stations: it has no figures at all."""

    @property
    def category_name(self) -> str:
        if not self.category:
            return ""
        return category_name(self.category)

    @property
    def primary_text(self) -> str:
        return pgettext("list separator", "、").join(self.primary_pollutants) if self.primary_pollutants else ""


def _day_row(scope: str, code: str, name: str, day: date | None, row: DailyValues | None) -> AirRow:
    values: dict[str, float | int | None] = {}
    if row is not None:
        values = {"pm25": row.pm25, "pm10": row.pm10, "so2": row.so2, "no2": row.no2, "co": row.co, "o3": row.o3_8h}
    return AirRow(
        scope=scope,
        code=code,
        name=name,
        when=day,
        aqi=row.aqi if row else None,
        category=row.category if row else None,
        primary_pollutants=tuple(row.primary_pollutants) if row else (),
        values=values,
        realtime=row is not None and row.flavour == Flavour.REALTIME,
    )


def _hour_row(hour: LatestHour) -> AirRow:
    return AirRow(
        scope="hour",
        code=hour.station.code,
        name=hour.station.localized_name,
        when=timezone.localtime(hour.time),
        aqi=hour.result.aqi,
        category=hour.result.category.level if hour.result.category else None,
        primary_pollutants=hour.result.primary_pollutants,
        values={item: hour.values.get(item) for item in HOURLY_ITEMS},
        realtime=True,
    )


@dataclass(frozen=True)
class AirRows:
    areas: list[AirRow]
    stations: list[AirRow]
    hours: list[AirRow]


def air_rows(air: LatestAir) -> AirRows:
    return AirRows(
        areas=[
            replace(
                _day_row("area", area.code, area.localized_name, air.day, row), assessed=area.code not in air.unassessed
            )
            for area, row in air.areas
        ],
        stations=[
            _day_row("station", station.code, station.localized_name, air.day, row)
            for station, row in air.stations
            if row
        ],
        hours=[_hour_row(hour) for hour in air.hours],
    )


def air_table(rows: AirRows, *, day: date | None) -> Table:
    scopes = {"area": gettext_now("区域日均"), "station": gettext_now("站点日均"), "hour": gettext_now("站点小时")}
    title = gettext_now("聊城市最近空气质量，%(day)s 自然日及各站点最近一小时") % {
        "day": day.isoformat() if day else "—"
    }
    if any(row.realtime for row in (*rows.areas, *rows.stations, *rows.hours)):
        title += " · " + gettext_now("实况数据（未经审核）")
    header = [
        gettext_now("类别"),
        gettext_now("代码"),
        gettext_now("名称"),
        gettext_now("日期或时间"),
        "AQI",
        gettext_now("空气质量级别"),
        gettext_now("首要污染物"),
        "PM2.5 (µg/m³)",
        "PM10 (µg/m³)",
        "SO2 (µg/m³)",
        "NO2 (µg/m³)",
        "CO (mg/m³)",
        gettext_now("O3（日：最大8小时平均；时：1小时）(µg/m³)"),
    ]
    body = [
        [
            scopes[row.scope],
            row.code,
            row.name,
            row.when,
            row.aqi,
            row.category_name or None,
            row.primary_text or None,
            *(row.values.get(item) for item in HOURLY_ITEMS),
        ]
        for row in (*rows.areas, *rows.stations, *rows.hours)
    ]
    return Table(header=header, rows=body, title=title, sheet_name="AQI")


@public_page()
def latest_air(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The last natural day with results up to yesterday (China time) and each station's latest hour."""
    air = selectors.latest_air(up_to=timezone.localdate() - timedelta(days=1))
    rows = air_rows(air)
    if fmt is not None:
        name = f"liaocheng-air-{air.day.isoformat() if air.day else 'none'}"
        return table_response(air_table(rows, day=air.day), fmt=fmt, filename=name)
    context = {
        "day": air.day,
        "rows": rows,
        "realtime": any(row.realtime for row in (*rows.areas, *rows.stations)),
        "formats": FORMATS,
    }
    return render(request, "monitoring/latest_air.html", context)
