"""Closing the 2021-2025 plan (issue 10): outcomes of unfinished work, figures of record, reminders stop.

Through the command `plan_close`, as a bureau would run it: print the outcomes template, fill it in, close.
The successor is the 2021-2025 plan file made into a 2026-2030 plan with every measure code reused.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from measures import services as measure_services
from measures.models import Assignment, Outcome
from measures.plan_loader import plan_load
from measures.selectors import assignment_rows, due_lists
from measures.services import SubmissionData
from progress import selectors, services
from progress.management.commands.plan_close import COLUMNS
from progress.models import ScoreRun
from targets import loading
from targets.models import Plan
from tests.measures.test_plan_loader import SUCCESSOR, successor_file
from tests.progress.conftest import CITY, TODAY

pytestmark = pytest.mark.django_db
PLAN, NEXT = "liaocheng-air-2021-2025", "liaocheng-air-2026-2030"
FINAL_DAY = TODAY.replace(month=12, day=31)


@pytest.fixture
def successor(plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Plan:
    successor_file(tmp_path)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    plan_load(fixture=SUCCESSOR)
    return Plan.objects.get(code=NEXT)


@pytest.fixture
def one_done(plan: Plan, official_a: Any, bureau: Any) -> Assignment:
    """One assignment of 东昌府区 approved: it needs no outcome."""
    assignment = (
        Assignment.objects.filter(measure__plan=plan, area__code="371502", measure__report_period="once")
        .order_by("pk")
        .first()
    )
    submission = measure_services.submission_save(
        assignment=assignment,
        user=official_a,
        data=SubmissionData(work_status="done", progress_value=None, narrative="已完成", completed_on=date(2025, 5, 1)),
    )
    measure_services.submission_submit(submission=submission, user=official_a)
    measure_services.submission_approve(submission=submission, user=bureau)
    return assignment


def template(code: str = PLAN) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("plan_close", code, "--template", stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def outcomes_file(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "outcomes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def filled(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The first carried over to the same measure of the successor, the second not completed, the rest late."""
    out = [row | {"outcome": Outcome.COMPLETED_LATE} for row in rows]
    out[0] |= {"outcome": Outcome.CARRIED_OVER, "carried_to": rows[0]["measure"]}
    out[1] |= {"outcome": Outcome.NOT_COMPLETED, "reason": "项目停建"}
    return out


def close(tmp_path: Path, rows: list[dict[str, str]], *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "plan_close",
        PLAN,
        "--reason",
        "2021-2025 年规划期满，经局务会审议收官",
        "--successor",
        NEXT,
        "--outcomes",
        str(outcomes_file(tmp_path, rows)),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_closing_records_an_outcome_for_every_unfinished_assignment(
    plan: Plan, successor: Plan, one_done: Assignment, tmp_path: Path, bureau: Any
) -> None:
    rows = template()
    unfinished = Assignment.objects.filter(measure__plan=plan).count() - 1
    assert len(rows) == unfinished
    assert (one_done.measure.code, one_done.area.code) not in {(r["measure"], r["area"]) for r in rows}
    assert due_lists(assignment_rows(Assignment.objects.filter(measure__plan=plan))).count > 0

    output = close(tmp_path, filled(rows))

    assert f"{unfinished} unfinished assignment(s) given an outcome" in output
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    assert plan.close_reason == "2021-2025 年规划期满，经局务会审议收官"
    assert plan.history.first().history_change_reason == plan.close_reason
    # Carried over: the successor's assignment of the same measure code and area links back.
    carried = Assignment.objects.get(measure__plan=plan, measure__code=rows[0]["measure"], area__code=rows[0]["area"])
    assert carried.outcome == Outcome.CARRIED_OVER
    target = carried.carried_over_to
    assert (target.measure.plan, target.measure.code, target.area) == (successor, carried.measure.code, carried.area)
    assert target.carried_over_from == carried
    not_done = Assignment.objects.get(measure__plan=plan, measure__code=rows[1]["measure"], area__code=rows[1]["area"])
    assert (not_done.outcome, not_done.outcome_reason) == (Outcome.NOT_COMPLETED, "项目停建")
    assert Assignment.objects.filter(measure__plan=plan, outcome=Outcome.COMPLETED_LATE).count() == unfinished - 2
    assert not Assignment.objects.get(pk=one_done.pk).outcome
    # No reminder and no warning list for a closed plan; the successor's work is still due.
    assert due_lists(assignment_rows(Assignment.objects.filter(measure__plan=plan))).count == 0
    assert (
        due_lists(
            assignment_rows(Assignment.objects.filter(measure__plan=successor), today=FINAL_DAY.replace(year=2030))
        ).count
        > 0
    )


def test_a_departments_city_wide_report_is_closed_and_carried_over_as_its_own(
    plan: Plan, successor: Plan, tmp_path: Path
) -> None:
    """Four departments report on m05-03-01 for the city: four rows, each its own outcome."""
    rows = [row | {"outcome": Outcome.COMPLETED_LATE} for row in template()]
    machinery = [row for row in rows if row["measure"] == "m05-03-01" and row["department"]]
    assert sorted(row["department"] for row in machinery) == [
        "交通运输部门",
        "住房城乡建设部门",
        "水利部门",
        "自然资源部门",
    ]
    assert {row["area"] for row in machinery} == {"371500"}
    transport = next(row for row in machinery if row["department"] == "交通运输部门")
    transport |= {"outcome": Outcome.CARRIED_OVER, "carried_to": "m05-03-01"}

    close(tmp_path, rows)

    carried = Assignment.objects.get(measure__plan=plan, measure__code="m05-03-01", department__name="交通运输部门")
    target = carried.carried_over_to
    assert (target.measure.plan, target.area, target.department) == (successor, carried.area, carried.department)
    others = Assignment.objects.filter(measure__plan=plan, measure__code="m05-03-01", department__isnull=False)
    assert set(others.exclude(pk=carried.pk).values_list("outcome", flat=True)) == {Outcome.COMPLETED_LATE}


def test_a_close_out_with_errors_is_refused_whole_with_each_error_and_stores_nothing(
    plan: Plan, successor: Plan, one_done: Assignment, tmp_path: Path
) -> None:
    rows = filled(template())
    rows[0]["carried_to"] = "NO-SUCH-MEASURE"
    rows[1]["reason"] = ""
    rows[2]["outcome"] = "abandoned"
    left_out = rows.pop(3)
    rows.append({"measure": one_done.measure.code, "area": one_done.area.code, "outcome": Outcome.COMPLETED_LATE})
    before = list(Assignment.objects.order_by("pk").values())
    err = io.StringIO()
    with pytest.raises(CommandError, match="not closed, 5 error"):
        call_command(
            "plan_close", PLAN, "--reason", "期满", "--successor", NEXT,
            "--outcomes", str(outcomes_file(tmp_path, rows)), stderr=err,
        )  # fmt: skip
    messages = err.getvalue()
    assert "line 2：后续规划 liaocheng-air-2026-2030 中没有代码为“NO-SUCH-MEASURE”的措施。" in messages
    assert "line 3：未完成的任务必须说明原因。" in messages
    assert "line 4：收官结论“abandoned”无效" in messages
    assert f"{left_out['measure']} · {left_out['area']}：未完成的任务缺少收官结论。" in messages
    assert "该任务已审核通过，不需要收官结论。" in messages
    plan.refresh_from_db()
    assert plan.status != Plan.Status.CLOSED
    assert list(Assignment.objects.order_by("pk").values()) == before


def test_a_plan_is_closed_once_and_a_reload_of_its_file_does_not_reopen_it(
    plan: Plan, successor: Plan, tmp_path: Path
) -> None:
    close(tmp_path, filled(template()))
    with pytest.raises(CommandError, match="not closed"):
        close(tmp_path, [])
    plan_load()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED


def test_the_final_years_figures_of_record_are_kept_through_a_later_recompute(
    plan: Plan, successor: Plan, stored: Any, tmp_path: Path
) -> None:
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    close(tmp_path, filled(template()))
    run.refresh_from_db()
    assert run.of_record
    # The data are revised after the close-out: the recompute stores a revision beside the record.
    stored.loc[stored["area"] == CITY, "pm25"] = 45
    (revision,) = services.scores_recompute(years=[2025], today=TODAY)
    assert set(ScoreRun.objects.filter(year=2025)) == {run, revision}
    for public in (True, False):
        shown = selectors.latest_run(2025, public=public)
        assert shown == run
        assert selectors.revision_run(shown, public=public) == revision
    (record,) = selectors.area_progress(run, [plan.area])
    (revised,) = selectors.area_progress(revision, [plan.area])
    assert (record.figures["pm25"].actual, revised.figures["pm25"].actual) == (Decimal(50), Decimal(45))
    assert revision.plan == run.plan == plan


def test_closing_waits_for_the_final_years_figures_to_be_published(
    plan: Plan, successor: Plan, stored: Any, tmp_path: Path, settings: Any
) -> None:
    settings.PROGRESS_AUTO_PUBLISH = False
    services.scores_recompute(years=[2025], today=TODAY)
    with pytest.raises(CommandError, match="not closed, 1 error"):
        close(tmp_path, filled(template()))
    assert Plan.objects.get(pk=plan.pk).status != Plan.Status.CLOSED


@pytest.fixture
def whole_2025(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The city's whole of 2025 (Q1 as in `stored`, then 275 good days at PM2.5 40) and a first 2026 quarter."""
    from tests.progress.conftest import CITY_2025, day_rows, install_daily_results

    assert len(CITY_2025) == 90
    return install_daily_results(
        monkeypatch,
        day_rows(CITY, TODAY.replace(month=4, day=1), [80] * 275, pm25=40),
        day_rows(CITY, TODAY.replace(year=2026, month=1, day=1), [80] * 90, pm25=38),
    )


def test_the_successor_starts_from_the_predecessors_figures_of_record_and_governs_2026(
    client: Any, plan: Plan, successor: Plan, whole_2025: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    services.scores_recompute(years=[2025, 2026], today=TODAY.replace(year=2026))
    close(tmp_path, filled(template()))
    # 2025 as a whole: (90 x 50 + 275 x 40) / 365 = 42.47 -> 42; good days (58 + 275) / 365 = 91.2 %.
    baselines = {
        t.indicator.code: t
        for t in successor.targets.filter(area=successor.area, indicator__code__in=["pm25", "good_day_ratio"])
    }
    assert (baselines["pm25"].baseline_year, baselines["pm25"].baseline_value) == (2025, Decimal(42))
    assert baselines["good_day_ratio"].baseline_value == Decimal("91.2")
    assert baselines["pm25"].history.first().history_change_reason == "取自收官数据：2025"

    # Loading the successor again (a changed file) scores the years of its period that have figures.
    Plan.objects.filter(pk=successor.pk).update(name_en="changed, to be loaded again")
    with django_capture_on_commit_callbacks(execute=True):
        plan_load(fixture=SUCCESSOR)
    by_year = {year: client.get("/api/v1/progress/", {"year": year}).json() for year in (2025, 2026)}
    assert by_year[2025]["plan"]["code"] == PLAN
    assert by_year[2025]["plan"]["status"] == "closed"
    assert by_year[2026]["plan"]["code"] == NEXT
    pm25_2026 = next(
        i for a in by_year[2026]["areas"] if a["code"] == CITY for i in a["indicators"] if i["indicator"] == "pm25"
    )
    assert pm25_2026["actual"] == "38"
    assert pm25_2026["goal"] is not None  # the successor's 2026 milestone


def test_loading_a_successor_scores_again_the_years_it_now_governs(
    plan: Plan,
    whole_2025: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    services.scores_recompute(years=[2025, 2026], today=TODAY.replace(year=2026))
    assert selectors.latest_run(2026, public=True).plan is None  # no plan covers 2026 yet
    successor_file(tmp_path)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        plan_load(fixture=SUCCESSOR)
    assert selectors.latest_run(2026, public=True).plan.code == NEXT
    assert selectors.latest_run(2025, public=True).plan == plan


def test_pages_show_the_figures_of_record_with_their_revision_beside_them(
    client: Any, plan: Plan, successor: Plan, stored: Any, tmp_path: Path, bureau: Any
) -> None:
    services.scores_recompute(years=[2025], today=TODAY)
    close(tmp_path, filled(template()))
    stored.loc[stored["area"] == CITY, "pm25"] = 45
    services.scores_recompute(years=[2025], today=TODAY)
    client.force_login(bureau)
    page = client.get("/dashboard/", {"year": 2025}).content.decode()
    assert 'data-of-record="2025"' in page
    card = page[page.index('data-indicator="pm25"') :]
    assert card.index('data-figure="actual">50<') < card.index('data-figure="revision">修订值 <span data-value>45<')
    # The year selector groups the years by the plan that governs them.
    assert f'data-plan="{plan.code}"' in page


def test_the_footer_names_the_plan_of_this_year_and_follows_a_load(
    client: Any, plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    page = client.get("/methodology/").content.decode()
    assert f'data-site-plan="{plan.code}"' in page  # no plan governs this year: the latest one
    assert "（征求意见稿）" in page
    successor_file(tmp_path)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        plan_load(fixture=SUCCESSOR)
    assert f'data-site-plan="{NEXT}"' in client.get("/methodology/").content.decode()


def test_the_public_page_shows_the_plan_of_the_year_with_the_previous_plans_final_result(
    client: Any,
    plan: Plan,
    whole_2025: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    services.scores_recompute(years=[2025, 2026], today=TODAY.replace(year=2026))
    page = client.get("/").content.decode()
    assert 'data-no-plan="2026"' in page  # 2026: no plan covers it yet
    assert "<h2>全市 2026 年进展</h2>" in page  # no "2025 targets" in its heading
    result = page[page.index('id="previous-plan-result"') :]
    assert f'data-plan="{plan.code}"' in result
    pm25 = result[result.index('data-indicator="pm25"') :]
    # 2025 as a whole: 42 against the 2025 target of 43.
    assert 'data-figure="goal">不高于 43<' in pm25
    assert 'data-figure="actual">42<' in pm25
    assert 'data-status="achieved"' in pm25[: pm25.index("</tr>")]

    successor_file(tmp_path)
    monkeypatch.setattr(loading, "FIXTURES_DIR", tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        plan_load(fixture=SUCCESSOR)
        services.scores_recompute(years=[2026], today=TODAY.replace(year=2026))
    page = client.get("/").content.decode()
    assert "（2026-2030年）" in page[: page.index('id="progress"')]  # the hero names the plan governing 2026
    assert f'id="previous-plan-result" data-plan="{plan.code}"' in page


def test_a_finished_year_reads_whole_year_and_not_met(client: Any, plan: Plan, whole_2025: Any, bureau: Any) -> None:
    whole_2025.loc[whole_2025["area"] == CITY, "pm25"] = 60
    services.scores_recompute(years=[2025, 2026], today=TODAY.replace(year=2026))
    client.force_login(bureau)
    page = client.get("/dashboard/", {"year": 2025}).content.decode()
    card = page[page.index('data-indicator="pm25"') :]
    card = card[: card.index("</article>")]
    assert '<span class="label">全年</span>' in card
    assert '<p class="status" data-status="off_track">未达标</p>' in card
    # The same word on the public page's final result and in the progress export: one label, not three.
    result = client.get("/").content.decode()
    result = result[result.index('id="previous-plan-result"') :]
    pm25 = result[result.index('data-indicator="pm25"') :]
    assert '<span class="status" data-status="off_track">未达标</span>' in pm25[: pm25.index("</tr>")]
    export = client.get("/progress/export.csv", {"year": 2025}).content.decode("utf-8-sig")
    (city_pm25,) = [line for line in export.splitlines() if line.startswith("聊城市,PM2.5")]
    assert ",未达标," in city_pm25
