"""Station registry: import_stations, bootstrap and the public API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from areas.services import areas_load
from monitoring.models import Station

# These tests build their own small world with factories, on a database without the preloaded plan.
pytestmark = pytest.mark.usefixtures("no_plan")

HEADER = "code,name,county_code,network,latitude,longitude\n"


@pytest.fixture
def areas(db: Any) -> None:
    areas_load()


def write(tmp_path: Path, text: str, *, bom: bool = False) -> str:
    path = tmp_path / "stations.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def test_import_creates_stations_and_reimport_updates_by_code(areas: None, tmp_path: Path) -> None:
    call_command(
        "import_stations", write(tmp_path, HEADER + "9001A,临清一中,371581,provincial,36.84,115.70\n", bom=True)
    )
    station = Station.objects.get(code="9001A")
    assert (station.name, station.area.code, station.network) == ("临清一中", "371581", "provincial")
    call_command("import_stations", write(tmp_path, HEADER + "9001A,临清一中新址,371581,county,36.85,115.71\n"))
    station.refresh_from_db()
    assert (station.name, station.network, station.latitude) == ("临清一中新址", "county", 36.85)
    assert Station.objects.count() == 1


def test_unknown_county_or_network_names_the_line_and_imports_nothing(areas: None, tmp_path: Path) -> None:
    text = (
        HEADER
        + "9001A,甲,371502,national,36.4,115.9\n"
        + "9002A,乙,999999,national,36.4,115.9\n"
        + "9003A,丙,371502,city,36.4,115.9\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_stations", write(tmp_path, text))
    message = str(caught.value)
    assert "第 3 行" in message
    assert "999999" in message
    assert "第 4 行" in message
    assert "city" in message
    assert "第 2 行" not in message
    assert Station.objects.count() == 0


def test_missing_columns_are_reported(areas: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="network"):
        call_command("import_stations", write(tmp_path, "code,name,county_code\n1,a,371502\n"))


def test_bootstrap_loads_the_five_national_stations(db: Any) -> None:
    call_command("bootstrap", verbosity=0)
    call_command("bootstrap", verbosity=0)
    assert sorted(Station.objects.values_list("code", flat=True)) == ["1625A", "2878A", "3200A", "3512A", "3513A"]
    assert set(Station.objects.values_list("network", "area__code")) == {("national", "371502")}


def test_station_api_is_public_and_read_only(client: Any, areas: None) -> None:
    from monitoring.services import stations_load_national

    stations_load_national()
    listing = client.get("/api/v1/stations/")
    assert listing.status_code == 200
    body = listing.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["code"] for row in rows] == ["1625A", "2878A", "3200A", "3512A", "3513A"]
    detail = client.get("/api/v1/stations/1625A/").json()
    assert detail == {
        "code": "1625A",
        "name": "区政府",
        "county_code": "371502",
        "county_name": detail["county_name"],
        "network": "national",
        "latitude": 36.4372,
        "longitude": 115.9848,
        "active_from": None,
        "active_until": None,
    }
    assert client.get("/api/v1/stations/?county_code=371581").json()["results"] == []
    assert client.post("/api/v1/stations/", {"code": "X"}).status_code in {403, 405}


def test_station_api_is_in_the_openapi_schema(client: Any, db: Any) -> None:
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/stations/{code}/" in schema.content


def test_the_optional_english_name_is_imported_and_shown_on_english_pages(areas: None) -> None:
    from django.utils import translation

    from monitoring.services import stations_import

    stations_import(
        content=(
            "code,name,name_en,county_code,network,latitude,longitude\n"
            "9001A,临清一中,Linqing No. 1 Middle School,371581,county,36.8,115.7\n"
            "9002A,冠县二中,,371525,county,36.5,115.4\n"
        ).encode()
    )
    school, other = Station.objects.get(code="9001A"), Station.objects.get(code="9002A")
    with translation.override("en"):
        assert (school.localized_name, other.localized_name) == ("Linqing No. 1 Middle School", "冠县二中")
    with translation.override("zh-hans"):
        assert school.localized_name == "临清一中"


def test_a_name_too_long_is_its_rows_error_and_nothing_is_imported(areas: None) -> None:
    from monitoring.services import StationImportError, stations_import

    content = (
        "code,name,name_en,county_code,network,latitude,longitude\n"
        "9001A,临清一中,Linqing,371581,county,36.8,115.7\n"
        f"9002A,冠县二中,{'x' * 201},371525,county,36.5,115.4\n"
    ).encode()
    with pytest.raises(StationImportError) as refused:
        stations_import(content=content)
    assert [e.split("：")[0] for e in refused.value.errors] == ["第 3 行"]
    assert "name_en" in refused.value.errors[0]
    assert not Station.objects.filter(code__in=["9001A", "9002A"]).exists()


def test_a_file_without_the_english_column_keeps_the_stored_english_names(areas: None) -> None:
    from monitoring.services import stations_import

    stations_import(content=(f"{HEADER.strip()},name_en\n9001A,临清一中,371581,county,36.8,115.7,Linqing\n").encode())
    result = stations_import(content=(HEADER + "9001A,临清一中,371581,county,36.81,115.7\n").encode())
    assert result.updated == 1
    station = Station.objects.get(code="9001A")
    assert (station.latitude, station.name_en) == (36.81, "Linqing")


def test_staff_keep_the_registry_on_its_page_and_see_each_bad_line(client: Any, areas: None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import BureauStaffFactory, CountyOfficialFactory

    url = reverse("monitoring:stations")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(CountyOfficialFactory(area_code="371581").user)
    assert client.get(url).status_code == 403
    client.force_login(BureauStaffFactory())

    def upload(text: str) -> Any:
        return client.post(url, {"file": SimpleUploadedFile("stations.csv", text.encode(), content_type="text/csv")})

    refused = upload(HEADER + "9001A,临清一中,371581,county,36.8,115.7\n9002A,冠县二中,999999,county,north,115.4\n")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "第 3 行" in page
    assert "999999" in page
    assert "“north” 不是数字" in page
    assert not Station.objects.filter(code__in=["9001A", "9002A"]).exists()
    accepted = upload(HEADER + "9001A,临清一中,371581,county,36.8,115.7\n")
    assert accepted.status_code == 302
    page = client.get(url).content.decode()
    assert "新增 1 个、更新 0 个、未变 0 个" in page
    assert 'data-station="9001A"' in page
    assert "临清市" in page


def test_a_spreadsheet_is_refused_as_not_a_csv_and_an_english_reader_gets_english_clauses(areas: None) -> None:
    from django.utils import translation

    from monitoring.services import StationImportError, stations_import

    with pytest.raises(StationImportError) as refused:
        stations_import(content=b"PK\x03\x04" + b"\x00" * 40)  # an .xlsx is a zip
    assert refused.value.errors == ["站点文件必须是 UTF-8 编码（可带 BOM）的 CSV 文本文件。"]
    with translation.override("en"), pytest.raises(StationImportError) as refused:
        stations_import(content=(HEADER + "9002A,冠县二中,999999,city,36.5,115.4\n").encode())
    assert refused.value.errors[0].startswith("Line 2: Unknown county code “999999”; Unknown station network “city”")
