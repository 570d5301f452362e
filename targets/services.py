"""Writes to the plan: loading areas and the plan from fixtures, editing baselines and milestones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from .models import Area

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def read_fixture(name: str) -> dict[str, Any]:
    with (FIXTURES_DIR / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@transaction.atomic
def areas_load() -> int:
    """Create or update the city, counties and zones by code; returns how many rows changed."""
    changed = 0
    for row in read_fixture("areas.json")["areas"]:
        parent = Area.objects.get(code=row["parent"]) if row["parent"] else None
        fields = {k: row[k] for k in ("name", "name_en", "kind", "sort_order")} | {"parent": parent}
        area, created = Area.objects.get_or_create(code=row["code"], defaults=fields)
        if created:
            changed += 1
            continue
        if any(getattr(area, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(area, key, value)
            area.full_clean()
            area.save()
            changed += 1
    return changed
