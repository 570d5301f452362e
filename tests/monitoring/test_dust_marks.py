"""Whom a dust mark touches (monitoring/dust.py): plain data, no database."""

from __future__ import annotations

from datetime import date

from monitoring.dust import DustMarks

CITY_DAY, COUNTY_DAY = date(2025, 3, 3), date(2025, 3, 9)
MARKS = DustMarks(
    citywide=frozenset({CITY_DAY}),
    by_area={"371502": frozenset({COUNTY_DAY})},
    area_of_station={"1625A": "371502", "9001A": "371581"},
)


def test_a_units_mark_touches_the_unit_and_its_stations_and_a_city_wide_mark_everyone() -> None:
    assert MARKS.days_for("area", "371502") == {CITY_DAY, COUNTY_DAY}
    assert MARKS.days_for("station", "1625A") == {CITY_DAY, COUNTY_DAY}
    assert MARKS.days_for("area", "371581") == {CITY_DAY}
    assert MARKS.days_for("station", "9001A") == {CITY_DAY}
    assert MARKS.days_for("area", "371500") == {CITY_DAY}  # the city's series: city-wide marks only
    assert MARKS.days_for("station", "unknown") == {CITY_DAY}


def test_statistics_get_one_set_without_unit_marks_and_a_set_per_entity_with_them() -> None:
    citywide_only = DustMarks(citywide=frozenset({CITY_DAY}))
    assert citywide_only.for_statistics("area", ["371500", "371502"]) == {CITY_DAY}
    assert MARKS.for_statistics("area", ["371500", "371502"]) == {
        "371500": {CITY_DAY},
        "371502": {CITY_DAY, COUNTY_DAY},
    }
    assert DustMarks().for_statistics("station", ["1625A"]) == frozenset()
