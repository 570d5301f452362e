"""Dust-storm days (扣沙, 环办监测〔2016〕120号): marking, the deducted series beside the raw one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from areas.models import Area
from monitoring.models import AreaDay, AreaPeriod, DustDay, StationPeriod
from monitoring.selectors import dust_marks
from tests.monitoring.results_data import long_file

DAYS = [date(2025, 3, d) for d in range(1, 6)]
DUST = date(2025, 3, 3)
NOW = "2025-03-10 12:00 +0800"


@pytest.fixture
def five_days(ingest_and_recompute: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        ingest_and_recompute(long_file(DAYS, overrides={DUST: {"PM2.5": 300, "PM10": 500}}), name="dust.csv")


def city_month(deducted: bool) -> AreaPeriod:
    return AreaPeriod.objects.get(area__code="371500", period="month", start=date(2025, 3, 1), dust_deducted=deducted)


def test_marking_a_dust_day_changes_the_deducted_pm_means_but_not_the_raw_series(
    client: Any, bureau: Any, five_days: None, django_capture_on_commit_callbacks: Any
) -> None:
    raw_day = AreaDay.objects.get(area__code="371500", date=DUST)
    # Before any mark both series agree: PM2.5 (40 x 4 + 300) / 5 = 92, PM10 (80 x 4 + 500) / 5 = 164.
    assert (city_month(False).pm25, city_month(True).pm25, city_month(True).pm10) == (92, 92, 164)
    client.force_login(bureau)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:dust-days"), {"action": "mark", "date": "2025-03-03", "reason": "沙尘天气过程"}
        )
    assert response.status_code == 302
    mark = DustDay.objects.get()
    assert (mark.date, mark.reason, mark.marked_by) == (DUST, "沙尘天气过程", bureau)
    assert dust_marks(date(2025, 1, 1), date(2025, 12, 31)).citywide == {DUST}
    raw, deducted = city_month(False), city_month(True)
    assert (raw.pm25, raw.pm10) == (92, 164)
    assert (deducted.pm25, deducted.pm10) == (40, 80)
    # The day counts and the gases are unchanged by the deduction; the daily series keeps the dust day.
    assert (deducted.valid_days, deducted.so2, deducted.good_days) == (raw.valid_days, raw.so2, raw.good_days)
    assert AreaDay.objects.get(area__code="371500", date=DUST).pm25 == raw_day.pm25 == 300
    api = client.get("/api/v1/city/annual/2025/", {"dust": "deducted"}).json()
    assert api["dust_deducted"] is True
    # The daily API: by default the deducted series, as the pages (issue 16); raw on request.
    window = {"start": "2025-03-02", "end": "2025-03-03"}
    before, daily = client.get("/api/v1/city/daily/", window).json()
    assert (daily["dust_day"], daily["dust_deducted"], daily["pm25"], daily["pm10"]) == (True, True, None, None)
    assert daily["aqi"] == raw_day.aqi  # the day's AQI stays the day's AQI
    assert (before["dust_day"], before["dust_deducted"], before["pm25"]) == (False, False, 40)
    raw_daily = client.get("/api/v1/city/daily/", window | {"dust": "raw"}).json()[1]
    assert (raw_daily["dust_day"], raw_daily["dust_deducted"], raw_daily["pm25"]) == (True, False, 300)

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:dust-days"), {"action": "unmark", "date": "2025-03-03"})
    assert not DustDay.objects.exists()
    assert city_month(True).pm25 == 92


def test_a_future_day_cannot_be_marked(client: Any, bureau: Any, db: None) -> None:
    client.force_login(bureau)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("monitoring:dust-days"), {"action": "mark", "date": "2025-03-11", "reason": "预报"}
        )
    assert response.status_code == 200
    assert "2025-03-11" in response.content.decode()
    assert not DustDay.objects.exists()


def test_a_mark_needs_a_reason(client: Any, bureau: Any, db: None) -> None:
    client.force_login(bureau)
    response = client.post(reverse("monitoring:dust-days"), {"action": "mark", "date": "2024-04-01", "reason": ""})
    assert response.status_code == 200
    assert not DustDay.objects.exists()


def test_officials_and_the_public_cannot_mark_dust_days(client: Any, official_a: Any, db: None) -> None:
    url = reverse("monitoring:dust-days")
    assert client.get(url).status_code in {302, 403}
    client.force_login(official_a)
    response = client.post(url, {"action": "mark", "date": "2024-04-01", "reason": "x"})
    assert response.status_code in {302, 403}
    assert not DustDay.objects.exists()


def test_staff_see_the_marked_days(client: Any, bureau: Any, db: None) -> None:
    DustDay.objects.create(date=date(2024, 4, 2), reason="沙尘暴", marked_by=bureau)
    client.force_login(bureau)
    page = client.get(reverse("monitoring:dust-days")).content.decode()
    assert "2024-04-02" in page
    assert "沙尘暴" in page


def county_month(deducted: bool, code: str = "371502") -> AreaPeriod:
    return AreaPeriod.objects.get(area__code=code, period="month", start=date(2025, 3, 1), dust_deducted=deducted)


def test_a_countys_mark_deducts_that_county_and_its_stations_but_not_the_city(
    client: Any, bureau: Any, five_days: None, django_capture_on_commit_callbacks: Any
) -> None:
    # The five national stations lie in 东昌府区 (371502) and assess both it and the city.
    assert (county_month(True).pm25, city_month(True).pm25) == (92, 92)
    client.force_login(bureau)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:dust-days"),
            {"action": "mark", "date": "2025-03-03", "area": "371502", "reason": "局地扬沙"},
            follow=True,
        )
    assert "已标记 2025-03-03 为沙尘天气日（东昌府区）" in response.content.decode()
    mark = DustDay.objects.get()
    assert (mark.date, mark.area.code) == (DUST, "371502")
    marks = dust_marks(date(2025, 1, 1), date(2025, 12, 31))
    assert marks.citywide == frozenset()
    assert marks.days_for("area", "371502") == {DUST}
    assert marks.days_for("station", "1625A") == {DUST}
    assert marks.days_for("area", "371500") == frozenset()
    assert (county_month(True).pm25, county_month(True).pm10, county_month(False).pm25) == (40, 80, 92)
    assert (city_month(True).pm25, city_month(False).pm25) == (92, 92)
    station = StationPeriod.objects.get(
        station__code="1625A", period="month", start=date(2025, 3, 1), dust_deducted=True
    )
    assert station.pm25 == 40
    window = {"start": "2025-03-03", "end": "2025-03-03"}
    (county_day,) = client.get("/api/v1/counties/371502/daily/", window).json()
    (city_day,) = client.get("/api/v1/city/daily/", window).json()
    assert (county_day["dust_day"], county_day["pm25"]) == (True, None)
    assert (city_day["dust_day"], city_day["pm25"]) == (False, 300)
    page = client.get(reverse("monitoring:dust-days")).content.decode()
    assert "局地扬沙" in page
    assert 'name="area" value="371502"' in page

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:dust-days"), {"action": "unmark", "date": "2025-03-03", "area": "371502"})
    assert not DustDay.objects.exists()
    assert county_month(True).pm25 == 92


def test_a_county_cannot_be_marked_on_a_day_the_whole_city_is_marked(client: Any, bureau: Any, db: None) -> None:
    DustDay.objects.create(date=date(2024, 4, 2), reason="沙尘暴", marked_by=bureau)
    client.force_login(bureau)
    response = client.post(
        reverse("monitoring:dust-days"), {"action": "mark", "date": "2024-04-02", "area": "371581", "reason": "x"}
    )
    assert response.status_code == 200
    assert "2024-04-02 已标记为全市沙尘天气日" in response.content.decode()
    assert DustDay.objects.count() == 1


def test_unmarking_a_countys_mark_leaves_the_citys_and_other_counties_marks(client: Any, bureau: Any, db: None) -> None:
    day = date(2024, 4, 2)
    DustDay.objects.create(date=day, area=Area.objects.get(code="371502"), reason="a")
    DustDay.objects.create(date=day, area=Area.objects.get(code="371581"), reason="b")
    DustDay.objects.create(date=date(2024, 4, 3), reason="city")
    client.force_login(bureau)
    client.post(reverse("monitoring:dust-days"), {"action": "unmark", "date": "2024-04-02", "area": "371581"})
    left = sorted((m.date.isoformat(), m.area.code if m.area else "") for m in DustDay.objects.all())
    assert left == [("2024-04-02", "371502"), ("2024-04-03", "")]
    client.post(reverse("monitoring:dust-days"), {"action": "unmark", "date": "2024-04-03"})
    assert [m.reason for m in DustDay.objects.all()] == ["a"]


def test_the_city_itself_is_not_a_unit_a_mark_can_name(client: Any, bureau: Any, db: None) -> None:
    client.force_login(bureau)
    response = client.post(
        reverse("monitoring:dust-days"), {"action": "mark", "date": "2024-04-02", "area": "371500", "reason": "x"}
    )
    assert response.status_code == 200
    assert not DustDay.objects.exists()


def test_a_file_ingested_after_a_countys_mark_is_deducted_for_that_county_only(
    ingest_and_recompute: Any, bureau: Any
) -> None:
    """The results computed from the file while it is stored (monitoring/file_results.py) read the marks too."""
    DustDay.objects.create(date=DUST, area=Area.objects.get(code="371502"), reason="局地扬沙", marked_by=bureau)
    with time_machine.travel(NOW, tick=False):
        run = ingest_and_recompute(long_file(DAYS, overrides={DUST: {"PM2.5": 300, "PM10": 500}}), name="dust.csv")
    assert run.results_stored == run.ResultsStored.ALL  # the file's own results, not a later recompute
    assert (county_month(True).pm25, county_month(False).pm25) == (40, 92)
    assert (city_month(True).pm25, city_month(False).pm25) == (92, 92)
