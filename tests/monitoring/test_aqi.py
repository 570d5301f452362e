"""Sub-indices, categories, primary pollutants, daily and hourly AQI (HJ 633-2012 / 2026; aqi-rules §3, §7, §8)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring.aqi import (
    BREAKPOINTS_2012,
    BREAKPOINTS_2026,
    CATEGORIES,
    EDITION_2012,
    EDITION_2026,
    ITEMS,
    category_for,
    daily_aqi,
    edition_for,
    hourly_aqi,
    iaqi,
    iaqi_units,
)

# aqi-rules §8, every reference value (2012 edition).
REFERENCE_IAQI = [
    ("pm25_24h", "35", 50),
    ("pm25_24h", "35.4", 51),
    ("pm25_24h", "75", 100),
    ("pm25_24h", "76", 102),
    ("pm25_24h", "94", 124),
    ("pm25_24h", "115", 150),
    ("pm25_24h", "500", 500),
    ("pm10_24h", "155", 103),
    ("so2_24h", "150", 100),
    ("so2_24h", "475", 150),
    ("no2_24h", "41", 52),
    ("no2_24h", "71", 89),
    ("co_24h", "1.3", 33),
    ("co_24h", "2.2", 55),
    ("co_24h", "3.0", 75),
    ("co_24h", "4.1", 101),
    ("o3_8h", "101", 51),
    ("o3_8h", "161", 101),
    ("o3_8h", "266", 201),
    ("o3_1h", "161", 52),
]


@pytest.mark.parametrize(("item", "concentration", "expected"), REFERENCE_IAQI)
def test_reference_sub_indices(item, concentration, expected):
    assert iaqi(item, concentration) == expected
    assert iaqi(item, float(concentration)) == expected


def test_co_2_2_gives_55_not_the_float_56():
    # (100 - 50) / (4 - 2) * (2.2 - 2) + 50 is 55.000000000000014 in floats; rounding up would give 56.
    assert (100 - 50) / (4 - 2) * (2.2 - 2) + 50 > 55
    assert iaqi("co_24h", 2.2) == 55


@pytest.mark.parametrize("table", [BREAKPOINTS_2012, BREAKPOINTS_2026])
def test_every_breakpoint_maps_to_its_level(table):
    edition = EDITION_2012 if table is BREAKPOINTS_2012 else EDITION_2026
    for row in table:
        for item in ITEMS:
            limit = row.limit(item)
            if limit is not None:
                assert iaqi(item, limit, edition=edition) == row.iaqi, (item, limit)


def test_2026_edition_changes_only_the_pm_breakpoints_at_100():
    assert iaqi("pm25_24h", 60, edition=EDITION_2026) == 100
    assert iaqi("pm25_24h", 60, edition=EDITION_2012) == 82  # 50 + 50/40 * 25 = 81.25, up
    assert iaqi("pm10_24h", 120, edition=EDITION_2026) == 100
    assert iaqi("pm10_24h", 120, edition=EDITION_2012) == 85
    assert iaqi("pm25_24h", 75, edition=EDITION_2026) == 114  # 100 + 50/55 * 15 = 113.6, up
    for left, right in zip(BREAKPOINTS_2012, BREAKPOINTS_2026, strict=True):
        changed = {item for item in ITEMS if left.limit(item) != right.limit(item)}
        assert changed <= {"pm25_24h", "pm10_24h"}
        assert changed == set() or left.iaqi == 100


def test_caps_and_above_top():
    assert iaqi("o3_8h", 801) is None  # HJ 633-2012 Table 1 note (3): use the O3 1-h sub-index
    assert iaqi("o3_8h", 801, edition=EDITION_2026) == 300
    assert iaqi("so2_1h", 801) is None  # note (2): use the SO2 24-h sub-index
    assert iaqi("so2_1h", 801, edition=EDITION_2026) == 200
    assert iaqi("pm25_24h", 501) == 500
    assert iaqi("co_24h", "60.1") == 500
    assert iaqi("pm25_24h", 0) == 0


def test_bad_input_is_rejected_clearly():
    with pytest.raises(ValueError, match="negative"):
        iaqi("pm25_24h", -1)
    with pytest.raises(ValueError, match="unknown sub-index item"):
        iaqi("pm2.5", 10)
    with pytest.raises(ValueError, match="unknown standard edition"):
        iaqi("pm25_24h", 10, edition="2020")


@given(st.sampled_from(ITEMS), st.integers(0, 40000), st.sampled_from([EDITION_2012, EDITION_2026]))
def test_vectorised_sub_index_equals_exact_scalar(item, units, edition):
    concentration = Fraction(units, 10) if item.startswith("co") else Fraction(units)
    expected = iaqi(item, concentration, edition=edition)
    got = iaqi_units(item, np.array([units]), np.array([True]), edition=edition)[0]
    assert got == (-1 if expected is None else expected)


def test_scalar_sub_index_is_the_rounded_up_linear_interpolation():
    # Independent check from the formula of HJ 633-2012 §5.2 for one segment.
    for tenths in range(401):
        c = Fraction(tenths, 10)
        low_c, high_c, low_i, high_i = (0, 35, 0, 50) if c <= 35 else (35, 75, 50, 100)
        exact = Fraction(high_i - low_i, high_c - low_c) * (c - low_c) + low_i
        assert iaqi("pm25_24h", c) == -(-exact.numerator // exact.denominator)


@pytest.mark.parametrize(
    ("aqi", "level"),
    [
        (0, 1),
        (50, 1),
        (51, 2),
        (100, 2),
        (101, 3),
        (150, 3),
        (151, 4),
        (200, 4),
        (201, 5),
        (300, 5),
        (301, 6),
        (500, 6),
    ],
)
def test_categories(aqi, level):
    assert category_for(aqi).level == level


def test_category_labels_and_colours():
    assert [(c.name_zh, c.rgb) for c in CATEGORIES] == [
        ("优", (0, 228, 0)),
        ("良", (255, 255, 0)),
        ("轻度污染", (255, 126, 0)),
        ("中度污染", (255, 0, 0)),
        ("重度污染", (153, 0, 76)),
        ("严重污染", (126, 0, 35)),
    ]
    assert CATEGORIES[2].name_en == "lightly polluted"
    assert CATEGORIES[0].hex_colour == "#00E400"


def test_edition_by_date():
    from datetime import date

    assert edition_for(date(2026, 2, 28)) == EDITION_2012
    assert edition_for(date(2026, 3, 1)) == EDITION_2026


FULL_DAY = {"so2": 10, "no2": 20, "co": 0.5, "pm10": 40, "pm25": 20, "o3_8h": 60, "o3_1h": 80}


def test_daily_aqi_of_a_clean_day_has_no_primary_pollutant():
    result = daily_aqi(FULL_DAY)
    assert result.aqi == 40  # PM10 40 -> 40
    assert result.primary_pollutants == ()
    assert result.valid
    assert result.category.level == 1


def test_daily_aqi_lists_all_tied_primary_pollutants_and_merges_o3():
    # PM2.5 75 -> 100, O3 8-h 160 -> 100, O3 1-h 200 -> 100: O3 reported once.
    result = daily_aqi({**FULL_DAY, "pm25": 75, "o3_8h": 160, "o3_1h": 200})
    assert result.aqi == 100
    assert set(result.primary_pollutants) == {"PM2.5", "O3"}
    assert len(result.primary_pollutants) == 2


def test_missing_item_makes_a_day_invalid_unless_already_polluted():
    result = daily_aqi({**FULL_DAY, "pm25": None, "pm10": 140})
    assert result.aqi is None
    assert not result.valid
    polluted = daily_aqi({**FULL_DAY, "pm25": None, "pm10": 160})
    assert polluted.aqi == 105
    assert polluted.valid
    assert polluted.primary_pollutants == ("PM10",)
    # O3 1-h is not one of the six basic items: missing, the day is still valid.
    assert daily_aqi({**FULL_DAY, "o3_1h": None}).valid


def test_2026_daily_aqi_drops_the_o3_1h_maximum():
    day = {**FULL_DAY, "o3_1h": 250}  # O3 1-h 250 -> 125 (2012)
    assert daily_aqi(day, edition=EDITION_2012).aqi == 125
    assert daily_aqi(day, edition=EDITION_2012).primary_pollutants == ("O3",)
    assert daily_aqi(day, edition=EDITION_2026).aqi == 40


def test_mda8_above_800_takes_the_o3_1h_sub_index_in_2012_and_300_in_2026():
    day = {**FULL_DAY, "o3_8h": 850, "o3_1h": 1100}
    assert daily_aqi(day, edition=EDITION_2012).aqi == 450  # O3 1-h 1100 -> 400 + 100/200 * 100
    assert daily_aqi(day, edition=EDITION_2026).aqi == 300


def test_daily_values_are_rounded_before_the_sub_index():
    # PM2.5 75.5 rounds (half to even) to 76 -> 102; 74.5 rounds to 74 -> 99.
    assert daily_aqi({**FULL_DAY, "pm25": 75.5}).aqi == 102
    assert daily_aqi({**FULL_DAY, "pm25": 74.5}).aqi == 99


HOUR = {"so2": 21, "no2": 59, "co": 1.2, "pm10": 173, "pm25": 92, "o3": 23}


def test_hourly_aqi_uses_1h_tables_for_gases_and_24h_tables_for_pm():
    result = hourly_aqi(HOUR)
    assert result.aqi == 122  # PM2.5 92 against the 24-h table: 100 + 50/40 * 17 = 121.25, up
    assert result.primary_pollutants == ("PM2.5",)
    assert result.iaqi["no2_1h"] == 30  # NO2 1-h table: 59/100 * 50 = 29.5, up
    assert hourly_aqi({**HOUR, "pm25": 20, "pm10": 30, "o3": 170}).primary_pollutants == ("O3",)


def test_hourly_aqi_is_missing_when_any_item_is():
    assert hourly_aqi({**HOUR, "co": None}).aqi is None
    incomplete = dict(HOUR)
    del incomplete["o3"]
    assert hourly_aqi(incomplete).aqi is None
    with pytest.raises(ValueError, match="unknown item"):
        hourly_aqi({**HOUR, "pm2.5": 3})


def test_hourly_so2_above_800_uses_the_24h_sub_index():
    assert hourly_aqi({**HOUR, "so2": 900}, so2_24h=500).aqi == 154  # SO2 24-h 500 -> 150 + 50/325 * 25 = 153.8, up
    assert hourly_aqi({**HOUR, "so2": 900}).aqi is None  # no 24-h mean given: no sub-index, no AQI
    assert hourly_aqi({**HOUR, "so2": 900}, edition=EDITION_2026).aqi == 200
    assert hourly_aqi({**HOUR, "so2": 800}).iaqi["so2_1h"] == 200
    # The 24-h mean stands in only above 800, never for a missing 1-h value.
    missing = hourly_aqi({**HOUR, "so2": None}, so2_24h=500)
    assert missing.aqi is None
    assert "so2_1h" not in missing.iaqi
    assert hourly_aqi({**HOUR, "so2": 700}, so2_24h=500).iaqi["so2_1h"] == 167  # 1-h table: 150 + 50/150 * 50, up
