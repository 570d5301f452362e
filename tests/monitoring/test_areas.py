"""County and city daily values from the assessment stations (HJ 663-2013 Table A.2, §6.1.4; aqi-rules §4)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from monitoring.statistics import area_daily, area_min_stations, daily_records

DAY = date(2021, 12, 31)
STATIONS = ["1625A", "2878A", "3200A", "3512A", "3513A"]
COLUMNS = ["station", "date", "so2", "no2", "co", "pm10", "pm25", "o3_8h", "o3_1h"]


def station_rows(**columns: list) -> pd.DataFrame:
    base = {"so2": 31, "no2": 71, "co": 1.3, "pm10": 155, "pm25": 94, "o3_8h": 30, "o3_1h": 40}
    rows = []
    for index, station in enumerate(STATIONS):
        row = {"station": station, "date": DAY, **base}
        for name, values in columns.items():
            row[name] = values[index]
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def only(frame: pd.DataFrame) -> dict:
    records = list(daily_records(frame))
    assert len(records) == 1
    return records[0]


def test_worked_city_example_2021_12_31():
    # aqi-rules §8: station PM2.5 91, 98, 87, 93, 99 -> 94; CO 1.3, 1.4, 1.4, 1.1, 1.1 -> 1.26 -> 1.3;
    # PM10 155, SO2 31, NO2 71, MDA8 30; AQI 124 (轻度污染), primary PM2.5.
    stations = station_rows(pm25=[91, 98, 87, 93, 99], co=[1.3, 1.4, 1.4, 1.1, 1.1])
    row = only(area_daily(stations, {"371500": STATIONS}))
    assert row["area"] == "371500"
    assert (row["pm25"], row["pm10"], row["so2"], row["no2"], row["co"], row["o3_8h"]) == (94, 155, 31, 71, 1.3, 30)
    assert row["aqi"] == 124
    assert row["category"] == 3
    assert row["primary_pollutants"] == ("PM2.5",)
    assert row["valid"]


def test_area_mda8_is_the_mean_of_station_mda8s_rounded_half_to_even():
    row = only(area_daily(station_rows(o3_8h=[100, 101, 102, 103, 104], pm25=[10, 10, 10, 11, 11]), {"c": STATIONS}))
    assert row["o3_8h"] == 102
    assert row["pm25"] == 10  # 52 / 5 = 10.4


@pytest.mark.parametrize(
    ("n_stations", "needed"), [(1, 1), (2, 1), (3, 2), (4, 3), (5, 4), (6, 5), (7, 6), (8, 6), (10, 8), (40, 30)]
)
def test_minimum_stations_75_percent_or_50_below_4(n_stations, needed):
    assert area_min_stations(n_stations) == needed


@pytest.mark.parametrize(("valid_stations", "valid"), [(4, True), (3, False)])
def test_city_item_with_too_few_stations_is_invalid(valid_stations, valid):
    pm25 = [80] * valid_stations + [None] * (5 - valid_stations)
    row = only(area_daily(station_rows(pm25=pm25), {"city": STATIONS}))
    assert (row["pm25"] == 80) is valid
    assert (row["pm25"] is None) is not valid


def test_small_county_needs_half_of_its_stations():
    frame = station_rows(pm25=[60, None, None, None, None])
    assert only(area_daily(frame, {"county": ["1625A", "2878A"]}))["pm25"] == 60  # 1 of 2
    assert only(area_daily(frame, {"county": ["1625A", "2878A", "3200A"]}))["pm25"] is None  # 1 of 3


def test_a_station_without_any_row_still_counts_in_the_area():
    frame = station_rows()
    six = only(area_daily(frame, {"county": [*STATIONS, "9999A"]}))  # 5 of 6 stations >= 75 %
    assert six["pm25"] == 94
    assert six["valid"]
    seven = only(area_daily(frame, {"county": [*STATIONS, "9998A", "9999A"]}))  # 5 of 7 < 75 %
    assert (seven["pm25"], seven["pm10"], seven["o3_8h"]) == (None, None, None)
    assert not seven["valid"]
    assert seven["aqi"] is None


def test_an_area_day_missing_an_item_is_valid_when_already_polluted():
    row = only(area_daily(station_rows(pm25=[None, None, 80, 80, 80], pm10=[300] * 5), {"city": STATIONS}))
    assert row["pm25"] is None
    assert row["valid"]
    assert row["aqi"] == 175  # PM10 300 -> 150 + 50/100 * 50
    assert row["primary_pollutants"] == ("PM10",)


def test_several_areas_share_stations():
    result = area_daily(station_rows(pm25=[10, 20, 30, 40, 50]), {"city": STATIONS, "east": ["3512A", "3513A"]})
    assert dict(zip(result["area"], result["pm25"], strict=True)) == {"city": 30, "east": 45}


def test_bad_area_definitions_are_rejected():
    with pytest.raises(ValueError, match="no assessment stations"):
        area_daily(station_rows(), {"empty": []})
    with pytest.raises(ValueError, match="not the string"):
        area_daily(station_rows(), {"c": "1625A"})
    with pytest.raises(ValueError, match="more than one row"):
        area_daily(pd.concat([station_rows(), station_rows()]), {"c": STATIONS})
