"""Writing the areas: the fixture loader that `bootstrap` runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .history import history_stamp
from .models import Area, RankingGroup

AREAS_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "areas.json"
AREA_FIELDS = ("name", "name_en", "kind", "sort_order")


def _row_error(number: int, code: object, message: str) -> ValidationError:
    return ValidationError(
        _("区域数据第 %(number)s 行（%(code)s）：%(message)s"),
        params={"number": number, "code": code, "message": message},
    )


def _parent(row: dict[str, Any], number: int, known: dict[str, Area]) -> Area | None:
    code = row.get("parent")
    if not code:
        return None
    parent = known.get(code)
    if parent is None:
        message = _("上级区域 %(parent)s 不存在，须列在本行之前。") % {"parent": code}
        raise _row_error(number, row.get("code"), str(message))
    return parent


@transaction.atomic
def areas_load(*, path: Path = AREAS_FIXTURE) -> int:
    """Create or update the city, counties and zones by code, and the ranking groups not stored yet; returns
    how many rows changed.

    A row that names an unknown parent or holds an invalid field stops the load with its row number,
    and nothing of the file is stored. The stored areas are read once.
    """
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    rows: list[dict[str, Any]] = document["areas"]
    known = {area.code: area for area in Area.objects.all()}
    changed = 0
    for number, row in enumerate(rows, start=1):
        missing = [key for key in ("code", *AREA_FIELDS) if key not in row]
        if missing:
            raise _row_error(number, row.get("code"), str(_("缺少字段 %(fields)s。") % {"fields": ", ".join(missing)}))
        parent = _parent(row, number, known)
        fields = {key: row[key] for key in AREA_FIELDS}
        area = known.get(row["code"])
        if area is None:
            area = Area(code=row["code"])
        elif area.parent_id == (parent.pk if parent else None) and all(
            getattr(area, key) == value for key, value in fields.items()
        ):
            continue
        for key, value in fields.items():
            setattr(area, key, value)
        area.parent = parent
        try:
            area.full_clean()
        except ValidationError as error:
            details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise _row_error(number, row["code"], details) from None
        area.save()
        known[area.code] = area
        changed += 1
    return changed + ranking_groups_ensure(document.get("ranking_groups", []), known)


def ranking_groups_ensure(groups: list[dict[str, Any]], areas: dict[str, Area]) -> int:
    """Create the ranking groups of the file that are not stored yet, with their members; a stored group is
    the bureau's (its members may have changed since) and is left as it is. Returns how many were created."""
    stored = set(RankingGroup.objects.values_list("code", flat=True))
    created = 0
    for group in groups:
        if group["code"] in stored:
            continue
        unknown = [code for code in group["members"] if code not in areas]
        if unknown:
            raise ValidationError(
                _("排名分组 %(group)s 的成员不存在：%(codes)s") % {"group": group["code"], "codes": ", ".join(unknown)}
            )
        record = RankingGroup(
            code=group["code"], name=group["name"], name_en=group["name_en"], sort_order=group["sort_order"]
        )
        history_stamp(record, None, gettext_noop("按区域文件建立"))
        record.save()
        record.members.set([areas[code] for code in group["members"]])
        created += 1
    return created
