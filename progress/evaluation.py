"""A plan's evaluation as of the end of a year (中期评估 2023, 终期评估 2025 for the 2021-2025 plan): each
target against every year's figure, the units' results, the work done, and the verified reductions, all
read from stored runs and records, as document blocks (progress/documents.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now

from areas import selectors as area_selectors
from areas.models import Area
from measures.models import Assignment, Outcome
from measures.selectors import reduction_totals, work_tally
from targets import selectors as plan_selectors
from targets.models import Plan

from . import scoring
from .documents import Block, Heading, Paragraph, TableBlock
from .models import ProgressSnapshot, ScoreRun
from .selectors import area_progress, latest_run, trajectory

REDUCTIONS = (("nox_reduction", "nox"), ("vocs_reduction", "vocs"))


@dataclass(frozen=True)
class Evaluation:
    plan: Plan
    year: int
    run: ScoreRun
    city: Area

    @property
    def final(self) -> bool:
        return self.year == self.plan.end_year


def evaluation(*, plan: Plan, year: int, run: ScoreRun | None = None) -> Evaluation:
    """The evaluation of ``plan`` as of 31 December ``year`` from ``run`` (default: the year's latest);
    refused for a year outside the plan or a year without whole-year figures."""
    if not plan.start_year <= year <= plan.end_year:
        raise ValidationError(
            gettext_now("%(year)s 年不在规划期（%(start)s-%(end)s）内。")
            % {"year": year, "start": plan.start_year, "end": plan.end_year}
        )
    run = run or latest_run(year, public=False)
    city = area_selectors.city_area()
    if run is None or city is None or run.as_of != date(year, 12, 31) or run.plan_id != plan.pk:
        raise ValidationError(gettext_now("%(year)s 年没有全年的进展数据，不能生成评估报告。") % {"year": year})
    return Evaluation(plan=plan, year=year, run=run, city=city)


def _verdict(snapshot: ProgressSnapshot | None, direction: str) -> str:
    """Met / not met with the margin, from the year's stored figure and goal; 数据不足 when the year has too few
    valid days for a status (the status the run stored)."""
    if snapshot is None or snapshot.actual is None or snapshot.goal is None:
        return "—"
    if snapshot.status == ProgressSnapshot.Status.INSUFFICIENT_DATA:
        return str(ProgressSnapshot.Status.INSUFFICIENT_DATA.label)
    code = snapshot.indicator
    met = scoring.meets(direction, snapshot.actual, snapshot.goal)  # type: ignore[arg-type]
    margin = scoring.reported(snapshot.actual - snapshot.goal, code)
    sign = "+" if margin > 0 else ""
    return (gettext_now("达到（%(margin)s）") if met else gettext_now("未达到（%(margin)s）")) % {
        "margin": f"{sign}{margin:f}"
    }


def evaluation_blocks(report: Evaluation) -> list[Block]:
    plan, year, run = report.plan, report.year, report.run
    kind = gettext_now("终期评估") if report.final else gettext_now("中期评估") if year < plan.end_year else ""
    blocks: list[Block] = [
        Heading(
            gettext_now("《%(plan)s》%(kind)s报告（截至%(year)s年底）")
            % {"plan": plan.localized_name, "kind": kind, "year": year},
            level=0,
        ),
        Paragraph(
            gettext_now(
                "数据说明：各年数据为该年全年数据（%(flavour)s，已扣除沙尘天气影响，%(editions)s，%(composite)s）；"
                "本报告依据 %(computed)s 的计算结果。"
            )
            % {
                "flavour": {"reviewed": gettext_now("审核数据"), "mixed": gettext_now("实况数据与审核数据")}.get(
                    run.flavour, gettext_now("实况数据")
                ),
                "editions": run.editions_label,
                "composite": run.composite_limits_label,
                "computed": run.computed_at.strftime("%Y-%m-%d %H:%M"),
            }
        ),
    ]
    years = list(range(plan.baseline_year or plan.start_year, year + 1))
    # 1. The city's targets: baseline, every year's figure, the milestone of the year and the end target.
    blocks.append(Heading(gettext_now("一、全市目标完成情况"), level=1))
    (city_progress,) = area_progress(run, [report.city])
    rows = []
    later: list[str] = []
    for target_row in plan_selectors.target_rows(plan, area=report.city):
        target = target_row.target
        code = target.indicator.code
        if target.indicator.source != target.indicator.Source.MONITORING:
            continue
        if target.target_year != plan.end_year:
            # A long-term aim (2035): where the year stands against it, in words below the table.
            latest = next(
                (p.actual for p in trajectory(report.city, code, public=False, plan=plan) if p.year == year), None
            )
            later.append(
                gettext_now("%(year)s 年远期目标：%(indicator)s %(value)s，%(this_year)s 年为 %(actual)s")
                % {
                    "year": target.target_year,
                    "indicator": target.indicator.localized_name,
                    "value": scoring.shown(target.value, code),
                    "this_year": year,
                    "actual": scoring.shown(latest, code),
                }
            )
            continue
        points = {p.year: p.actual for p in trajectory(report.city, code, public=False, plan=plan)}
        snapshot = city_progress.figures.get(code)
        rows.append(
            [
                target.indicator.localized_name,
                scoring.shown(target.baseline_value, code),
                *[scoring.shown(points.get(y), code) for y in years[1:]],
                scoring.shown(snapshot.goal if snapshot else None, code),
                *([] if report.final else [scoring.shown(target.value, code)]),
                _verdict(snapshot, target.indicator.direction),
            ]
        )
    blocks.append(
        TableBlock(
            header=[
                gettext_now("指标"),
                gettext_now("基准（%(year)s）") % {"year": years[0]},
                *[str(y) for y in years[1:]],
                gettext_now("%(year)s 年目标") % {"year": year},
                *([] if report.final else [gettext_now("%(year)s 年目标") % {"year": plan.end_year}]),
                gettext_now("%(year)s 年完成情况") % {"year": year},
            ],
            rows=rows,
        )
    )
    blocks += [Paragraph(text + gettext_now("。")) for text in later]
    # 2. Each unit's year against its goals.
    blocks.append(Heading(gettext_now("二、各县（市、区）完成情况（%(year)s年）") % {"year": year}, level=1))
    units = list(area_selectors.assessment_units())
    codes = ["good_day_ratio", "pm25", "heavy_day_ratio"]
    indicators = plan_selectors.indicators_by_code()
    unit_rows = []
    for progress in area_progress(run, units):
        row = [progress.area.localized_name]
        for code in codes:
            snapshot = progress.figures.get(code)
            actual = snapshot.actual if snapshot else None
            verdict = _verdict(snapshot, indicators[code].direction) if code in indicators else "—"
            row.append(f"{scoring.shown(actual, code)} {verdict}")
        unit_rows.append(row)
    blocks.append(
        TableBlock(
            header=[
                gettext_now("县（市、区）"),
                *[indicators[c].localized_name if c in indicators else c for c in codes],
            ],
            rows=unit_rows,
        )
    )
    # 3. The work.
    blocks.append(Heading(gettext_now("三、重点任务完成情况（截至%(year)s年底）") % {"year": year}, level=1))
    tally = work_tally(plan, as_of=date(year, 12, 31))
    by_code = {a.code: a for a in [report.city, *units]}
    work_rows = [
        [by_code[code].localized_name, str(t.due), str(t.on_time), str(t.late), str(t.not_done)]
        for code, t in sorted(tally.items(), key=lambda item: by_code[item[0]].sort_order if item[0] in by_code else 99)
        if code in by_code
    ]
    due = sum(t.due for t in tally.values())
    on_time = sum(t.on_time for t in tally.values())
    blocks.append(
        Paragraph(
            gettext_now(
                "到期任务 %(due)s 项（一次性任务按完成时限，按期填报的任务按每一期），"
                "按时完成 %(on_time)s 项，逾期完成 %(late)s 项，未完成 %(open)s 项。"
            )
            % {
                "due": due,
                "on_time": on_time,
                "late": sum(t.late for t in tally.values()),
                "open": sum(t.not_done for t in tally.values()),
            }
        )
    )
    blocks.append(
        TableBlock(
            header=[
                gettext_now("区域"),
                gettext_now("到期"),
                gettext_now("按时完成"),
                gettext_now("逾期完成"),
                gettext_now("未完成"),
            ],
            rows=work_rows,
        )
    )
    if report.final:
        outcomes = Assignment.objects.filter(measure__plan=plan).exclude(outcome="").select_related("measure", "area")
        if outcomes.exists():
            blocks.append(
                TableBlock(
                    title=gettext_now("收官时未完成任务的结论"),
                    header=[gettext_now("任务"), gettext_now("区域"), gettext_now("结论"), gettext_now("说明")],
                    rows=[
                        [
                            f"{a.measure.code} {a.measure.localized_title}",
                            a.reporter_name,
                            Outcome(a.outcome).label,
                            a.outcome_reason,
                        ]
                        for a in outcomes.order_by("measure__sort_order", "area__sort_order")
                    ],
                )
            )
    # 4. Verified reductions against the plan's totals.
    blocks.append(Heading(gettext_now("四、重点工程减排量（经核定）"), level=1))
    end_targets = plan.targets.filter(
        indicator__code__in=dict(REDUCTIONS), area=plan.area, target_year=plan.end_year
    ).select_related("indicator")
    totals = {t.indicator.code: scoring.shown(t.value, t.indicator.code) for t in end_targets}
    by_year = {y: reduction_totals(plan=plan, through_year=y) for y in range(plan.start_year, year + 1)}
    reduction_rows = []
    for y, table in by_year.items():
        row = [str(y)]
        for _code, pollutant in REDUCTIONS:
            tonnes = sum((v for (_area, p), v in table.items() if p == pollutant), Decimal(0))
            row.append(f"{tonnes:f}")
        reduction_rows.append(row)
    blocks.append(
        TableBlock(
            header=[
                gettext_now("截至年份"),
                gettext_now("NOx 累计（吨；目标 %(target)s）") % {"target": totals.get("nox_reduction", "—")},
                gettext_now("VOCs 累计（吨；目标 %(target)s）") % {"target": totals.get("vocs_reduction", "—")},
            ],
            rows=reduction_rows,
        )
    )
    return blocks
