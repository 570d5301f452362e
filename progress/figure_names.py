"""What each figure of ``scoring.FIGURES`` is called, in the reader's language: the one table of names that
pages, exports, charts, the map and documents use.

A pollutant's figure is written with its formula (PM2.5, CO), as bulletins write it beside its value;
``monitoring.standards.FIGURE_NAMES`` names the statistic behind it instead ("CO P95"), for the attainment
tables that set each statistic against its limit.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import scoring

FIGURE_NAMES: dict[str, str | Promise] = {
    "good_day_ratio": _("优良天数比例"),
    "heavy_day_ratio": _("重度及以上污染天数比例"),
    "pm25": "PM2.5",
    "pm10": "PM10",
    "composite_index": _("综合指数"),
    "so2": "SO2",
    "no2": "NO2",
    "co_p95": "CO",
    "o3_8h_p90": "O3",
    "good_days": _("优良天数"),
    "heavy_days": _("重污染天数"),
}
#: The figures that are concentrations (a mass per volume).
CONCENTRATIONS = tuple(figure.code for figure in scoring.FIGURES if figure.unit in ("µg/m³", "mg/m³"))


def figure_name(code: str) -> str:
    """``code``'s name, as written beside its value ("PM2.5 43 µg/m³", "优良天数比例 63.7%")."""
    return str(FIGURE_NAMES[code])


def figure_heading(code: str) -> str:
    """``code``'s name where it stands without its value, as a row or column heading: a concentration is
    called one ("PM2.5 浓度")."""
    if code in CONCENTRATIONS:
        return gettext("%(pollutant)s 浓度") % {"pollutant": figure_name(code)}
    return figure_name(code)
