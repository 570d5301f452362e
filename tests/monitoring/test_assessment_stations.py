"""Which stations assess which area is data the bureau keeps, with history (issue 11, item 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from areas.models import Area
from monitoring import results, selectors, services
from monitoring.models import AreaDay, AreaPeriod, AssessmentStation, Station
from tests.monitoring.results_data import long_file

NATIONAL = ["1625A", "2878A", "3200A", "3512A", "3513A"]
D1, D2 = date(2025, 3, 1), date(2025, 3, 2)


def run_inline(plan: results.RecomputePlan) -> None:
    results.plan_execute_inline(plan)


def codes(area_code: str) -> list[str]:
    return [s.code for s in selectors.assessment_stations(area_code)]


@pytest.fixture
def two_days(ingest_and_recompute: Any) -> Any:
    with time_machine.travel("2025-03-10 12:00 +0800", tick=False):
        ingest_and_recompute(long_file([D1, D2]), name="two-days.csv")


def test_registered_stations_assess_the_areas_of_the_default_rule(db: Any) -> None:
    assert codes("371500") == NATIONAL
    assert codes("371502") == NATIONAL  # the national stations stand in 东昌府区
    assert codes("371581") == []
    table = {row.area.code: [s.code for s in row.stations] for row in selectors.assessment_table()}
    assert table["371500"] == NATIONAL
    assert table["LC-ETDZ"] == []


def test_the_bureau_takes_the_city_stations_off_a_county_and_its_figures_go_with_a_reason(
    two_days: Any, bureau: Any
) -> None:
    dongchangfu = Area.objects.get(code="371502")
    assert AreaDay.objects.filter(area=dongchangfu).count() == 2
    city_before = list(AreaDay.objects.filter(area__code="371500").values_list("date", "pm25", "aqi"))

    change = services.assessment_stations_set(
        area=dongchangfu,
        station_codes=[],
        reason="依据省考核办法，东昌府区按县控点评价",
        user=bureau,
        dispatch=run_inline,
    )

    assert (change.added, change.removed) == ([], NATIONAL)
    assert codes("371502") == []
    assert not AreaDay.objects.filter(area=dongchangfu).exists()
    assert not AreaPeriod.objects.filter(area=dongchangfu).exists()
    assert list(AreaDay.objects.filter(area__code="371500").values_list("date", "pm25", "aqi")) == city_before
    removed = AssessmentStation.history.filter(area_id=dongchangfu.pk, history_type="-")
    assert removed.count() == 5
    assert {(h.history_user_id, h.history_change_reason) for h in removed} == {
        (bureau.pk, "依据省考核办法，东昌府区按县控点评价")
    }


def test_stations_given_back_rebuild_the_areas_days_and_periods(two_days: Any, bureau: Any) -> None:
    dongchangfu = Area.objects.get(code="371502")
    before = list(AreaDay.objects.filter(area=dongchangfu).values_list("date", "pm25", "aqi", "stations"))
    services.assessment_stations_set(
        area=dongchangfu, station_codes=[], reason="暂停评价", user=bureau, dispatch=run_inline
    )
    services.assessment_stations_set(
        area=dongchangfu, station_codes=["1625A", "2878A"], reason="两个站点", user=bureau, dispatch=run_inline
    )
    rebuilt = list(AreaDay.objects.filter(area=dongchangfu).values_list("date", "stations"))
    assert rebuilt == [(D1, 2), (D2, 2)]
    assert AreaPeriod.objects.filter(area=dongchangfu, period="month").exists()
    services.assessment_stations_set(
        area=dongchangfu, station_codes=NATIONAL, reason="恢复", user=bureau, dispatch=run_inline
    )
    assert list(AreaDay.objects.filter(area=dongchangfu).values_list("date", "pm25", "aqi", "stations")) == before


def test_a_change_needs_staff_a_reason_and_stations_that_may_assess(db: Any, bureau: Any, official_a: Any) -> None:
    area = Area.objects.get(code="371581")
    Station.objects.create(
        code="9901Z", name="乡镇微站", area=area, network=Station.Network.TOWNSHIP, latitude=36.8, longitude=115.7
    )
    with pytest.raises(PermissionDenied):
        services.assessment_stations_set(
            area=area, station_codes=[], reason="理由", user=official_a, dispatch=run_inline
        )
    with pytest.raises(ValidationError) as no_reason:
        services.assessment_stations_set(
            area=area, station_codes=["1625A"], reason=" ", user=bureau, dispatch=run_inline
        )
    assert no_reason.value.message_dict == {"reason": ["调整评价站点必须填写理由。"]}
    with pytest.raises(ValidationError) as unknown:
        services.assessment_stations_set(
            area=area, station_codes=["1625A", "0000X"], reason="理由", user=bureau, dispatch=run_inline
        )
    assert unknown.value.message_dict == {"stations": ["没有这些站点：0000X"]}
    with pytest.raises(ValidationError) as township:
        services.assessment_stations_set(
            area=area, station_codes=["9901Z"], reason="理由", user=bureau, dispatch=run_inline
        )
    assert township.value.message_dict == {"stations": ["乡镇微站不参与考核评价：9901Z"]}
    assert codes("371581") == []


def test_a_new_station_gets_the_default_areas_and_a_known_one_keeps_what_the_bureau_set(db: Any, bureau: Any) -> None:
    header = "code,name,county_code,network,latitude,longitude\n"
    services.stations_import(content=(header + "9001A,临清一中,371581,county,36.84,115.70\n").encode())
    assert codes("371581") == ["9001A"]
    linqing = Area.objects.get(code="371581")
    services.assessment_stations_set(
        area=linqing, station_codes=[], reason="设备故障，暂停评价", user=bureau, dispatch=run_inline
    )
    services.stations_import(content=(header + "9001A,临清一中,371581,provincial,36.84,115.70\n").encode())
    assert codes("371581") == []


def test_staff_change_an_areas_stations_on_its_page(client: Any, bureau: Any, official_a: Any) -> None:
    client.force_login(official_a)
    assert client.get(reverse("monitoring:assessment-stations")).status_code in (302, 403)
    client.force_login(bureau)
    page = client.get(reverse("monitoring:assessment-stations"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("无评价站点") == 10  # 7 counties and 3 zones
    url = reverse("monitoring:assessment-stations-edit", args=["371502"])
    refused = client.post(url, {"stations": ["1625A"], "reason": ""})
    assert refused.status_code == 400
    assert codes("371502") == NATIONAL
    saved = client.post(url, {"stations": ["1625A"], "reason": "只用区政府站"})
    assert saved.status_code == 302
    assert codes("371502") == ["1625A"]
    history = client.get(url).content.decode()
    assert "只用区政府站" in history
    assert history.count("移出") >= 4
