"""The statistics API (docs/interfaces.md §3): shapes, nulls, errors, anonymous access, real CNEMC figures."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

import pytest

from monitoring.models import Station
from monitoring.selectors import observations_frame
from monitoring.statistics import area_daily, daily_records, station_daily
from tests.data import CNEMC_DIR

DAILY_KEYS = {
    "date", "aqi", "category", "primary_pollutants", "valid", "pm25", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h",
    "edition", "rules", "flavour", "dust_day", "dust_deducted",
}  # fmt: skip
ANNUAL_KEYS = {
    "year", "valid_days", "good_days", "heavy_days", "good_day_ratio", "heavy_day_ratio", "pm25", "pm10", "so2",
    "no2", "co_p95", "o3_8h_p90", "composite_index", "edition", "rules", "composite_limits", "flavour",
    "dust_deducted", "through", "complete",
}  # fmt: skip
CITY_STATIONS = ["1625A", "2878A", "3200A", "3512A", "3513A"]
DAYS = ("2022-01-01", "2023-06-01")


@pytest.fixture
def real_days(ingest_and_recompute: Any) -> None:
    for day in DAYS:
        ingest_and_recompute((CNEMC_DIR / f"hourly_{day}.csv").read_bytes(), name=f"hourly_{day}.csv")


def published_24h(day: str) -> dict[str, dict[str, float]]:
    """CNEMC's own daily figures for day D, read at D+1 00:00 (data README: x_24h, o3 = max 1-h, o3_8h = MDA8)."""
    next_day = {"2022-01-01": "2022-01-02", "2023-06-01": "2023-06-02"}[day]
    with (CNEMC_DIR / f"raw/{next_day}T00.csv").open(encoding="utf-8") as handle:
        rows = {row["stationcode"]: row for row in csv.DictReader(handle)}
    columns = {"pm25": "pm2_5_24h", "pm10": "pm10_24h", "so2": "so2_24h", "no2": "no2_24h", "co": "co_24h"}
    columns |= {"o3_1h": "o3", "o3_8h": "o3_8h"}
    return {code: {key: float(row[col]) for key, col in columns.items()} for code, row in rows.items()}


@pytest.mark.parametrize("day", DAYS)
def test_station_daily_values_equal_cnemcs_published_24h_means(client: Any, real_days: None, day: str) -> None:
    published = published_24h(day)
    for code in CITY_STATIONS:
        body = client.get(f"/api/v1/stations/{code}/daily/", {"start": day, "end": day}).json()
        assert len(body) == 1
        for key, value in published[code].items():
            assert body[0][key] == value, (code, key)


@pytest.mark.parametrize("day", DAYS)
def test_city_and_station_days_equal_the_pure_functions_on_the_same_hours(
    client: Any, real_days: None, day: str
) -> None:
    hourly = observations_frame(first=date.fromisoformat(day), last=date.fromisoformat(day))
    stations = station_daily(hourly)
    expected = next(daily_records(area_daily(stations, {"371500": CITY_STATIONS})))
    city = client.get("/api/v1/city/daily/", {"start": day, "end": day}).json()[0]
    county = client.get("/api/v1/counties/371502/daily/", {"start": day, "end": day}).json()[0]
    for key in ("aqi", "category", "valid", "pm25", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h"):
        assert city[key] == expected[key] == county[key], key
    assert city["primary_pollutants"] == list(expected["primary_pollutants"])
    for record in daily_records(stations):
        mine = client.get(f"/api/v1/stations/{record['station']}/daily/", {"start": day, "end": day}).json()[0]
        assert (mine["aqi"], mine["primary_pollutants"]) == (record["aqi"], list(record["primary_pollutants"]))


def test_daily_response_has_the_documented_shape_and_labels(client: Any, real_days: None) -> None:
    response = client.get("/api/v1/city/daily/", {"start": "2021-12-30", "end": "2023-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert [item["date"] for item in body] == list(DAYS)
    assert all(set(item) == DAILY_KEYS for item in body)
    winter = body[0]
    assert (winter["edition"], winter["flavour"], winter["dust_deducted"], winter["dust_day"]) == (
        "2012",
        "realtime",
        False,
        False,
    )
    assert winter["rules"] == "HJ 633-2012"
    assert winter["valid"] is True
    assert isinstance(winter["aqi"], int)
    assert isinstance(winter["co"], float)
    assert winter["primary_pollutants"] == ["PM2.5"]


def test_annual_of_a_year_with_one_day_counts_the_day_and_nulls_every_statistic(client: Any, real_days: None) -> None:
    response = client.get("/api/v1/city/annual/2022/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ANNUAL_KEYS | {"start", "so2_p98", "no2_p98", "pm10_p95", "pm25_p95"}
    day = client.get("/api/v1/city/daily/", {"start": "2022-01-01", "end": "2022-01-01"}).json()[0]
    assert (body["year"], body["valid_days"], body["through"], body["complete"]) == (2022, 1, "2022-12-31", True)
    assert body["good_days"] == (1 if day["aqi"] <= 100 else 0)
    # GB 3095-2012 Table 4: an annual statistic needs 324 daily values; one day is far from it.
    for key in ("pm25", "pm10", "so2", "no2", "co_p95", "o3_8h_p90", "composite_index"):
        assert body[key] is None
    # The default is the deducted series, as on the pages (issue 16).
    assert (body["edition"], body["flavour"], body["dust_deducted"]) == ("2012", "realtime", True)
    assert (body["rules"], body["composite_limits"]) == ("HJ 633-2012", "GB 3095-2012")
    raw = client.get("/api/v1/city/annual/2022/", {"dust": "raw"}).json()
    assert raw["dust_deducted"] is False


def test_statistics_are_readable_without_login(client: Any, real_days: None) -> None:
    for url in (
        "/api/v1/stations/1625A/daily/?start=2022-01-01&end=2022-01-01",
        "/api/v1/counties/371502/annual/2023/",
    ):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2022-13-01", "end": "2022-12-31"}, "start"),
        ({"start": "2022-01-01"}, "end"),
        ({"start": "2022-02-01", "end": "2022-01-01"}, "end"),
        ({"start": "2000-01-01", "end": "2022-01-01"}, "end"),
    ],
)
def test_bad_dates_get_a_400_naming_the_field(client: Any, db: None, query: dict[str, str], field: str) -> None:
    response = client.get("/api/v1/city/daily/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_bad_dust_choice_gets_a_400(client: Any, db: None) -> None:
    response = client.get("/api/v1/city/annual/2022/", {"dust": "maybe"})
    assert response.status_code == 400
    assert "dust" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stations/NOPE/daily/?start=2022-01-01&end=2022-01-01",
        "/api/v1/counties/999999/daily/?start=2022-01-01&end=2022-01-01",
        "/api/v1/counties/371500/annual/2022/",
        "/api/v1/stations/NOPE/annual/2022/",
    ],
)
def test_unknown_scopes_get_a_404(client: Any, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_year_without_data_is_a_404_with_a_reason(client: Any, real_days: None) -> None:
    response = client.get("/api/v1/city/annual/2019/")
    assert response.status_code == 404
    assert "2019" in response.json()["detail"]


def test_city_item_with_too_few_stations_is_null_and_the_day_invalid(client: Any, ingest_and_recompute: Any) -> None:
    """HJ 663-2013 §6.1.4: a city item needs 75 % of its 5 stations, i.e. 4; three give null."""
    header = "station_code,time,pollutant,value\n"
    lines = []
    for index, code in enumerate(CITY_STATIONS):
        for hour in range(1, 25):
            stamp = f"2024-03-05T{hour:02d}:00+08:00" if hour < 24 else "2024-03-06T00:00+08:00"
            for pollutant, value in (("SO2", 10), ("NO2", 30), ("CO", 0.8), ("O3", 60), ("PM10", 70)):
                lines.append(f"{code},{stamp},{pollutant},{value}")
            if index < 3:  # only three stations report PM2.5
                lines.append(f"{code},{stamp},PM2.5,40")
    ingest_and_recompute((header + "\n".join(lines) + "\n").encode(), name="few.csv")
    city = client.get("/api/v1/city/daily/", {"start": "2024-03-05", "end": "2024-03-05"}).json()[0]
    assert city["pm25"] is None
    assert city["pm10"] == 70
    # The AQI of the valid items (PM10 70 -> 60) does not exceed 100, so the day is not valid (aqi-rules §3).
    assert (city["valid"], city["aqi"], city["category"]) == (False, None, None)
    station = client.get("/api/v1/stations/1625A/daily/", {"start": "2024-03-05", "end": "2024-03-05"}).json()[0]
    assert (station["pm25"], station["valid"]) == (40, True)
    assert Station.objects.count() == 5


def test_openapi_schema_documents_the_statistics_endpoints(client: Any, db: Any) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/city/daily/",
        "/api/v1/city/annual/{year}/",
        "/api/v1/counties/{code}/daily/",
        "/api/v1/stations/{code}/annual/{year}/",
    ):
        assert path in schema["paths"]
    assert "DailyResult" in schema["components"]["schemas"]
    assert "co_p95" in schema["components"]["schemas"]["AnnualResult"]["properties"]


@pytest.mark.parametrize("year", [2022, 2023])
def test_a_year_recomputed_under_either_edition_on_request(client: Any, real_days: None, year: int) -> None:
    """?rules=2026 rescores each stored day under HJ 633-2026 (issue 13); the stored figures stay as they were."""
    from monitoring.aqi import daily_aqi

    day = client.get("/api/v1/city/daily/", {"start": f"{year}-01-01", "end": f"{year}-12-31"}).json()[0]
    values = {k: day[k] for k in ("so2", "no2", "co", "pm10", "pm25", "o3_8h", "o3_1h")}
    under_2026 = daily_aqi(values, edition="2026")
    official = client.get(f"/api/v1/city/annual/{year}/").json()
    restated = client.get(f"/api/v1/city/annual/{year}/", {"rules": "2026"}).json()
    assert (official["rules"], official["edition"], official["composite_limits"]) == (
        "HJ 633-2012",
        "2012",
        "GB 3095-2012",
    )
    assert (restated["rules"], restated["edition"], restated["composite_limits"]) == (
        "HJ 633-2026",
        "2026",
        "GB 3095-2026 (I)",
    )
    assert restated["valid_days"] == (1 if under_2026.valid else 0)
    assert restated["good_days"] == (1 if under_2026.valid and under_2026.aqi <= 100 else 0)
    assert restated["pm25"] == official["pm25"]  # concentrations do not depend on the edition
    assert client.get(f"/api/v1/city/annual/{year}/", {"rules": "2012"}).json() | {"edition": "2012"} == official
    assert client.get(f"/api/v1/city/annual/{year}/").json() == official


def test_an_unknown_edition_is_a_clear_400(client: Any, db: None) -> None:
    response = client.get("/api/v1/city/annual/2022/", {"rules": "1996"})
    assert response.status_code == 400
    assert "rules" in response.json()


@pytest.mark.parametrize("year", ["0", "1999", "2100", "10000", "99999999999999999999999"])
@pytest.mark.parametrize("path", ["/api/v1/city/annual/{}/", "/api/v1/counties/371502/annual/{}/"])
def test_annual_of_a_year_no_observation_can_have_is_not_found(client: Any, db: None, path: str, year: str) -> None:
    """Years outside 2000-2099 (those an ingest accepts) have no figures: 404 with the reason (was a 500)."""
    response = client.get(path.format(year))
    assert response.status_code == 404
    assert "没有计算结果" in response.json()["detail"]
