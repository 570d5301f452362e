"""Loading rows from the fixture files: reading them, and a bulk create-or-update that writes only what differs.

Used by the plan loader (targets.services.plan_text_load, measures.plan_loader.plan_load) and the staff
edits of milestones.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from areas.models import Area

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


PLAN_FIXTURE = "plan.json"


# Stored in the history records of rows written by the loader (data, not a UI string).
LOAD_CHANGE_REASON = gettext_noop("载入行动计划")


ModelT = TypeVar("ModelT", bound=models.Model)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES_DIR / name).read_bytes()


@dataclass(frozen=True)
class LoadCount:
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"{self.created}+{self.updated}"


def parse_decimal(value: str | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def parse_date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def upsert_rows(
    model: type[ModelT],
    wanted: dict[Hashable, dict[str, Any]],
    fetch: Callable[[], dict[Hashable, ModelT]],
    *,
    keep: Callable[[ModelT, str, Any], bool] | None = None,
    user: AbstractBaseUser | None = None,
    reason: str = LOAD_CHANGE_REASON,
) -> tuple[LoadCount, dict[Hashable, ModelT]]:
    """Create the missing rows and update the differing fields of the others, in bulk.

    ``wanted`` maps a natural key to the field values (foreign keys as ``<name>_id``); ``fetch()`` returns
    the stored rows by the same keys. ``keep(obj, field, value)`` returning True leaves a stored field
    alone (a field staff may have edited). History records carry ``user`` and ``reason``. Rows that
    already match are not written at all, so a re-run writes nothing, history included. Returns the
    counts and every stored row by key.
    """
    existing = fetch()
    to_create: list[ModelT] = []
    to_update: list[ModelT] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            obj.full_clean()
            to_create.append(obj)
            continue
        diff = {
            name: value
            for name, value in values.items()
            if getattr(obj, name) != value and not (keep and keep(obj, name, value))
        }
        if diff:
            for name, value in diff.items():
                setattr(obj, name, value)
            obj.full_clean()
            to_update.append(obj)
            changed_fields |= diff.keys()
    has_history = hasattr(model, "history")
    if to_create:
        if has_history:
            bulk_create_with_history(to_create, model, default_user=user, default_change_reason=reason)
        else:
            model._default_manager.bulk_create(to_create)
    if to_update:
        update_fields = sorted(changed_fields)
        if has_history:
            bulk_update_with_history(to_update, model, update_fields, default_user=user, default_change_reason=reason)
        else:
            model._default_manager.bulk_update(to_update, update_fields)
    # Re-read after creating so every row carries its primary key whatever the database backend returns.
    rows = fetch() if to_create else existing
    return LoadCount(created=len(to_create), updated=len(to_update)), rows


def fixture_area_id(areas: dict[str, Area], code: str, where: str) -> int:
    try:
        return areas[code].pk
    except KeyError:
        raise ValidationError(
            _("行动计划数据 %(where)s 引用了不存在的区域代码 %(code)s，请先载入区域。"),
            params={"where": where, "code": code},
        ) from None
