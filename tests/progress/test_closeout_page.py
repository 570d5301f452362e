"""The close-out page for bureau staff (/plans/<code>/close/), and what a closed plan shows elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from measures import services as measure_services
from measures.models import Assignment, Outcome
from measures.plan_loader import plan_load
from measures.services import SubmissionData
from targets import loading
from targets.models import Plan
from tests.measures.test_plan_loader import SUCCESSOR, successor_file

pytestmark = pytest.mark.django_db
URL = "/plans/liaocheng-air-2021-2025/close/"


@pytest.fixture
def successor(plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Plan:
    successor_file(tmp_path)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    plan_load(fixture=SUCCESSOR)
    return Plan.objects.get(code="liaocheng-air-2026-2030")


def test_only_bureau_staff_open_the_close_out(client: Any, plan: Plan, official_a: Any, bureau: Any) -> None:
    assert client.get(URL).status_code == 302
    client.force_login(official_a)
    assert client.get(URL).status_code == 403
    client.force_login(bureau)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    count = Assignment.objects.filter(measure__plan=plan).count()
    assert text.count('<tr data-assignment="') == count
    assert f"本规划有 {count} 项任务尚未审核通过。" in text


def test_staff_close_the_plan_from_the_page_after_fixing_what_it_refused(
    client: Any, plan: Plan, successor: Plan, bureau: Any
) -> None:
    client.force_login(bureau)
    first, second = Assignment.objects.filter(measure__plan=plan).order_by("pk")[:2]
    form = {
        "reason": "规划期满，经局务会审议收官",
        "successor": successor.code,
        "default_outcome": Outcome.COMPLETED_LATE,
        f"outcome-{first.pk}": Outcome.CARRIED_OVER,
        f"carried_to-{first.pk}": first.measure.code,
        f"outcome-{second.pk}": Outcome.NOT_COMPLETED,
    }
    refused = client.post(URL, form)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert f"{second.measure.code} · {second.area.name}：未完成的任务必须说明原因。" in text
    assert 'id="close-errors"' in text
    assert f'value="{first.measure.code}"' in text  # what was entered is kept
    assert Plan.objects.get(pk=plan.pk).status != Plan.Status.CLOSED
    assert not Assignment.objects.exclude(outcome="").exists()

    done = client.post(URL, form | {f"reason-{second.pk}": "企业关停"})
    assert done.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.CLOSED
    first.refresh_from_db()
    assert first.carried_over_to.measure.plan == successor
    assert first.history.first().history_user == bureau
    summary = client.get(URL).content.decode()
    assert 'id="plan-closed"' in summary
    assert "规划期满，经局务会审议收官" in summary

    # The board of the closed plan shows each outcome and links a carry-over to its successor assignment.
    # (filtered to the area: the board shows 100 rows a page)
    board = client.get("/measures/board/", {"plan": plan.code, "area": first.area.code}).content.decode()
    assert f'data-outcome="{Outcome.CARRIED_OVER}"' in board
    assert f"/measures/assignments/{first.carried_over_to.pk}/" in board
    assert "badge-overdue" not in board
    assert "badge-warning" not in board
    detail = client.get(f"/measures/assignments/{first.carried_over_to.pk}/").content.decode()
    assert f'data-carried-from="{first.pk}"' in detail
    # The successor's board is the default once it is the current plan.
    assert f'data-plan="{successor.code}"' in client.get("/measures/board/").content.decode()


def test_no_completion_form_for_a_closed_plans_work(plan: Plan, official_a: Any, bureau: Any) -> None:
    assignment = Assignment.objects.filter(measure__plan=plan, area__code="371502").first()
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CLOSED)
    assignment.refresh_from_db()
    with pytest.raises(ValidationError, match="已收官"):
        measure_services.submission_save(
            assignment=assignment,
            user=official_a,
            data=SubmissionData(work_status="done", progress_value=None, narrative="已完成"),
        )


@pytest.mark.parametrize(
    "path", ["/plan/", "/measures/", "/measures/board/", "/measures/projects/", "/measures/periodic/", "/targets/"]
)
def test_every_plan_page_shows_one_plan_at_a_time_and_switches(
    client: Any, plan: Plan, successor: Plan, bureau: Any, path: str
) -> None:
    client.force_login(bureau)
    current = client.get(path).content.decode()
    assert 'class="filters plan-switcher"' in current or 'name="plan"' in current
    chosen = client.get(path, {"plan": plan.code}).content.decode()
    assert f'<option value="{plan.code}" selected' in chosen
    assert f'<option value="{successor.code}" selected' in current  # the current plan: the latest one
