"""Station daily values: HJ 663 day boundary, validity rules, MDA8, rounding, daily AQI (aqi-rules §1-§3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring.statistics import daily_records, station_daily

CST = "Asia/Shanghai"
BASE = {"so2": 10, "no2": 20, "co": 0.5, "pm10": 40, "pm25": 20, "o3": 60}


def stamp(day: date, hour: int) -> pd.Timestamp:
    """The time stamp of the value ending at ``hour`` o'clock (1..24) of natural day ``day``."""
    return pd.Timestamp(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)).tz_localize(CST)


def hourly(day: date, hours_by_pollutant: dict[str, dict[int, float]], station: str = "S1") -> pd.DataFrame:
    rows = [
        {"station": station, "time": stamp(day, hour), "pollutant": pollutant, "value": value}
        for pollutant, hours in hours_by_pollutant.items()
        for hour, value in hours.items()
    ]
    frame = pd.DataFrame(rows, columns=["station", "time", "pollutant", "value"])
    frame["time"] = pd.to_datetime(frame["time"]).dt.tz_convert(CST) if len(frame) else frame["time"]
    return frame


def full_day(day: date, **overrides: dict[int, float]) -> dict[str, dict[int, float]]:
    data = {p: dict.fromkeys(range(1, 25), v) for p, v in BASE.items()}
    data.update(overrides)
    return data


def one_row(frame: pd.DataFrame) -> dict:
    records = list(daily_records(frame))
    assert len(records) == 1
    return records[0]


DAY = date(2023, 6, 1)


def test_a_complete_day():
    row = one_row(station_daily(hourly(DAY, full_day(DAY))))
    assert row == {
        "station": "S1",
        "date": DAY,
        "so2": 10,
        "no2": 20,
        "co": 0.5,
        "pm10": 40,
        "pm25": 20,
        "o3_8h": 60,
        "o3_1h": 60,
        "aqi": 40,
        "category": 1,
        "primary_pollutants": (),
        "valid": True,
        "edition": "2012",
    }


@pytest.mark.parametrize(("hours", "valid"), [(19, False), (20, True)])
def test_a_24h_mean_needs_20_hours(hours, valid):
    data = full_day(DAY, pm25=dict.fromkeys(range(1, hours + 1), 80))
    row = one_row(station_daily(hourly(DAY, data)))
    assert (row["pm25"] == 80) is valid
    assert (row["pm25"] is None) is not valid
    # PM2.5 missing and the other items clean (AQI 40): not a valid monitoring day.
    assert row["valid"] is valid
    assert (row["aqi"] is None) is not valid


def test_the_0000_value_belongs_to_the_previous_day():
    # D+1 00:00 is day D's 24:00; D 00:00 is day D-1's.
    frame = pd.DataFrame(
        {
            "station": ["S1", "S1"],
            "time": pd.to_datetime(["2023-06-02T00:00+08:00", "2023-06-01T00:00+08:00"]),
            "pollutant": ["pm25", "pm25"],
            "value": [50.0, 70.0],
        }
    )
    result = station_daily(frame)
    assert result["date"].tolist() == [date(2023, 5, 31), date(2023, 6, 1)]


def test_any_time_zone_is_converted_to_china_time():
    local = hourly(DAY, full_day(DAY, pm25={h: h for h in range(1, 25)}))
    utc = local.assign(time=local["time"].dt.tz_convert("UTC"))
    assert station_daily(utc).equals(station_daily(local))
    assert one_row(station_daily(utc))["pm25"] == 12  # mean of 1..24 = 12.5 -> 12 (half to even)


def test_co_mean_of_point_3_and_point_4_is_point_4():
    co = {h: (0.3 if h <= 12 else 0.4) for h in range(1, 25)}
    assert one_row(station_daily(hourly(DAY, full_day(DAY, co=co))))["co"] == 0.4
    co = {h: (0.2 if h <= 12 else 0.3) for h in range(1, 25)}
    assert one_row(station_daily(hourly(DAY, full_day(DAY, co=co))))["co"] == 0.2  # 0.25 -> 0.2


def test_hourly_values_are_rounded_before_the_mean():
    # 24 hours of 0.35 mg/m³ CO are 0.4 each after GB/T 8170; 24 hours of PM2.5 2.5 are 2 each.
    row = one_row(
        station_daily(
            hourly(DAY, full_day(DAY, co=dict.fromkeys(range(1, 25), 0.35), pm25=dict.fromkeys(range(1, 25), 2.5)))
        )
    )
    assert row["co"] == 0.4
    assert row["pm25"] == 2


def o3_first_hours(n_hours: int, value: float) -> dict[int, float]:
    # Hours 01..n present: the windows ending 08:00 .. (n+2):00 have >= 6 hours, i.e. n - 5 valid windows.
    return dict.fromkeys(range(1, n_hours + 1), value)


@pytest.mark.parametrize(
    ("n_hours", "value", "expected"),
    [
        (18, 100, None),  # 13 valid windows, MDA8 100: not valid
        (19, 100, 100),  # 14 valid windows
        (18, 170, 170),  # 13 windows but MDA8 above 160 (HJ 663-2013 §6.1.2)
        (18, 160, None),  # 160 does not exceed 160
    ],
)
def test_mda8_needs_14_windows_unless_above_160(n_hours, value, expected):
    row = one_row(station_daily(hourly(DAY, full_day(DAY, o3=o3_first_hours(n_hours, value)))))
    assert row["o3_8h"] == expected


def test_an_8h_window_needs_6_of_its_8_hours():
    # Hours 1..5 (300) and 19..24 (50): the window ending 08:00 has only 5 hours, so the 300s never count;
    # the window ending 24:00 (17..24) has 6 and is the only valid one.
    o3 = {**dict.fromkeys(range(1, 6), 300), **dict.fromkeys(range(19, 25), 50)}
    row = one_row(station_daily(hourly(DAY, full_day(DAY, o3=o3))))
    assert row["o3_8h"] is None  # 1 valid window (mean 50), not above 160
    o3[18] = 50
    o3[17] = 50
    o3[16] = 50
    # Now the windows ending 21:00 ... 24:00 have >= 6 hours: 4 valid windows, still too few.
    assert one_row(station_daily(hourly(DAY, full_day(DAY, o3=o3))))["o3_8h"] is None


def test_mda8_uses_only_the_days_own_hours():
    yesterday = DAY - timedelta(days=1)
    previous = hourly(yesterday, full_day(yesterday, o3={h: (300 if h >= 17 else 20) for h in range(1, 25)}))
    today = hourly(DAY, full_day(DAY, o3=dict.fromkeys(range(1, 25), 20)))
    result = station_daily(pd.concat([previous, today], ignore_index=True))
    assert result["o3_8h"].tolist() == [300, 20]


def test_mda8_is_the_max_of_rounded_8h_means():
    # Window ending 08:00 holds 1..8 (mean 4.5 -> 4); the largest window ends 24:00 (17..24, mean 20.5 -> 20).
    row = one_row(station_daily(hourly(DAY, full_day(DAY, o3={h: h for h in range(1, 25)}))))
    assert row["o3_8h"] == 20
    assert row["o3_1h"] == 24


@pytest.mark.parametrize(("hours", "peak", "valid"), [(19, 200, False), (19, 201, True), (20, 100, True)])
def test_o3_daily_max_1h_needs_20_hours_or_a_value_above_200(hours, peak, valid):
    o3 = {**dict.fromkeys(range(1, hours + 1), 50), 1: peak}
    row = one_row(station_daily(hourly(DAY, full_day(DAY, o3=o3))))
    assert (row["o3_1h"] == peak) is valid


def test_a_day_missing_an_item_is_valid_when_already_polluted():
    data = full_day(DAY, pm10=dict.fromkeys(range(1, 25), 200))
    del data["pm25"]
    row = one_row(station_daily(hourly(DAY, data)))
    assert row["valid"]
    assert row["aqi"] == 125
    assert row["primary_pollutants"] == ("PM10",)
    assert row["pm25"] is None


def test_edition_switches_on_2026_03_01_with_the_new_pm_breakpoints():
    last_old, first_new = date(2026, 2, 28), date(2026, 3, 1)
    frames = [hourly(d, full_day(d, pm25=dict.fromkeys(range(1, 25), 60))) for d in (last_old, first_new)]
    result = list(daily_records(station_daily(pd.concat(frames, ignore_index=True))))
    assert [(r["date"], r["edition"], r["aqi"]) for r in result] == [
        (last_old, "2012", 82),  # the 2026-03-01 00:00 value is still 28 February's
        (first_new, "2026", 100),
    ]
    forced = station_daily(frames[1], edition="2012")
    assert forced["aqi"].tolist() == [82]


def test_29_february():
    day = date(2024, 2, 29)
    frame = hourly(day, full_day(day))
    assert frame["time"].min() == pd.Timestamp("2024-02-29T01:00+08:00")
    assert frame["time"].max() == pd.Timestamp("2024-03-01T00:00+08:00")
    assert station_daily(frame)["date"].tolist() == [day]


def test_several_stations_and_days_give_one_row_each():
    frames = [hourly(d, full_day(d), station=s) for s in ("B", "A") for d in (DAY, DAY + timedelta(days=1))]
    result = station_daily(pd.concat(frames, ignore_index=True))
    assert list(zip(result["station"], result["date"], strict=True)) == [
        ("A", DAY),
        ("A", DAY + timedelta(days=1)),
        ("B", DAY),
        ("B", DAY + timedelta(days=1)),
    ]


def test_empty_input_gives_an_empty_frame_with_the_columns():
    result = station_daily(pd.DataFrame(columns=["station", "time", "pollutant", "value"]))
    assert len(result) == 0
    assert "aqi" in result.columns


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.assign(time=f["time"].dt.tz_localize(None)), "time-zone-aware"),
        (lambda f: f.assign(pollutant="pm2.5"), "unknown pollutant"),
        (lambda f: f.assign(value=-1.0), "negative value"),
        (lambda f: pd.concat([f, f.iloc[:1]]), "more than one value"),
        (lambda f: f.drop(columns=["value"]), "missing column"),
        (lambda f: f.assign(time=f["time"] + pd.Timedelta(minutes=30)), "full hour"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(change, message):
    with pytest.raises(ValueError, match=message):
        station_daily(change(hourly(DAY, full_day(DAY))))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=600, places=1)), min_size=24, max_size=24),
    st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=2)), min_size=24, max_size=24),
)
def test_24h_means_equal_an_independent_exact_computation(pm25_values, co_values):
    data = full_day(DAY)
    data["pm25"] = {h + 1: float(v) for h, v in enumerate(pm25_values) if v is not None}
    data["co"] = {h + 1: float(v) for h, v in enumerate(co_values) if v is not None}
    row = one_row(station_daily(hourly(DAY, data)))

    def expected(values, step):
        rounded = [round(Fraction(v) / step) * step for v in values if v is not None]  # round() is half-even
        if len(rounded) < 20:
            return None
        return round(sum(rounded) / len(rounded) / step) * step

    pm25 = expected(pm25_values, 1)
    assert row["pm25"] == (None if pm25 is None else int(pm25))
    co = expected(co_values, Fraction(1, 10))
    assert row["co"] == (None if co is None else float(co))
