"""The public page of the latest air (/air/) and its download: the last natural day with results up to
yesterday (China time), each area's and station's AQI on it, and each station's latest hour."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from monitoring.models import AreaDay, StationDay
from tests.monitoring.results_data import STATIONS, long_file

CITY = "371500"
PM25_DAY = {"PM2.5": 120}  # PM2.5 24-h 120: IAQI 150 + (120 - 115) / (150 - 115) x 50 = 157.1, up: 158, 中度污染


@pytest.fixture
def two_days(ingest_and_recompute):
    ingest_and_recompute(long_file([date(2025, 3, 1), date(2025, 3, 2)], overrides={date(2025, 3, 2): PM25_DAY}))


@time_machine.travel("2025-03-03 10:00 +0800", tick=False)
def test_the_page_shows_yesterdays_aqi_of_the_city_and_each_station_and_the_latest_hour(client, two_days):
    page = client.get(reverse("air:latest"))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-day="2025-03-02"' in html
    city = AreaDay.objects.get(area__code=CITY, date=date(2025, 3, 2))
    assert (city.aqi, city.category, city.primary_pollutants) == (158, 4, ["PM2.5"])
    assert f'<tr data-code="{CITY}" data-aqi="158" data-category="4">' in html
    assert "中度污染" in html
    for code in STATIONS:
        assert f'<tr data-code="{code}" data-aqi="158" data-category="4">' in html  # the day, and the hour
    hours = page.context["rows"].hours
    assert {row.code for row in hours} == set(STATIONS)
    # The last stamp of 2 March is 3 March 00:00 (its 24:00); its 1-h values give the same AQI: PM2.5 by the
    # 24-h table, O3 60 -> 19, NO2 30 -> 15, SO2 10 -> 4, CO 0.8 -> 8, PM10 80 -> 65.
    assert {(row.when.isoformat(), row.aqi, row.primary_pollutants) for row in hours} == {
        ("2025-03-03T00:00:00+08:00", 158, ("PM2.5",))
    }


@time_machine.travel("2025-03-02 10:00 +0800", tick=False)
def test_the_day_shown_is_yesterday_not_the_day_in_progress(client, two_days):
    html = client.get(reverse("air:latest")).content.decode()
    assert 'data-day="2025-03-01"' in html
    # PM10 80: 50 + 30/100 x 50 = 65 (PM2.5 40 gives 56.25 -> 57)
    assert f'<tr data-code="{CITY}" data-aqi="65" data-category="2">' in html


@time_machine.travel("2025-03-03 10:00 +0800", tick=False)
def test_the_download_holds_what_the_page_shows_with_numbers_as_numbers(client, two_days):
    response = client.get(reverse("air:latest-export", args=["csv"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="liaocheng-air-2025-03-02.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    title, header, *rows = lines
    assert "2025-03-02" in title[0]
    assert "实况数据（未经审核）" in title[0]
    assert header[:5] == ["类别", "代码", "名称", "日期或时间", "AQI"]
    page_rows = client.get(reverse("air:latest")).context["rows"]
    assert len(rows) == len(page_rows.areas) + len(page_rows.stations) + len(page_rows.hours)
    city = next(row for row in rows if row[1] == CITY)
    assert city[3:8] == ["2025-03-02", "158", "中度污染", "PM2.5", "120"]
    station_days = StationDay.objects.filter(date=date(2025, 3, 2)).count()
    assert sum(1 for row in rows if row[0] == "站点日均") == station_days == len(STATIONS)
    assert client.get("/air/latest.pdf").status_code == 404


def test_without_results_the_page_says_so(client, db):
    page = client.get(reverse("air:latest"))
    assert page.status_code == 200
    assert "尚无日空气质量结果。" in page.content.decode()
    assert "尚无小时数据。" in page.content.decode()


@time_machine.travel("2025-03-03 10:00 +0800", tick=False)
def test_an_area_without_assessment_stations_says_so_instead_of_no_valid_data(client, two_days):
    rows = {row.code: row for row in client.get(reverse("air:latest")).context["rows"].areas}
    html = client.get(reverse("air:latest")).content.decode()
    zone = next(code for code, row in rows.items() if not row.assessed)
    assert rows[zone].aqi is None
    assert rows[CITY].assessed
    assert "无评价站点" in html


@time_machine.travel("2025-03-03 10:00 +0800", tick=False)
def test_the_public_home_shows_the_citys_latest_day_and_links_to_the_rest(client, two_days):
    html = client.get(reverse("progress:home")).content.decode()
    assert '<section class="latest-air" data-day="2025-03-02">' in html
    assert '<strong data-figure="latest-aqi">AQI 158</strong> <span class="badge aqi-4">中度污染</span>' in html
    assert f'href="{reverse("air:latest")}"' in html
    english = client.get(reverse("progress:home"), HTTP_COOKIE="django_language=en").content.decode()
    assert '<span class="badge aqi-4">moderately polluted</span>' in english
