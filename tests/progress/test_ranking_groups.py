"""Ranking groups as Liaocheng publishes them (issue 11, item 4): 主城四区 and 七县市 each ranked among
themselves, with ties, beside the ranking of all eleven units; the groups are data the bureau changes."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from areas.models import Area, RankingGroup
from progress import selectors, services
from progress.models import RankingEntry
from targets import services as target_services
from tests.progress.conftest import COUNTY_A, COUNTY_B, TODAY

pytestmark = pytest.mark.django_db
MAIN_URBAN = ["371502", "LC-ETDZ", "LC-HTZ", "LC-JBSC"]
SEVEN = ["371503", "371521", "371522", "371524", "371525", "371526", "371581"]


@pytest.fixture
def computed(plan, stored):
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    return run


def places(run, group_code):
    group = RankingGroup.objects.get(code=group_code) if group_code else None
    return {e.area.code: e.score_rank for e in selectors.ranking(run, group=group)}


def test_each_group_ranks_its_members_among_themselves_and_all_eleven_together(computed):
    overall = places(computed, None)
    assert sorted(overall) == sorted(MAIN_URBAN + SEVEN)
    main_urban = places(computed, "main-urban")
    assert sorted(main_urban) == sorted(MAIN_URBAN)
    assert sorted(places(computed, "seven-counties")) == sorted(SEVEN)
    # 东昌府区 (the only unit with air figures) leads its group; the three zones, scored on their measures
    # alone and equal, tie for second (competition ranking: 1, 2, 2, 2).
    assert main_urban == {"371502": 1, "LC-ETDZ": 2, "LC-HTZ": 2, "LC-JBSC": 2}
    # Without air figures, every one of the seven counties is scored on its measures alone: all tie.
    assert set(places(computed, "seven-counties").values()) == {1}
    assert overall["371502"] == 1


def test_a_group_entrys_points_are_the_groups_own(computed):
    linqing = RankingEntry.objects.get(run=computed, area__code=COUNTY_B, month=0, group__code="seven-counties")
    assert linqing.score_rank == 1
    overall = RankingEntry.objects.get(run=computed, area__code=COUNTY_B, month=0, group=None)
    assert overall.score_rank == 2


def test_the_bureau_changes_a_group_and_the_next_run_ranks_by_it(plan, stored):
    group = RankingGroup.objects.get(code="main-urban")
    group.members.remove(Area.objects.get(code="LC-JBSC"))
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    assert sorted(places(run, "main-urban")) == ["371502", "LC-ETDZ", "LC-HTZ"]


def test_the_api_gives_each_units_places_within_its_groups(client, computed):
    data = client.get("/api/v1/progress/", {"year": 2025}).json()
    dongchangfu = next(a for a in data["areas"] if a["code"] == COUNTY_A)
    (place,) = dongchangfu["group_rankings"]
    assert (place["group"], place["group_name"], place["ranked"], place["score_rank"]) == (
        "main-urban",
        "主城四区",
        4,
        1,
    )
    city = next(a for a in data["areas"] if a["kind"] == "city")
    assert city["group_rankings"] == []


def test_the_dashboard_switches_to_a_group_and_exports_it(client, bureau, computed):
    client.force_login(bureau)
    html = client.get(reverse("progress:dashboard"), {"group": "main-urban"}).content.decode()
    rows = [chunk.split('"')[0] for chunk in html.split('<tr data-area="')[1:]]
    assert sorted(rows) == sorted(MAIN_URBAN)
    assert 'data-group="main-urban" aria-current="page"' in html
    export = client.get(reverse("progress:ranking-export", args=["csv"]), {"year": 2025, "group": "main-urban"})
    table = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert "主城四区排名" in table[0][0]
    assert sorted(row[1] for row in table[2:]) == sorted(Area.objects.get(code=code).name for code in MAIN_URBAN)
    page = client.get(reverse("progress:county", args=[COUNTY_A])).content.decode()
    assert 'data-group="main-urban"' in page
    assert "主城四区内排名" in page
