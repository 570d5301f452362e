"""`manage.py bootstrap` loads the areas and the plan, prints its counts, and can be run again safely."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from areas.models import Area
from measures.models import Measure
from targets import services
from targets.models import Plan, Target

pytestmark = pytest.mark.django_db


def bootstrap() -> list[str]:
    out = StringIO()
    call_command("bootstrap", stdout=out)
    return out.getvalue().splitlines()


def dump() -> str:
    out = StringIO()
    call_command("dumpdata", "targets", "measures", format="json", indent=1, stdout=out)
    return out.getvalue()


def _counts(line: str) -> list[str]:
    """The created+updated pairs of the plan summary line."""
    return [part.split()[-1] for part in line.split(":", 1)[1].removesuffix(" (created+updated)").split(",")]


@pytest.mark.usefixtures("no_plan")
def test_bootstrap_loads_the_areas_and_the_plan_and_prints_one_line_of_counts_each():
    lines = bootstrap()
    assert lines[0] == "areas and ranking groups: 14 created or updated"
    assert lines[1].startswith("plan 1+0: chapters 10+0, sections 32+0, indicators 5+0, targets 6+0, milestones 25+0")
    assert Area.objects.count() == 12
    assert Plan.objects.get().code == "liaocheng-air-2021-2025"
    assert Measure.objects.count() >= 45


def test_bootstrap_twice_changes_nothing():
    bootstrap()
    before = dump()
    lines = bootstrap()
    assert dump() == before
    assert lines[0] == "areas and ranking groups: 0 created or updated"
    assert all(count == "0+0" for count in _counts(lines[1]))


def test_a_baseline_set_by_staff_survives_bootstrap(bureau):
    bootstrap()
    heavy = Target.objects.select_related("plan").get(indicator__code="heavy_day_ratio", area__code="371500")
    services.target_set_baseline(target=heavy, value=Decimal("4.9"), user=bureau, reason="2020年审核数据")
    bootstrap()
    heavy.refresh_from_db()
    assert heavy.baseline_value == Decimal("4.9")
    assert list(heavy.milestones.values_list("value", flat=True)) == [
        Decimal(v) for v in ("4.16", "3.42", "2.68", "1.94", "1.20")
    ]
