"""Dust fall (降尘): the monthly values of the dust-fall monitoring points, imported from the CSV the city's
monitoring station produces (docs/interfaces.md §6: ``point_code,point_name,area_code,month,value``, month
``YYYY-MM``, value in t/km²·month). All or nothing: a file with any bad row is refused whole, each error
naming its line, its field and why; nothing stored changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from areas.models import Area

from .file_import import FileRefused, csv_rows
from .models import DustFall, DustFallPoint

DUST_FALL_COLUMNS = ("point_code", "point_name", "area_code", "month", "value")
# A plausible monthly dust fall: Chinese cities report 2-20 t/km²·month; 200 is a mistyped unit or decimal.
DUST_FALL_MAX = Decimal(200)


class DustFallImportError(FileRefused):
    """The file has errors; nothing was imported. ``errors`` name the line and field of each."""


@dataclass(frozen=True)
class DustFallImportResult:
    points_created: int
    created: int
    updated: int
    unchanged: int


def _error(line: int, field: str, message: str) -> str:
    return gettext_now("第 %(line)d 行 %(field)s：%(message)s") % {"line": line, "field": field, "message": message}


def _month(text: str) -> date | None:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def dust_fall_import(*, content: bytes) -> DustFallImportResult:
    """Store the file's monthly values (new points are created; a reimported month's value replaced)."""
    reader, missing = csv_rows(content, DUST_FALL_COLUMNS)
    if reader is None:
        raise DustFallImportError([gettext_now("降尘文件必须是 UTF-8 编码（可带 BOM）的 CSV 文本文件。")])
    if missing:
        raise DustFallImportError(
            [_error(1, "header", gettext_now("缺少列：%(columns)s") % {"columns": ", ".join(missing)})]
        )
    areas = {a.code: a for a in Area.objects.filter(kind__in=Area.ASSESSMENT_UNIT_KINDS)}
    points = {p.code: p for p in DustFallPoint.objects.select_related("area")}
    this_month = timezone.localdate().replace(day=1)
    errors: list[str] = []
    seen: dict[tuple[str, date], int] = {}
    new_points: dict[str, DustFallPoint] = {}
    rows: list[tuple[str, date, Decimal]] = []
    for row in reader:
        line = reader.line_num
        values = {key: (row.get(key) or "").strip() for key in DUST_FALL_COLUMNS}
        if not any(values.values()):
            continue
        before = len(errors)
        code, name = values["point_code"], values["point_name"]
        if not code or len(code) > 20:
            errors.append(_error(line, "point_code", gettext_now("点位编码为空或超过 20 个字符")))
        if not name or len(name) > 100:
            errors.append(_error(line, "point_name", gettext_now("点位名称为空或超过 100 个字符")))
        area = areas.get(values["area_code"])
        if area is None:
            errors.append(
                _error(
                    line, "area_code", gettext_now("未知的县（市、区）代码 “%(code)s”") % {"code": values["area_code"]}
                )
            )
        known = points.get(code) or new_points.get(code)
        if known is not None and area is not None and known.area_id != area.pk:
            errors.append(
                _error(
                    line,
                    "area_code",
                    gettext_now("点位 %(code)s 属于 %(area)s，不是 %(given)s")
                    % {
                        "code": code,
                        "area": known.area.name,
                        "given": area.name,
                    },
                )
            )
        month = _month(values["month"])
        if month is None:
            errors.append(
                _error(line, "month", gettext_now("“%(value)s” 不是年-月（YYYY-MM）") % {"value": values["month"]})
            )
        elif month >= this_month:
            errors.append(_error(line, "month", gettext_now("%(value)s 尚未结束") % {"value": values["month"]}))
        try:
            value = Decimal(values["value"])
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            errors.append(_error(line, "value", gettext_now("“%(value)s” 不是数字") % {"value": values["value"]}))
        elif not Decimal(0) <= value <= DUST_FALL_MAX:
            errors.append(
                _error(
                    line,
                    "value",
                    gettext_now("%(value)s 超出 0 到 %(max)s 吨/平方千米·月") % {"value": value, "max": DUST_FALL_MAX},
                )
            )
        elif value != value.quantize(Decimal("0.01")):
            errors.append(_error(line, "value", gettext_now("%(value)s 超过两位小数") % {"value": value}))
        if month is not None and code:
            if (code, month) in seen:
                errors.append(
                    _error(
                        line,
                        "point_code",
                        gettext_now("点位 %(code)s 的 %(month)s 与第 %(line)d 行重复")
                        % {"code": code, "month": values["month"], "line": seen[(code, month)]},
                    )
                )
            seen.setdefault((code, month), line)
        if len(errors) > before or area is None or month is None or value is None:
            continue
        if known is None:
            new_points[code] = DustFallPoint(code=code, name=name, area=area)
        rows.append((code, month, value))
    if errors:
        raise DustFallImportError(errors)
    return _store(rows, new_points)


@transaction.atomic
def _store(rows: list[tuple[str, date, Decimal]], new_points: dict[str, DustFallPoint]) -> DustFallImportResult:
    DustFallPoint.objects.bulk_create(list(new_points.values()))
    points = {p.code: p for p in DustFallPoint.objects.filter(code__in={code for code, _m, _v in rows})}
    stored = {
        (v.point_id, v.month): v
        for v in DustFall.objects.filter(point__in=points.values(), month__in={m for _c, m, _v in rows})
    }
    to_create: list[DustFall] = []
    to_update: list[DustFall] = []
    unchanged = 0
    for code, month, value in rows:
        point = points[code]
        existing = stored.get((point.pk, month))
        if existing is None:
            to_create.append(DustFall(point=point, month=month, value=value))
        elif existing.value != value:
            existing.value = value
            to_update.append(existing)
        else:
            unchanged += 1
    reason = gettext_noop("导入降尘数据")
    bulk_create_with_history(to_create, DustFall, default_change_reason=reason)
    bulk_update_with_history(to_update, DustFall, ["value"], default_change_reason=reason)
    return DustFallImportResult(
        points_created=len(new_points), created=len(to_create), updated=len(to_update), unchanged=unchanged
    )
