"""The progress table and the county ranking as CSV and Excel (areas.exports), with the figures rounded
exactly as pages show them, as numbers."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as gettext_now

from areas.exports import Table
from areas.models import RankingGroup
from monitoring import standards

from .models import ProgressSnapshot, RankingEntry, ScoreRun
from .scoring import RATIO_FIGURES, reported
from .selectors import AreaProgress

NONE_SHOWN = "—"


def figure(value: Decimal | None, code: str) -> Decimal | str:
    """A figure as a number with the places pages show (progress.scoring.shown), "—" when there is none."""
    return NONE_SHOWN if value is None else reported(value, code)


def _allowance(snapshot: ProgressSnapshot) -> str:
    if snapshot.out_of_reach:
        return gettext_now("已无法达标")
    if snapshot.allowance_days is not None and snapshot.allowance_kind == "heavy_days":
        return f"{gettext_now('剩余可重污染天数')} {snapshot.allowance_days}"
    if snapshot.allowance_days is not None:
        return gettext_now("剩余可超标 %(n)s 天") % {"n": snapshot.allowance_days}
    if snapshot.allowance_mean is not None:
        return gettext_now("其余日均值不超过 %(v)s") % {"v": snapshot.allowance_mean}
    return ""


def progress_table(run: ScoreRun, progress: Sequence[AreaProgress]) -> Table:
    header = [
        gettext_now("区域"),
        gettext_now("指标"),
        gettext_now("单位"),
        gettext_now("实际值（全年）") if run.year_complete else gettext_now("实际值（年初至今）"),
        gettext_now("年度目标"),
        gettext_now("去年同期"),
        gettext_now("同比变化(%)"),
        gettext_now("状态"),
        gettext_now("剩余空间"),
        gettext_now("有效监测天数"),
        gettext_now("同比变化（百分点）"),
        gettext_now("去年同期（当时标准）"),
        gettext_now("评价标准"),
        gettext_now("综合指数所用限值"),
    ]
    rows = [
        [
            item.area.localized_name,
            row.indicator.localized_name,
            row.indicator.unit,
            figure(row.snapshot.actual, row.indicator.code),
            figure(row.snapshot.goal, row.indicator.code),
            figure(row.snapshot.last_year, row.indicator.code),
            # A ratio changes in points (个百分点, the last column), a concentration in per cent.
            figure(None if row.indicator.code in RATIO_FIGURES else row.snapshot.change_percent, "change_percent"),
            row.snapshot.status_label,
            _allowance(row.snapshot),
            row.snapshot.valid_days,
            figure(row.snapshot.change_points, "change_points"),
            figure(row.snapshot.last_year_official, row.indicator.code),
            run.rules,
            run.composite_limits_name,
        ]
        for item in progress
        for row in item.rows
    ]
    as_of = run.as_of.isoformat() if run.as_of else "—"
    return Table(
        title=gettext_now("%(year)s年目标进展（截至 %(as_of)s）") % {"year": run.year, "as_of": as_of},
        header=header,
        rows=rows,
        sheet_name=f"progress-{run.year}",
        column_widths=[16] * len(header),
    )


def _period_limits(run: ScoreRun, month: int) -> str:
    """The limits the composite index of the ranked period divides by: those in force on its last day."""
    if not month:
        return run.composite_limits_name
    if run.as_of is None:
        return ""
    last_day = datetime.date(run.year, month, calendar.monthrange(run.year, month)[1])
    return standards.limits_in_force(min(last_day, run.as_of)).label


def ranking_table(
    run: ScoreRun, entries: Sequence[RankingEntry], *, month: int, group: RankingGroup | None = None
) -> Table:
    header = [
        gettext_now("得分排名"),
        gettext_now("县（市、区）"),
        gettext_now("综合得分"),
        gettext_now("综合指数"),
        gettext_now("综合指数排名"),
        gettext_now("PM2.5"),
        gettext_now("PM2.5排名"),
        gettext_now("综合指数改善率(%)"),
        gettext_now("改善率排名"),
        gettext_now("措施按时完成率(%)"),
        gettext_now("差于全市"),
        gettext_now("差于去年同期"),
        gettext_now("综合指数所用限值"),
        gettext_now("改善率口径"),
    ]
    limits = _period_limits(run, month)
    basis = gettext_now("同口径：去年同期按今年标准重算") if run.last_year_restated else gettext_now("与去年同期比较")

    def rank(value: int | None) -> int | str:
        return NONE_SHOWN if value is None else value

    def flag(value: bool) -> str:
        return gettext_now("是") if value else ""

    rows = [
        [
            rank(e.score_rank),
            e.area.localized_name,
            figure(e.score, "score"),
            figure(e.composite_index, "composite_index"),
            rank(e.composite_index_rank),
            figure(e.pm25, "pm25"),
            rank(e.pm25_rank),
            figure(e.improvement, "improvement"),
            rank(e.improvement_rank),
            figure(e.measures_on_time, "measures_on_time"),
            flag(e.worse_than_city),
            flag(e.worse_than_last_year),
            limits,
            basis,
        ]
        for e in entries
    ]
    period = gettext_now("%(m)s月") % {"m": month} if month else gettext_now("年初至今")
    title = gettext_now("%(year)s年县（市、区）排名（%(period)s）") % {"year": run.year, "period": period}
    if group is not None:
        title = gettext_now("%(year)s年%(group)s排名（%(period)s）") % {
            "year": run.year,
            "group": group.localized_name,
            "period": period,
        }
    if run.as_of is not None:
        title += gettext_now("，截至 %(as_of)s") % {"as_of": run.as_of.isoformat()}
    return Table(
        title=title,
        header=header,
        rows=rows,
        sheet_name=f"ranking-{run.year}",
        column_widths=[16] * len(header),
    )
