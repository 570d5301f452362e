"""Plans that succeed one another, in a real browser (issue 10): on Monday 2 March 2026 the bureau finds
2026 covered by no plan, uploads the 2026-2030 plan file, sees 2026 assessed against it, closes the
2021-2025 plan with the outcome of its unfinished work, and finds the 2021-2025 results as published.

Monitoring figures come from synthetic hours through the real ingest (tests/browser/journey_data.py):
1 January - 1 March of 2026 and of 2025. The command-line close-out is tests/progress/test_closeout.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine

from measures.models import Assignment, Outcome
from targets import loading
from targets.models import Plan
from tests.browser.journey_data import journey_figures_load
from tests.browser.screenshots import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST, NEXT = "liaocheng-air-2021-2025", "liaocheng-air-2026-2030"
MONDAY_2026 = "2026-03-02 09:00 +0800"


def successor_content() -> bytes:
    """The 2021-2025 plan file made into the 2026-2030 plan, in force, reusing every measure code; its
    baselines are left to the stored figures."""
    data = json.loads(loading.fixture_bytes("plan.json"))
    data["plan"] |= {
        "code": NEXT,
        "name": "聊城市空气质量持续改善行动计划（2026-2030年）",
        "name_en": "Liaocheng Air Quality Improvement Action Plan (2026-2030)",
        "start_year": 2026,
        "end_year": 2030,
        "baseline_year": 2025,
        "status": "in_force",
    }
    for target in data["targets"]:
        target |= {"baseline_year": 2025, "baseline_value": None}
        if target["target_year"] == 2025:
            target["target_year"] = 2030
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.fixture
def monday_2026(plan: Any) -> Any:
    with time_machine.travel(MONDAY_2026, tick=True):
        yield journey_figures_load(days=60)


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_the_bureau_loads_the_successor_closes_the_first_plan_and_sees_both(
    page: Any, live_server: Any, monday_2026: Any, bureau: Any
) -> None:
    base = live_server.url
    log_in(page, base)

    # 2026 is covered by no plan yet: figures without goals.
    page.goto(f"{base}/dashboard/?year=2026")
    assert page.locator("[data-no-plan]").get_attribute("data-no-plan") == "2026"
    assert page.request.get(f"{base}/api/v1/progress/?year=2026").json()["plan"] is None

    # Upload the successor plan file.
    page.goto(f"{base}/measures/plans/upload/")
    page.set_input_files(
        "#plan-upload-form input[type=file]",
        files=[{"name": "plan-2026-2030.json", "mimeType": "application/json", "buffer": successor_content()}],
    )
    page.locator("#plan-upload-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "行动计划文件已载入" in page.locator(".messages").inner_text()
    successor = Plan.objects.get(code=NEXT)
    assert Assignment.objects.filter(measure__plan=successor).count() == 700

    # 2026 is now assessed against the successor: its milestones, its name in the API and the footer.
    page.goto(f"{base}/dashboard/?year=2026")
    assert page.locator("[data-no-plan]").count() == 0
    progress_2026 = page.request.get(f"{base}/api/v1/progress/?year=2026").json()
    assert progress_2026["plan"]["code"] == NEXT
    assert page.locator("#dashboard-filters optgroup[data-plan]").evaluate_all(
        "groups => groups.map(g => g.dataset.plan)"
    ) == [NEXT, FIRST]
    assert page.locator("[data-site-plan]").get_attribute("data-site-plan") == NEXT
    # Two months of 2025 are no whole year (GB 3095-2012 Table 4): the successor's baselines stay empty.
    assert not successor.targets.filter(indicator__source="monitoring", baseline_value__isnull=False).exists()
    # The measures done count the successor's own measures.
    assert page.locator("[data-figure=measures-total]").inner_text() == "71"
    screenshot(page, "succession-dashboard-2026.png")
    published_2025 = page.request.get(f"{base}/api/v1/progress/?year=2025").json()

    # Close the 2021-2025 plan: one assignment carried over, the rest completed late.
    page.goto(f"{base}/plans/{FIRST}/close/")
    first_row = page.locator("#plan-close-form tr[data-assignment]").first
    carried_pk = int(first_row.get_attribute("data-assignment"))
    carried = Assignment.objects.select_related("measure").get(pk=carried_pk)
    page.fill("#close-reason", "规划期满，经局务会审议收官")
    page.select_option("#close-successor", NEXT)
    page.select_option("#default-outcome", Outcome.COMPLETED_LATE)
    first_row.locator("select").select_option(Outcome.CARRIED_OVER)
    first_row.locator("input[name^=carried_to]").fill(carried.measure.code)
    screenshot(page, "succession-close-form.png")
    page.get_by_role("button", name="确认收官").click()
    page.wait_for_load_state()
    assert page.locator("[data-plan-status]").get_attribute("data-plan-status") == "closed"
    assert "规划期满，经局务会审议收官" in page.locator("#plan-closed").inner_text()
    screenshot(page, "succession-closed.png")

    # The first plan's board shows the outcomes; the carry-over leads to the successor's assignment.
    page.goto(f"{base}/measures/board/?plan={FIRST}&area={carried.area.code}")  # one area: on the first page
    row = page.locator(f"tr[data-assignment='{carried_pk}']")
    assert row.locator("[data-outcome]").get_attribute("data-outcome") == Outcome.CARRIED_OVER
    row.locator("[data-outcome] ~ a").click()
    page.wait_for_load_state()
    assert page.locator("[data-carried-from]").get_attribute("data-carried-from") == str(carried_pk)

    # The 2021-2025 results are still there as they were published, now its figures of record.
    record_2025 = page.request.get(f"{base}/api/v1/progress/?year=2025").json()
    assert record_2025["plan"]["code"] == FIRST
    assert record_2025["plan"]["status"] == "closed"
    assert record_2025["areas"] == published_2025["areas"]
    page.goto(f"{base}/dashboard/?year=2025")
    assert page.locator("[data-of-record]").get_attribute("data-of-record") == "2025"
