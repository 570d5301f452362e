"""Air quality index (AQI) exactly as HJ 633-2012 (and HJ 633-2026 from 2026-03-01) define it.

The spec, clause by clause, is ``docs/aqi-rules.md`` (§3). Everything here is exact integer arithmetic:
concentrations are held as integer "units" (µg/m³ for SO2, NO2, PM10, PM2.5, O3; tenths of mg/m³ for CO)
and the sub-index formula (HJ 633-2012 §5.2, formula 1) is evaluated as a ratio of integers rounded *up*
("全部进位取整数"), so CO 2.2 mg/m³ gives IAQI 55 (floats give 56).

Public interface:
- ``EDITION_2012``, ``EDITION_2026``, ``edition_for(day)``: which edition applies to a date.
- ``BREAKPOINTS_2012``, ``BREAKPOINTS_2026``: HJ 633 Table 1 as tuples of frozen ``BreakpointRow``.
- ``iaqi(item, concentration, edition=...)``: one sub-index (exact decimal input, e.g. ``"35.4"`` or 35.4).
- ``CATEGORIES``, ``category_for(aqi)``: HJ 633-2012 Table 2 (levels 1-6, Chinese/English, RGB).
- ``daily_aqi(values, edition=...)`` and its vectorised form ``daily_aqi_arrays``: the daily AQI,
  category, primary pollutants and the valid-monitoring-day flag.
- ``hourly_aqi(values, edition=...)`` and ``hourly_aqi_arrays``: the real-time AQI as CNEMC publishes it.

No Django import: this is a pure module (see the Makefile's PURE_MODULES).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt

from areas.rounding import IntArray, exact_decimal, float_to_units

BoolArray = npt.NDArray[np.bool_]

# --------------------------------------------------------------------------------------------------
# Editions
# --------------------------------------------------------------------------------------------------
EDITION_2012: Final = "2012"
EDITION_2026: Final = "2026"
EDITIONS: Final = (EDITION_2012, EDITION_2026)
#: GB 3095-2026 / HJ 633-2026 take effect on 2026-03-01; earlier data use the 2012 editions (aqi-rules §7).
EDITION_2026_START: Final = date(2026, 3, 1)


def edition_for(day: date) -> str:
    """The standard edition that applies to the natural day ``day`` ("2012" or "2026")."""
    return EDITION_2026 if day >= EDITION_2026_START else EDITION_2012


def check_edition(edition: str) -> str:
    """``edition`` itself when it is a known edition, else a ``ValueError`` naming the choices."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown standard edition {edition!r}; expected one of {', '.join(EDITIONS)}")
    return edition


# --------------------------------------------------------------------------------------------------
# Pollutants and sub-index items
# --------------------------------------------------------------------------------------------------
#: Pollutant codes of the data contract, in HJ 633-2012 Table 1 order.
POLLUTANTS: Final = ("so2", "no2", "pm10", "co", "o3", "pm25")
#: How a pollutant is shown (primary pollutants, tables).
DISPLAY_NAMES: Final[Mapping[str, str]] = {
    "so2": "SO2",
    "no2": "NO2",
    "pm10": "PM10",
    "co": "CO",
    "o3": "O3",
    "pm25": "PM2.5",
}
#: Decimal places a concentration is reported with (HJ 663-2013 §6.3): CO one decimal (mg/m³), others integers.
DECIMALS: Final[Mapping[str, int]] = {"so2": 0, "no2": 0, "pm10": 0, "co": 1, "o3": 0, "pm25": 0}

# Sub-index items: a pollutant with an averaging time (the columns of HJ 633-2012 Table 1).
SO2_24H: Final = "so2_24h"
SO2_1H: Final = "so2_1h"
NO2_24H: Final = "no2_24h"
NO2_1H: Final = "no2_1h"
PM10_24H: Final = "pm10_24h"
CO_24H: Final = "co_24h"
CO_1H: Final = "co_1h"
O3_1H: Final = "o3_1h"
O3_8H: Final = "o3_8h"
PM25_24H: Final = "pm25_24h"
ITEMS: Final = (SO2_24H, SO2_1H, NO2_24H, NO2_1H, PM10_24H, CO_24H, CO_1H, O3_1H, O3_8H, PM25_24H)
ITEM_POLLUTANT: Final[Mapping[str, str]] = {item: item.split("_")[0] for item in ITEMS}


@dataclass(frozen=True)
class BreakpointRow:
    """One row of HJ 633 Table 1: the concentration limits (µg/m³; CO mg/m³) at one IAQI level.

    ``None`` is the table's "—": the item has no breakpoint at that level.
    """

    iaqi: int
    so2_24h: int
    so2_1h: int | None
    no2_24h: int
    no2_1h: int
    pm10_24h: int
    co_24h: int
    co_1h: int
    o3_1h: int
    o3_8h: int | None
    pm25_24h: int

    def limit(self, item: str) -> int | None:
        """The limit of ``item`` at this row's IAQI level."""
        value: int | None = getattr(self, item)
        return value


# HJ 633-2012 Table 1 (空气质量分指数及对应的污染物项目浓度限值). SO2 1-h stops at IAQI 200 and O3 8-h at 300
# (the table's "(2)" and "(3)" notes, handled in ``iaqi``).
BREAKPOINTS_2012: Final[tuple[BreakpointRow, ...]] = (
    BreakpointRow(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    BreakpointRow(50, 50, 150, 40, 100, 50, 2, 5, 160, 100, 35),
    BreakpointRow(100, 150, 500, 80, 200, 150, 4, 10, 200, 160, 75),
    BreakpointRow(150, 475, 650, 180, 700, 250, 14, 35, 300, 215, 115),
    BreakpointRow(200, 800, 800, 280, 1200, 350, 24, 60, 400, 265, 150),
    BreakpointRow(300, 1600, None, 565, 2340, 420, 36, 90, 800, 800, 250),
    BreakpointRow(400, 2100, None, 750, 3090, 500, 48, 120, 1000, None, 350),
    BreakpointRow(500, 2620, None, 940, 3840, 600, 60, 150, 1200, None, 500),
)

# HJ 633-2026 (from 2026-03-01; aqi-rules §7): the IAQI-100 limit of PM2.5 24-h falls from 75 to 60 and
# that of PM10 24-h from 150 to 120; every other breakpoint is unchanged.
BREAKPOINTS_2026: Final[tuple[BreakpointRow, ...]] = (
    BreakpointRow(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    BreakpointRow(50, 50, 150, 40, 100, 50, 2, 5, 160, 100, 35),
    BreakpointRow(100, 150, 500, 80, 200, 120, 4, 10, 200, 160, 60),
    BreakpointRow(150, 475, 650, 180, 700, 250, 14, 35, 300, 215, 115),
    BreakpointRow(200, 800, 800, 280, 1200, 350, 24, 60, 400, 265, 150),
    BreakpointRow(300, 1600, None, 565, 2340, 420, 36, 90, 800, 800, 250),
    BreakpointRow(400, 2100, None, 750, 3090, 500, 48, 120, 1000, None, 350),
    BreakpointRow(500, 2620, None, 940, 3840, 600, 60, 150, 1200, None, 500),
)

BREAKPOINTS: Final[Mapping[str, tuple[BreakpointRow, ...]]] = {
    EDITION_2012: BREAKPOINTS_2012,
    EDITION_2026: BREAKPOINTS_2026,
}

#: Above the top breakpoint of its table an item's sub-index is 500 [project rule, aqi-rules §3].
IAQI_ABOVE_TOP: Final = 500
#: HJ 633-2012 Table 1 note (3): O3 8-h above 800 µg/m³ gets no sub-index of its own; the O3 1-h sub-index
#: is reported instead. HJ 633-2026: O3 8-h above 800 gives IAQI 300 (aqi-rules §7).
O3_8H_CAP: Final = 800
O3_8H_ABOVE_CAP_2026: Final = 300
#: HJ 633-2012 Table 1 note (2): SO2 1-h above 800 µg/m³ gets no 1-h sub-index; the SO2 24-h sub-index is
#: reported instead. HJ 633-2026: SO2 1-h above 800 gives IAQI 200 (aqi-rules §7).
SO2_1H_CAP: Final = 800
SO2_1H_ABOVE_CAP_2026: Final = 200


def _item_table(item: str, edition: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(limits, iaqi levels) of one item in one edition, stopping at the first "—"."""
    limits: list[int] = []
    levels: list[int] = []
    for row in BREAKPOINTS[edition]:
        limit = row.limit(item)
        if limit is None:
            break
        limits.append(limit)
        levels.append(row.iaqi)
    return tuple(limits), tuple(levels)


def _scale(item: str) -> int:
    """Units per µg/m³ (or per mg/m³ for CO) of an item: 1, or 10 for CO (tenths)."""
    scale: int = 10 ** DECIMALS[ITEM_POLLUTANT[item]]
    return scale


# Breakpoints in integer units (CO in tenths of mg/m³), precomputed for the vectorised sub-index.
_UNIT_TABLES: Final[dict[tuple[str, str], tuple[IntArray, IntArray]]] = {
    (edition, item): (
        np.array(_item_table(item, edition)[0], dtype=np.int64) * _scale(item),
        np.array(_item_table(item, edition)[1], dtype=np.int64),
    )
    for edition in EDITIONS
    for item in ITEMS
}


def _check_item(item: str) -> str:
    if item not in ITEMS:
        raise ValueError(f"unknown sub-index item {item!r}; expected one of {', '.join(ITEMS)}")
    return item


def iaqi(
    item: str, concentration: int | float | str | Decimal | Fraction, *, edition: str = EDITION_2012
) -> int | None:
    """The sub-index (IAQI) of one concentration, HJ 633-2012 §5.2 formula (1), rounded up.

    ``concentration`` is taken as the exact decimal it is written as (µg/m³; CO mg/m³); it is not rounded
    first (pass reported values). Returns ``None`` where the standard gives the item no sub-index of its
    own: O3 8-h above 800 and SO2 1-h above 800 in the 2012 edition (Table 1 notes (2), (3)).
    """
    _check_item(item)
    check_edition(edition)
    c = exact_decimal(concentration)
    if c < 0:
        raise ValueError(f"{item}: a concentration cannot be negative ({concentration})")
    if item == O3_8H and c > O3_8H_CAP:
        return O3_8H_ABOVE_CAP_2026 if edition == EDITION_2026 else None
    if item == SO2_1H and c > SO2_1H_CAP:
        return SO2_1H_ABOVE_CAP_2026 if edition == EDITION_2026 else None
    limits, levels = _item_table(item, edition)
    if c > limits[-1]:
        return IAQI_ABOVE_TOP
    if c == 0:
        return 0
    hi = next(i for i, limit in enumerate(limits) if c <= limit)
    lo = hi - 1
    # HJ 633-2012 §5.2 (1): IAQI = (IAQI_Hi - IAQI_Lo) / (BP_Hi - BP_Lo) * (C - BP_Lo) + IAQI_Lo, "全部进位取整数".
    exact = Fraction(levels[hi] - levels[lo], limits[hi] - limits[lo]) * (c - limits[lo]) + levels[lo]
    return -((-exact.numerator) // exact.denominator)


def iaqi_units(item: str, units: IntArray, present: BoolArray, *, edition: str) -> IntArray:
    """Vectorised ``iaqi`` for concentrations in integer units (CO tenths); -1 where absent or not defined.

    "Not defined" is O3 8-h > 800 and SO2 1-h > 800 in the 2012 edition (callers substitute, see ``iaqi``).
    """
    _check_item(item)
    check_edition(edition)
    u = np.asarray(units, dtype=np.int64)
    ok = np.asarray(present, dtype=bool)
    if np.any(u[ok] < 0):
        raise ValueError(f"{item}: concentrations cannot be negative")
    limits, levels = _UNIT_TABLES[(edition, item)]
    top = len(limits) - 1
    hi = np.clip(np.searchsorted(limits, u, side="left"), 1, top)
    lo = hi - 1
    numerator = (levels[hi] - levels[lo]) * (u - limits[lo])
    denominator = limits[hi] - limits[lo]
    result = levels[lo] - ((-numerator) // denominator)  # ceiling division: HJ 633 §5.2 rounds up
    result = np.where(u > limits[-1], IAQI_ABOVE_TOP, result)
    scale = _scale(item)
    if item == O3_8H:
        result = np.where(u > O3_8H_CAP * scale, O3_8H_ABOVE_CAP_2026 if edition == EDITION_2026 else -1, result)
    if item == SO2_1H:
        result = np.where(u > SO2_1H_CAP * scale, SO2_1H_ABOVE_CAP_2026 if edition == EDITION_2026 else -1, result)
    out: IntArray = np.where(ok, result, -1).astype(np.int64)
    return out


# --------------------------------------------------------------------------------------------------
# Categories (HJ 633-2012 Table 2)
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    """An AQI category (空气质量指数级别) of HJ 633-2012 Table 2."""

    level: int
    aqi_min: int
    aqi_max: int | None
    name_zh: str
    name_en: str
    rgb: tuple[int, int, int]

    @property
    def hex_colour(self) -> str:
        """The colour as ``#RRGGBB``."""
        return "#{:02X}{:02X}{:02X}".format(*self.rgb)


CATEGORIES: Final[tuple[Category, ...]] = (
    Category(1, 0, 50, "优", "excellent", (0, 228, 0)),
    Category(2, 51, 100, "良", "good", (255, 255, 0)),
    Category(3, 101, 150, "轻度污染", "lightly polluted", (255, 126, 0)),
    Category(4, 151, 200, "中度污染", "moderately polluted", (255, 0, 0)),
    Category(5, 201, 300, "重度污染", "heavily polluted", (153, 0, 76)),
    Category(6, 301, None, "严重污染", "severely polluted", (126, 0, 35)),
)
_CATEGORY_UPPER: Final = np.array([50, 100, 150, 200, 300], dtype=np.int64)


def category_for(aqi: int) -> Category:
    """The HJ 633-2012 Table 2 category of an AQI value."""
    if aqi < 0:
        raise ValueError(f"an AQI cannot be negative ({aqi})")
    return CATEGORIES[int(np.searchsorted(_CATEGORY_UPPER, aqi, side="left"))]


def category_levels(aqi: IntArray) -> IntArray:
    """Vectorised category level 1-6 of AQI values; 0 where the AQI is -1 (missing)."""
    a = np.asarray(aqi, dtype=np.int64)
    levels: IntArray = np.where(a < 0, 0, np.searchsorted(_CATEGORY_UPPER, a, side="left") + 1).astype(np.int64)
    return levels


# --------------------------------------------------------------------------------------------------
# Primary pollutants
# --------------------------------------------------------------------------------------------------
def _primary_lookup() -> npt.NDArray[np.object_]:
    """Tuple of display names for each bit mask over POLLUTANTS (bit i = POLLUTANTS[i])."""
    lookup = np.empty(1 << len(POLLUTANTS), dtype=object)
    for mask in range(1 << len(POLLUTANTS)):
        lookup[mask] = tuple(DISPLAY_NAMES[p] for i, p in enumerate(POLLUTANTS) if mask >> i & 1)
    return lookup


_PRIMARY_LOOKUP: Final = _primary_lookup()
#: HJ 633-2012 §5.3 / §7.2: no primary pollutant when the AQI is 50 or less.
PRIMARY_THRESHOLD: Final = 50


def _aqi_and_primary(iaqis: Mapping[str, IntArray], size: int) -> tuple[IntArray, IntArray]:
    """AQI = max of the sub-indices (HJ 633-2012 §5.3 formula 2); primary pollutants = the items at the max.

    Sub-indices are -1 where missing. Returns the AQI (-1 where no item is present) and, per row, a bit mask
    over POLLUTANTS of the primary pollutants (all ties; O3 1-h and 8-h both count as "O3"), empty when the
    AQI is 50 or less (HJ 633-2012 §5.3). ``primary_names`` turns masks into tuples of display names.
    """
    aqi = np.full(size, -1, dtype=np.int64)
    for values in iaqis.values():
        aqi = np.maximum(aqi, values)
    mask = np.zeros(size, dtype=np.int64)
    for item, values in iaqis.items():
        bit = 1 << POLLUTANTS.index(ITEM_POLLUTANT[item])
        mask |= np.where((values == aqi) & (aqi > PRIMARY_THRESHOLD), bit, 0)
    return aqi, mask


def primary_names(mask: IntArray) -> npt.NDArray[np.object_]:
    """Per row, the tuple of display names of the pollutants set in a bit mask over POLLUTANTS."""
    names: npt.NDArray[np.object_] = _PRIMARY_LOOKUP[np.asarray(mask, dtype=np.int64)]
    return names


# --------------------------------------------------------------------------------------------------
# Daily AQI
# --------------------------------------------------------------------------------------------------
#: Daily value columns (aqi-rules §2) and the sub-index item each is evaluated with.
DAILY_COLUMNS: Final[Mapping[str, str]] = {
    "so2": SO2_24H,
    "no2": NO2_24H,
    "co": CO_24H,
    "pm10": PM10_24H,
    "pm25": PM25_24H,
    "o3_8h": O3_8H,
    "o3_1h": O3_1H,
}
#: The six basic items whose validity makes a valid monitoring day (aqi-rules §3 "Missing items").
BASIC_DAILY_COLUMNS: Final = ("so2", "no2", "co", "pm10", "pm25", "o3_8h")
#: A day whose AQI from its valid items exceeds this is valid even with items missing (cf. HJ 633-2026 §5.3.1).
POLLUTED_DESPITE_MISSING: Final = 100


def column_decimals(column: str) -> int:
    """Decimal places of a daily column (``co`` one, the others none)."""
    return DECIMALS["co"] if column == "co" else 0


@dataclass(frozen=True)
class DailyAqiArrays:
    """Vectorised daily AQI: ``aqi`` and ``category`` are -1 / 0 where the day is not valid."""

    aqi: IntArray
    category: IntArray
    primary_pollutants: npt.NDArray[np.object_]
    valid: BoolArray


def daily_aqi_arrays(columns: Mapping[str, tuple[IntArray, BoolArray]], is_2026: BoolArray | bool) -> DailyAqiArrays:
    """The daily AQI of many days at once from rounded daily values in integer units.

    ``columns`` maps each of ``DAILY_COLUMNS`` to ``(units, present)`` arrays (CO in tenths; ``present``
    False where the item is not valid). ``is_2026`` selects the edition per row.

    Rules (aqi-rules §3): the AQI is the max of the sub-indices of the SO2, NO2, CO, PM10, PM2.5 24-h means,
    the O3 MDA8 and (2012 edition only; HJ 633-2026 drops it) the O3 daily max 1-h. In the 2012 edition an
    MDA8 above 800 takes the O3 1-h sub-index (Table 1 note 3). The day is a valid monitoring day when the
    six basic items are all valid, or when the AQI of the valid items exceeds 100 [project rule]; otherwise
    the AQI is missing.
    """
    missing = [c for c in DAILY_COLUMNS if c not in columns]
    if missing:
        raise ValueError(f"daily AQI: missing columns {', '.join(missing)}")
    size = len(np.asarray(columns["so2"][0]))
    new = np.broadcast_to(np.asarray(is_2026, dtype=bool), (size,))
    iaqis: dict[str, IntArray] = {}
    for column, item in DAILY_COLUMNS.items():
        units, present = columns[column]
        old_values = iaqi_units(item, units, present, edition=EDITION_2012)
        new_values = iaqi_units(item, units, present, edition=EDITION_2026)
        iaqis[column] = np.where(new, new_values, old_values)
    # HJ 633-2012 Table 1 note (3): MDA8 > 800 reports the O3 1-h sub-index (iaqi_units gave -1 there).
    o3_8h_units, o3_8h_present = columns["o3_8h"]
    above_cap = ~new & o3_8h_present & (np.asarray(o3_8h_units) > O3_8H_CAP)
    iaqis["o3_8h"] = np.where(above_cap, iaqis["o3_1h"], iaqis["o3_8h"])
    # HJ 633-2026: the daily AQI no longer uses the O3 daily max 1-h (aqi-rules §7).
    iaqis["o3_1h"] = np.where(new, -1, iaqis["o3_1h"])
    items = {DAILY_COLUMNS[c]: v for c, v in iaqis.items()}
    aqi, mask = _aqi_and_primary(items, size)
    all_basic = np.ones(size, dtype=bool)
    for column in BASIC_DAILY_COLUMNS:
        all_basic &= np.asarray(columns[column][1], dtype=bool)
    valid = (aqi >= 0) & (all_basic | (aqi > POLLUTED_DESPITE_MISSING))
    aqi = np.where(valid, aqi, -1)
    primary = primary_names(np.where(valid, mask, 0))
    return DailyAqiArrays(aqi=aqi, category=category_levels(aqi), primary_pollutants=primary, valid=valid)


@dataclass(frozen=True)
class AqiResult:
    """An AQI with its category, primary pollutants, sub-indices and the edition it was computed with."""

    aqi: int | None
    category: Category | None
    primary_pollutants: tuple[str, ...]
    iaqi: Mapping[str, int] = field(default_factory=dict)
    edition: str = EDITION_2012
    valid: bool = False


def _values_to_units(
    values: Mapping[str, float | None], decimals_of: Mapping[str, int]
) -> dict[str, tuple[IntArray, BoolArray]]:
    """Scalar values as rounded integer units, one-element arrays; a clear error for unknown keys."""
    unknown = sorted(set(values) - set(decimals_of))
    if unknown:
        raise ValueError(f"unknown item(s) {', '.join(unknown)}; expected {', '.join(decimals_of)}")
    out: dict[str, tuple[IntArray, BoolArray]] = {}
    for key, decimals in decimals_of.items():
        raw = values.get(key)
        value = float("nan") if raw is None else float(raw)
        if value < 0:
            raise ValueError(f"{key}: a concentration cannot be negative ({raw})")
        # HJ 663-2013 §6.3: values are rounded (GB/T 8170) before the sub-index is computed.
        units, present = float_to_units(np.array([value]), decimals)
        out[key] = (units, present)
    return out


def daily_aqi(values: Mapping[str, float | None], *, edition: str = EDITION_2012) -> AqiResult:
    """The daily AQI of one day from its daily values (keys of ``DAILY_COLUMNS``; None/NaN/absent = invalid).

    Values are rounded (HJ 663-2013 §6.3) first. See ``daily_aqi_arrays`` for the rules.
    """
    check_edition(edition)
    columns = _values_to_units(values, {c: column_decimals(c) for c in DAILY_COLUMNS})
    result = daily_aqi_arrays(columns, edition == EDITION_2026)
    aqi = int(result.aqi[0])
    sub: dict[str, int] = {}
    for column, item in DAILY_COLUMNS.items():
        units, present = columns[column]
        if edition == EDITION_2026 and column == "o3_1h":
            continue
        value = int(iaqi_units(item, units, present, edition=edition)[0])
        if value >= 0:
            sub[item] = value
    if edition == EDITION_2012 and O3_8H not in sub and bool(columns["o3_8h"][1][0]) and O3_1H in sub:
        sub[O3_8H] = sub[O3_1H]  # Table 1 note (3)
    return AqiResult(
        aqi=aqi if aqi >= 0 else None,
        category=category_for(aqi) if aqi >= 0 else None,
        primary_pollutants=tuple(result.primary_pollutants[0]),
        iaqi=sub,
        edition=edition,
        valid=bool(result.valid[0]),
    )


# --------------------------------------------------------------------------------------------------
# Real-time (hourly) AQI
# --------------------------------------------------------------------------------------------------
#: HJ 633-2012 §5.2 / aqi-rules §3: the real-time AQI uses the 1-h SO2, NO2, CO and O3 values against the
#: 1-h tables and the 1-h PM10 and PM2.5 values against the 24-h tables (as CNEMC publishes it).
HOURLY_ITEMS: Final[Mapping[str, str]] = {
    "so2": SO2_1H,
    "no2": NO2_1H,
    "pm10": PM10_24H,
    "co": CO_1H,
    "o3": O3_1H,
    "pm25": PM25_24H,
}


@dataclass(frozen=True)
class HourlyAqiArrays:
    """Vectorised real-time AQI: ``aqi`` -1 and ``category`` 0 where an item is missing."""

    aqi: IntArray
    category: IntArray
    primary_pollutants: npt.NDArray[np.object_]


def hourly_aqi_arrays(
    columns: Mapping[str, tuple[IntArray, BoolArray]],
    is_2026: BoolArray | bool,
    so2_24h: tuple[IntArray, BoolArray] | None = None,
) -> HourlyAqiArrays:
    """The real-time AQI of many station-hours at once, from rounded 1-h values in integer units.

    ``columns`` maps each pollutant code to ``(units, present)``. No AQI where any of the six items is
    missing (CNEMC publishes none then). SO2 1-h above 800: the 2012 edition reports the SO2 24-h sub-index
    of ``so2_24h`` (the moving 24-h mean; the hour has no AQI without it), the 2026 edition gives 200.
    """
    missing = [p for p in HOURLY_ITEMS if p not in columns]
    if missing:
        raise ValueError(f"hourly AQI: missing columns {', '.join(missing)}")
    size = len(np.asarray(columns["so2"][0]))
    new = np.broadcast_to(np.asarray(is_2026, dtype=bool), (size,))
    iaqis: dict[str, IntArray] = {}
    complete = np.ones(size, dtype=bool)
    for pollutant, item in HOURLY_ITEMS.items():
        units, present = columns[pollutant]
        complete &= np.asarray(present, dtype=bool)
        old_values = iaqi_units(item, units, present, edition=EDITION_2012)
        new_values = iaqi_units(item, units, present, edition=EDITION_2026)
        iaqis[item] = np.where(new, new_values, old_values)
    if so2_24h is not None:
        fallback = iaqi_units(SO2_24H, so2_24h[0], so2_24h[1], edition=EDITION_2012)
        so2_units, so2_present = columns["so2"]
        above_cap = ~new & np.asarray(so2_present, dtype=bool) & (np.asarray(so2_units) > SO2_1H_CAP)
        iaqis[SO2_1H] = np.where(above_cap, fallback, iaqis[SO2_1H])
    for values in iaqis.values():
        complete &= values >= 0
    aqi, mask = _aqi_and_primary(iaqis, size)
    aqi = np.where(complete, aqi, -1)
    primary = primary_names(np.where(complete, mask, 0))
    return HourlyAqiArrays(aqi=aqi, category=category_levels(aqi), primary_pollutants=primary)


def hourly_aqi(
    values: Mapping[str, float | None],
    *,
    edition: str = EDITION_2012,
    so2_24h: float | None = None,
) -> AqiResult:
    """The real-time AQI of one station-hour from its six 1-h values (µg/m³; CO mg/m³).

    ``values`` maps "so2", "no2", "co", "pm10", "pm25", "o3" to the 1-h value (None/NaN/absent = missing).
    Values are rounded first (HJ 663-2013 §6.3). ``aqi`` is None when any item is missing. ``so2_24h`` is
    only needed when SO2 1-h exceeds 800 in the 2012 edition (see ``hourly_aqi_arrays``). The edition
    defaults to 2012; pass ``edition=edition_for(day)`` for data from 2026-03-01.
    """
    check_edition(edition)
    columns = _values_to_units(values, {p: DECIMALS[p] for p in HOURLY_ITEMS})
    fallback = None
    if so2_24h is not None:
        fallback = _values_to_units({"so2": so2_24h}, {"so2": 0})["so2"]
    result = hourly_aqi_arrays(columns, edition == EDITION_2026, fallback)
    aqi = int(result.aqi[0])
    sub: dict[str, int] = {}
    for pollutant, item in HOURLY_ITEMS.items():
        value = int(iaqi_units(item, *columns[pollutant], edition=edition)[0])
        above_cap = bool(columns["so2"][1][0]) and int(columns["so2"][0][0]) > SO2_1H_CAP
        if item == SO2_1H and above_cap and fallback is not None and edition == EDITION_2012:
            value = int(iaqi_units(SO2_24H, *fallback, edition=edition)[0])
        if value >= 0:
            sub[item] = value
    return AqiResult(
        aqi=aqi if aqi >= 0 else None,
        category=category_for(aqi) if aqi >= 0 else None,
        primary_pollutants=tuple(result.primary_pollutants[0]),
        iaqi=sub,
        edition=edition,
        valid=aqi >= 0,
    )


HourlyAqi = AqiResult
DailyAqi = AqiResult

__all__ = [
    "BREAKPOINTS_2012",
    "BREAKPOINTS_2026",
    "CATEGORIES",
    "DAILY_COLUMNS",
    "DISPLAY_NAMES",
    "EDITION_2012",
    "EDITION_2026",
    "POLLUTANTS",
    "AqiResult",
    "BreakpointRow",
    "Category",
    "DailyAqi",
    "HourlyAqi",
    "category_for",
    "daily_aqi",
    "daily_aqi_arrays",
    "edition_for",
    "hourly_aqi",
    "hourly_aqi_arrays",
    "iaqi",
    "iaqi_units",
]
