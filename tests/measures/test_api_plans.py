"""GET /api/v1/plans/ (docs/interfaces.md §5): every plan, public, with the counts of its own records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from measures.models import Assignment, Measure
from measures.plan_loader import plan_load
from targets import loading
from targets.models import Plan
from tests.measures.test_plan_loader import SUCCESSOR, successor_file


def plans(client: Any, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/plans/{query}")
    assert response.status_code == 200
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_the_plans_are_public_with_their_targets_and_own_counts(client: Any, plan: Plan) -> None:
    (listed,) = plans(client)
    assert {key: listed[key] for key in ("code", "start_year", "end_year", "status")} == {
        "code": "liaocheng-air-2021-2025",
        "start_year": 2021,
        "end_year": 2025,
        "status": "draft_for_comments",
    }
    assert listed["measures"] == Measure.objects.filter(plan=plan).count() == 71
    assert listed["assignments"] == Assignment.objects.filter(measure__plan=plan).count() == 700
    assert {"indicator": "pm25", "area": "371500", "target_year": 2025, "value": "43"} in listed["targets"]
    assert {"indicator": "nox_reduction", "area": "371500", "target_year": 2025, "value": "8500"} in listed["targets"]
    assert {"indicator": "pm25", "area": "371500", "target_year": 2035, "value": "35"} in listed["targets"]


def test_a_successor_is_listed_with_counts_of_its_own_records_only(
    client: Any, plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    successor_file(tmp_path)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    plan_load(fixture=SUCCESSOR)
    first, second = plans(client)
    assert (first["code"], first["measures"], first["assignments"]) == ("liaocheng-air-2021-2025", 71, 700)
    # The successor's load assigns its own measures: the same areas, assignments of its own.
    assert (second["code"], second["measures"], second["assignments"]) == ("liaocheng-air-2026-2030", 71, 700)
    assert Assignment.objects.filter(measure__plan__code=second["code"]).count() == 700
    assert {"indicator": "pm25", "area": "371500", "target_year": 2030, "value": "43"} in second["targets"]
    assert [p["code"] for p in plans(client, "?status=draft_for_comments")] == [first["code"], second["code"]]
    assert plans(client, "?status=closed") == []


def test_one_plan_by_its_code(client: Any, plan: Plan) -> None:
    response = client.get("/api/v1/plans/liaocheng-air-2021-2025/")
    assert response.status_code == 200
    assert response.json()["name_en"] == plan.name_en
    assert client.get("/api/v1/plans/no-such-plan/").status_code == 404
