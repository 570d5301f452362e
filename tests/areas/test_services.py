"""The areas loader (areas/services.py): creates and updates by code, and refuses a bad file whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from areas.models import Area, RankingGroup
from areas.services import AREAS_FIXTURE, areas_load


def fixture_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(AREAS_FIXTURE.read_text(encoding="utf-8"))["areas"]
    return rows


def write(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "areas.json"
    path.write_text(json.dumps({"areas": rows}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.usefixtures("no_plan")
def test_a_first_load_creates_the_city_its_counties_and_zones(db: Any) -> None:
    assert areas_load() == len(fixture_rows()) + 2 == 14  # 12 areas and the 2 ranking groups
    city = Area.objects.get(kind=Area.Kind.CITY)
    assert (city.code, city.name, city.parent) == ("371500", "聊城市", None)
    assert Area.objects.filter(kind=Area.Kind.COUNTY, parent=city).count() == 8
    assert Area.objects.filter(kind=Area.Kind.ZONE, parent=city).count() == 3


@pytest.mark.usefixtures("no_plan")
def test_the_ranking_groups_are_liaochengs_and_a_group_the_bureau_changed_is_left_as_it_is(db: Any) -> None:
    areas_load()
    groups = {g.code: sorted(a.code for a in g.members.all()) for g in RankingGroup.objects.all()}
    assert groups == {
        "main-urban": ["371502", "LC-ETDZ", "LC-HTZ", "LC-JBSC"],
        "seven-counties": ["371503", "371521", "371522", "371524", "371525", "371526", "371581"],
    }
    assert [g.name for g in RankingGroup.objects.all()] == ["主城四区", "七县市"]
    RankingGroup.objects.get(code="main-urban").members.remove(Area.objects.get(code="LC-JBSC"))
    assert areas_load() == 0
    assert RankingGroup.objects.get(code="main-urban").members.count() == 3


def test_a_ranking_group_naming_an_unknown_area_is_refused(db: Any, tmp_path: Path) -> None:
    from areas.services import ranking_groups_ensure

    with pytest.raises(ValidationError, match="XX-1"):
        ranking_groups_ensure(
            [{"code": "new", "name": "新组", "name_en": "New", "sort_order": 3, "members": ["371502", "XX-1"]}],
            {a.code: a for a in Area.objects.all()},
        )
    assert not RankingGroup.objects.filter(code="new").exists()


def test_loading_again_changes_nothing(db: Any) -> None:
    before = list(Area.objects.values())
    assert areas_load() == 0
    assert list(Area.objects.values()) == before


def test_a_changed_row_is_updated_in_place(db: Any, tmp_path: Path) -> None:
    rows = fixture_rows()
    rows[1]["name_en"] = "Dongchangfu District"
    before = Area.objects.get(code=rows[1]["code"])
    assert areas_load(path=write(tmp_path, rows)) == 1
    after = Area.objects.get(code=rows[1]["code"])
    assert (after.pk, after.name_en, after.stations.exists()) == (before.pk, "Dongchangfu District", True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parent": "379999"}, "区域数据第 3 行（371503）：上级区域 379999 不存在"),
        ({"kind": "province"}, "区域数据第 3 行（371503）：kind:"),
        ({"name": None}, "区域数据第 3 行（371503）：name:"),
    ],
)
def test_a_bad_row_is_refused_by_number_and_nothing_is_stored(
    db: Any, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    rows = fixture_rows()
    rows[1]["name"] = "东昌府区（改）"  # a good change before the bad row must not be stored either
    rows[2] |= change
    before = list(Area.objects.values())
    with pytest.raises(ValidationError) as refused:
        areas_load(path=write(tmp_path, rows))
    assert message in refused.value.messages[0]
    assert list(Area.objects.values()) == before


def test_a_row_missing_a_field_is_refused_naming_it(db: Any, tmp_path: Path) -> None:
    rows = fixture_rows()
    del rows[4]["kind"]
    with pytest.raises(ValidationError, match="区域数据第 5 行（371522）：缺少字段 kind"):
        areas_load(path=write(tmp_path, rows))
