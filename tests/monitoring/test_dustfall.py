"""Dust fall (降尘) import (docs/interfaces.md §6): all or nothing, each error with its line, field and reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from monitoring.models import DustFall, DustFallPoint
from monitoring.services_dustfall import DustFallImportError, dust_fall_import

pytestmark = pytest.mark.django_db

HEADER = "point_code,point_name,area_code,month,value\n"
GOOD = (
    HEADER
    + "DF01,东昌府区一号点,371502,2025-03,5.2\n"
    + "DF02,东昌府区二号点,371502,2025-03,6.10\n"
    + "DF03,临清市点,371581,2025-03,7.9\n"
)


def test_a_good_file_creates_points_and_values_and_a_second_import_replaces_only_what_changed():
    result = dust_fall_import(content=GOOD.encode())
    assert (result.points_created, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    assert DustFall.objects.get(point__code="DF02").value == Decimal("6.10")
    again = dust_fall_import(content=(HEADER + "DF01,东昌府区一号点,371502,2025-03,5.4\n").encode())
    assert (again.points_created, again.created, again.updated) == (0, 0, 1)
    value = DustFall.objects.get(point__code="DF01")
    assert value.value == Decimal("5.4")
    assert value.history.count() == 2


def test_a_file_with_bad_rows_is_refused_whole_naming_each_line_and_field(tmp_path):
    dust_fall_import(content=GOOD.encode())
    bad = HEADER + (
        "DF04,新点,371502,2025-04,4.0\n"  # good, but the file is refused
        "DF05,坏点,999999,2025-04,4.0\n"
        "DF06,点,371502,2025-4,4.0\n"
        "DF07,点,371502,2025-04,-1\n"
        "DF08,点,371502,2025-04,abc\n"
        "DF01,东昌府区一号点,371581,2025-04,4.0\n"
        "DF04,新点,371502,2025-04,4.1\n"
        "DF09,点,371502,2099-01,4.0\n"
        "DF10,点,371502,2025-04,4.123\n"
    )
    with pytest.raises(DustFallImportError) as refused:
        dust_fall_import(content=bad.encode())
    assert refused.value.errors == [
        "第 3 行 area_code：未知的县（市、区）代码 “999999”",
        "第 4 行 month：“2025-4” 不是年-月（YYYY-MM）",
        "第 5 行 value：-1 超出 0 到 200 吨/平方千米·月",
        "第 6 行 value：“abc” 不是数字",
        "第 7 行 area_code：点位 DF01 属于 东昌府区，不是 临清市",
        "第 8 行 point_code：点位 DF04 的 2025-04 与第 2 行重复",
        "第 9 行 month：2099-01 尚未结束",
        "第 10 行 value：4.123 超过两位小数",
    ]
    assert DustFallPoint.objects.count() == 3
    assert DustFall.objects.count() == 3
    path = tmp_path / "dust.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_dustfall", str(path))


def test_the_command_imports_a_file_with_a_bom(tmp_path, capsys):
    path = tmp_path / "dust.csv"
    path.write_bytes("\ufeff".encode() + GOOD.encode())
    call_command("import_dustfall", str(path))
    assert "3 point(s) created; values 3 created" in capsys.readouterr().out
    path.write_text("point,value\nA,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少列"):
        call_command("import_dustfall", str(path))


def test_staff_upload_the_file_on_the_page_and_see_each_bad_line(client, bureau, official_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("monitoring:dust-fall")
    client.force_login(official_a)
    assert client.get(url).status_code == 403
    client.force_login(bureau)
    bad = SimpleUploadedFile("dust.csv", (HEADER + "DF01,点,371502,2025-03,x\n").encode(), content_type="text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "第 2 行 value：“x” 不是数字" in response.content.decode()
    good = SimpleUploadedFile("dust.csv", GOOD.encode(), content_type="text/csv")
    assert client.post(url, {"file": good}).status_code == 302
    assert 'data-point="DF03"' in client.get(url).content.decode()
