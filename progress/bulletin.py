"""The monthly bulletin (月度通报): its figures, read from one stored run, and its content as document blocks.

Every number comes from the run's stored snapshots and league tables (the month, and 1–M月 with the same
period last year) or, for the work section, from the measures workflow as it stood at the month's end. The
wording is in docs/documents.md: concentrations and the index change in per cent, ratios in
percentage points, days in days, each with 改善 / 持平 / 恶化; ties named together (并列).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as gettext_now
from django.utils.translation import pgettext

from areas import selectors as area_selectors
from areas.localization import join_clauses
from areas.models import Area, RankingGroup
from areas.rounding import round_decimal
from measures.models import Assignment
from measures.selectors import AssignmentRow, assignment_rows, due_lists
from monitoring import selectors as monitoring_selectors
from monitoring.aqi import edition_for
from monitoring.standards import limits_in_force

from . import scoring
from .document_charts import monthly_bars_png
from .documents import Block, Heading, ImageBlock, Paragraph, TableBlock
from .figure_names import figure_name
from .models import ProgressSnapshot, RankingEntry, ScoreRun
from .selectors import latest_run

# The six pollutants and the composite index, in the order bulletins list them.
POLLUTANTS = ("pm25", "pm10", "so2", "no2", "co_p95", "o3_8h_p90")
INDEX_AND_POLLUTANTS = ("composite_index", *POLLUTANTS)


def figure_unit(code: str) -> str:
    """A pollutant's concentration unit (scoring.FIGURES); "" for the rest (ratios carry their "%" apart)."""
    facts = scoring.FIGURE_BY_CODE.get(code)
    return facts.unit if facts is not None and code in POLLUTANTS else ""


@dataclass(frozen=True)
class Period:
    """The month, or January to the month's end (1–M月), for one area: its snapshots by figure code."""

    figures: dict[str, ProgressSnapshot]

    def value(self, code: str) -> Decimal | None:
        snapshot = self.figures.get(code)
        return snapshot.actual if snapshot else None


@dataclass(frozen=True)
class GroupTable:
    """A ranking group's league table (all the units when ``group`` is None) for the month and for 1–M月."""

    group: RankingGroup | None
    month: list[RankingEntry]
    to_month: list[RankingEntry]


@dataclass(frozen=True)
class WorkCount:
    area: Area
    due_soon: int
    overdue: int


@dataclass(frozen=True)
class DustFallRow:
    """A unit's mean dust fall of the month over its points, its rank (lower is better, ties share) and the
    same month last year."""

    area: Area
    points: int
    mean: Decimal
    rank: int
    last_year: Decimal | None

    @property
    def change_percent(self) -> Decimal | None:
        return scoring.change_percent(current=self.mean, previous=self.last_year)


@dataclass(frozen=True)
class DustFall:
    """The month's dust fall: each point's value, each unit's mean, the city's mean over all the points."""

    points: list[tuple[str, str, Area, Decimal]]
    units: list[DustFallRow]
    city_mean: Decimal
    city_last_year: Decimal | None


# The plan's dust-fall limit (四、(三)): 降尘量不高于 7 吨/平方千米·月.
DUST_FALL_LIMIT = Decimal(7)
DUST_FALL_PLACES = 1


def _mean(values: list[Decimal]) -> Decimal:
    return round_decimal(Fraction(sum(values, Decimal(0))) / len(values), DUST_FALL_PLACES)


def dust_fall(year: int, month: int) -> DustFall | None:
    """The month's dust fall from the stored values [project rule: a unit's mean is the mean of its points,
    the city's the mean of all the points; one decimal, GB/T 8170]; None when the month has none."""
    this, last = date(year, month, 1), date(year - 1, month, 1)
    values = monitoring_selectors.dust_fall_values([this, last])
    now = [v for v in values if v.month == this]
    if not now:
        return None
    before = [v for v in values if v.month == last]

    def by_area(rows: list[Any]) -> dict[int, list[Decimal]]:
        grouped: dict[int, list[Decimal]] = {}
        for v in rows:
            grouped.setdefault(v.point.area_id, []).append(v.value)
        return grouped

    current, previous = by_area(now), by_area(before)
    areas = {v.point.area_id: v.point.area for v in now}
    means = {str(pk): _mean(vals) for pk, vals in current.items()}
    ranks = scoring.competition_ranks(means, lower_is_better=True)
    units = sorted(
        (
            DustFallRow(
                area=areas[int(pk)],
                points=len(current[int(pk)]),
                mean=mean,
                rank=ranks[pk] or 0,
                last_year=_mean(previous[int(pk)]) if int(pk) in previous else None,
            )
            for pk, mean in means.items()
        ),
        key=lambda row: (row.rank, row.area.sort_order),
    )
    return DustFall(
        points=[(v.point.code, v.point.name, v.point.area, v.value) for v in now],
        units=units,
        city_mean=_mean([v.value for v in now]),
        city_last_year=_mean([v.value for v in before]) if before else None,
    )


@dataclass(frozen=True)
class SinceLastMonth:
    """The month beside the month before it (环比), for the city and the units' composite-index ranks.

    ``comparable`` is False when the two months fall under different AQI editions or Grade-II limits
    (February and March 2026): then nothing is compared [project rule: never a silent mix]."""

    previous_month: int
    comparable: bool
    city_previous: Period
    ranks: list[tuple[Area, int, int]]
    """(unit, rank last month, rank this month) among all the units, for the units ranked in both."""


@dataclass(frozen=True)
class BulletinFigures:
    run: ScoreRun
    year: int
    month: int
    city: Area
    city_month: Period
    city_to_month: Period
    allowance: dict[str, ProgressSnapshot]
    """The year-to-date snapshots with a remaining allowance, when the run's data end with the month."""
    units: list[Area]
    """The assessment units, in the bureau's order (read once)."""
    units_month: dict[int, Period]
    tables: list[GroupTable]
    work: list[WorkCount]
    dust_fall: DustFall | None = None
    since_last_month: SinceLastMonth | None = None
    city_months: dict[int, Period] | None = None
    """The city's months January … ``month`` (for the charts)."""

    @property
    def month_end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


def _periods(run: ScoreRun, month: int, *, cumulative: bool, areas: list[Area]) -> dict[int, Period]:
    rows = ProgressSnapshot.objects.filter(run=run, month=month, cumulative=cumulative, area__in=areas)
    by_area: dict[int, dict[str, ProgressSnapshot]] = {}
    for snapshot in rows:
        by_area.setdefault(snapshot.area_id, {})[snapshot.indicator] = snapshot
    return {area.pk: Period(by_area.get(area.pk, {})) for area in areas}


def _table(run: ScoreRun, month: int, *, cumulative: bool, group: RankingGroup | None) -> list[RankingEntry]:
    entries = RankingEntry.objects.filter(run=run, month=month, cumulative=cumulative, group=group)
    return sorted(
        entries.select_related("area"),
        key=lambda e: (e.composite_index_rank is None, e.composite_index_rank or 0, e.area.sort_order),
    )


def _since_last_month(run: ScoreRun, city: Area, month: int, entries: list[RankingEntry]) -> SinceLastMonth | None:
    """``entries``: the month's ranking among all the units (already read for the tables). January has no
    month before it in the same year's run: no comparison [project rule]."""
    if month == 1:
        return None
    previous = month - 1
    first_now, first_before = date(run.year, month, 1), date(run.year, previous, 1)
    last_now = date(run.year, month, calendar.monthrange(run.year, month)[1])
    last_before = date(run.year, previous, calendar.monthrange(run.year, previous)[1])
    comparable = edition_for(first_now) == edition_for(first_before) and limits_in_force(last_now) is limits_in_force(
        last_before
    )
    ranks_before = {e.area_id: e.composite_index_rank for e in _table(run, previous, cumulative=False, group=None)}
    ranks = [
        (e.area, ranks_before[e.area_id], e.composite_index_rank)
        for e in entries
        if e.composite_index_rank is not None and ranks_before.get(e.area_id) is not None
    ]
    return SinceLastMonth(
        previous_month=previous,
        comparable=comparable,
        city_previous=_periods(run, previous, cumulative=False, areas=[city])[city.pk],
        ranks=ranks,  # type: ignore[arg-type]
    )


def _city_months(run: ScoreRun, city: Area, month: int) -> dict[int, Period]:
    rows = ProgressSnapshot.objects.filter(
        run=run, area=city, month__gte=1, month__lte=month, cumulative=False, indicator__in=CHARTED
    )
    by_month: dict[int, dict[str, ProgressSnapshot]] = {m: {} for m in range(1, month + 1)}
    for snapshot in rows:
        by_month[snapshot.month][snapshot.indicator] = snapshot
    return {m: Period(figures) for m, figures in by_month.items()}


#: The city's monthly figures the bulletin charts, this year beside last year.
CHARTED = ("good_day_ratio", "pm25")


def chart_blocks(figures: BulletinFigures) -> list[Block]:
    """A chart per charted figure: the city's months January … M, this year beside the same month last year
    (like for like across 2026-03-01). The caption carries the words; the picture only numbers and years."""
    months = sorted((figures.city_months or {}).items())
    if not months:
        return []
    run = figures.run
    last_label = str(figures.year - 1)
    basis = gettext_now("（去年按今年标准）") if run.last_year_restated else ""
    blocks: list[Block] = []
    for number, code in enumerate(CHARTED, start=1):
        this_year = [_float(p.figures[code].actual) if code in p.figures else None for _m, p in months]
        last_year = [_float(p.figures[code].last_year) if code in p.figures else None for _m, p in months]
        if all(v is None for v in this_year):
            continue
        unit = "%" if code in scoring.RATIO_FIGURES else figure_unit(code)
        caption = gettext_now(
            "图%(number)s 全市各月%(figure)s（%(unit)s）：蓝色为%(this)s年，灰色为%(last)s年同月%(basis)s"
        ) % {
            "number": number,
            "figure": figure_name(code),
            "unit": unit,
            "this": figures.year,
            "last": last_label,
            "basis": basis,
        }
        png = monthly_bars_png(
            months=[m for m, _p in months],
            this_year=this_year,
            last_year=last_year,
            this_label=str(figures.year),
            last_label=last_label,
        )
        blocks.append(ImageBlock(png=png, caption=caption))
    return blocks


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def bulletin_figures(*, year: int, month: int, run: ScoreRun | None = None) -> BulletinFigures:
    """The figures of the bulletin for ``month`` of ``year`` from ``run`` (default: the year's latest run).
    Refused when the run holds no complete data for that month."""
    if run is None:
        run = latest_run(year, public=False)
    elif run.year != year:
        raise ValueError(f"run {run.pk} is of {run.year}, not {year}")
    city = area_selectors.city_area()
    if run is None or city is None or run.as_of is None:
        raise ValidationError(
            gettext_now("%(year)s年%(month)s月没有监测数据，不能生成月度通报。") % {"year": year, "month": month}
        )
    units = list(area_selectors.assessment_units())
    city_to_month = _periods(run, month, cumulative=True, areas=[city])[city.pk]
    if not city_to_month.figures:
        raise ValidationError(
            gettext_now("%(year)s年%(month)s月的监测数据不完整（数据截至 %(as_of)s），不能生成月度通报。")
            % {"year": year, "month": month, "as_of": run.as_of.isoformat()}
        )
    city_month = _periods(run, month, cumulative=False, areas=[city])[city.pk]
    month_end = date(year, month, calendar.monthrange(year, month)[1])
    allowance: dict[str, ProgressSnapshot] = {}
    if run.as_of == month_end and month < 12:
        allowance = {
            s.indicator: s
            for s in ProgressSnapshot.objects.filter(run=run, area=city, month=0, cumulative=False)
            if s.allowance_days is not None or s.allowance_mean is not None
        }
    groups: list[RankingGroup | None] = [*RankingGroup.objects.order_by("sort_order", "code"), None]
    tables = [
        GroupTable(
            group=group,
            month=_table(run, month, cumulative=False, group=group),
            to_month=_table(run, month, cumulative=True, group=group),
        )
        for group in groups
    ]
    tables = [t for t in tables if t.month or t.to_month]
    return BulletinFigures(
        run=run,
        year=year,
        month=month,
        city=city,
        city_month=city_month,
        city_to_month=city_to_month,
        allowance=allowance,
        units=units,
        units_month=_periods(run, month, cumulative=False, areas=units),
        tables=tables,
        work=_work(run, units, month_end),
        dust_fall=dust_fall(year, month),
        since_last_month=_since_last_month(run, city, month, next((t.month for t in tables if t.group is None), [])),
        city_months=_city_months(run, city, month),
    )


def _work(run: ScoreRun, units: list[Area], month_end: date) -> list[WorkCount]:
    """Each unit's measures due soon and overdue at the month's end (the plan the run is measured against)."""
    if run.plan_id is None:
        return []
    assignments = Assignment.objects.filter(measure__plan=run.plan_id, department__isnull=True, area__in=units)
    rows = assignment_rows(assignments.select_related("measure", "area"), today=month_end)
    by_area: dict[int, list[AssignmentRow]] = {}
    for row in rows:
        by_area.setdefault(row.assignment.area_id, []).append(row)
    counts = []
    for area in units:
        due = due_lists(by_area.get(area.pk, []))
        counts.append(WorkCount(area=area, due_soon=len(due.due_soon), overdue=due.overdue_total))
    return counts


# ------------------------------------------------------------------------------------------ wording


def _shown(value: Decimal | None, code: str) -> str:
    return scoring.shown(value, code)


def change_phrase(snapshot: ProgressSnapshot | None) -> str:
    """同比改善 9.1% / 同比增加 5.4 个百分点 / 同比减少 2 天 / 同比持平; "" without last year's figure."""
    if snapshot is None:
        return ""
    code = snapshot.indicator
    change = scoring.change_of(code=code, current=snapshot.actual, previous=snapshot.last_year)
    if change is None or snapshot.actual is None or snapshot.last_year is None:
        return ""
    if change is scoring.Change.LEVEL:
        return gettext_now("同比持平")
    if code in scoring.RATIO_FIGURES:
        points = scoring.change_points(code=code, current=snapshot.actual, previous=snapshot.last_year)
        assert points is not None
        template = (
            gettext_now("同比增加 %(points)s 个百分点") if points > 0 else gettext_now("同比减少 %(points)s 个百分点")
        )
        return template % {"points": f"{abs(points):f}"}
    if code in ("good_days", "heavy_days"):
        days = int(snapshot.actual - snapshot.last_year)
        return (gettext_now("同比增加 %(days)s 天") if days > 0 else gettext_now("同比减少 %(days)s 天")) % {
            "days": abs(days)
        }
    percent = snapshot.change_percent
    if percent is None:
        return ""
    template = (
        gettext_now("同比改善 %(percent)s%%")
        if change is scoring.Change.BETTER
        else gettext_now("同比恶化 %(percent)s%%")
    )
    return template % {"percent": f"{abs(percent):f}"}


def official_note(snapshot: ProgressSnapshot | None) -> str:
    """Where the change was made like for like and last year's published figure differs from the base:
    "（去年同期按今年标准为 65.6%，当时发布 100.0%）" (both labelled, never a silent mix: docs/editions.md)."""
    if snapshot is None or not snapshot.last_year_differs or snapshot.last_year is None:
        return ""
    unit = figure_unit(snapshot.indicator)
    return gettext_now("（去年同期按今年标准为 %(base)s%(unit)s，当时发布 %(official)s%(unit)s）") % {
        "base": _shown(snapshot.last_year, snapshot.indicator),
        "official": _shown(snapshot.last_year_official, snapshot.indicator),
        "unit": "%" if snapshot.indicator in scoring.RATIO_FIGURES else (" " + unit if unit else ""),
    }


def _figure_sentence(period: Period, code: str) -> str:
    snapshot = period.figures.get(code)
    value = _shown(snapshot.actual if snapshot else None, code)
    unit = figure_unit(code)
    phrase = change_phrase(snapshot)
    text = f"{figure_name(code)} {value}{(' ' + unit) if unit else ''}"
    return _with_change(text, phrase) + (official_note(snapshot) if phrase else "")


def _with_change(text: str, phrase: str) -> str:
    return gettext_now("%(figure)s，%(change)s") % {"figure": text, "change": phrase} if phrase else text


def _days_sentence(period: Period) -> str:
    good, ratio, heavy = (period.figures.get(code) for code in ("good_days", "good_day_ratio", "heavy_days"))
    good_text = gettext_now("优良天数 %(days)s 天，优良天数比例 %(ratio)s%%") % {
        "days": _shown(good.actual if good else None, "good_days"),
        "ratio": _shown(ratio.actual if ratio else None, "good_day_ratio"),
    }
    heavy_text = gettext_now("重污染天数 %(days)s 天") % {"days": _shown(heavy.actual if heavy else None, "heavy_days")}
    good_phrase, heavy_phrase = change_phrase(ratio), change_phrase(heavy)
    return join_clauses(
        [
            _with_change(good_text, good_phrase) + (official_note(ratio) if good_phrase else ""),
            _with_change(heavy_text, heavy_phrase) + (official_note(heavy) if heavy_phrase else ""),
        ]
    )


def _headline(figures: BulletinFigures, period: Period, label: str) -> str:
    pollutants = join_clauses([_figure_sentence(period, code) for code in INDEX_AND_POLLUTANTS])
    sentence = gettext_now("%(label)s，全市%(pollutants)s；%(days)s。") % {
        "label": label,
        "pollutants": pollutants,
        "days": _days_sentence(period),
    }
    return str(capfirst(sentence))


def _list(items: list[str]) -> str:
    return pgettext("list separator", "、").join(items)


def _names(areas: list[Area]) -> str:
    return _list([a.localized_name for a in areas])


def _order_sentence(table: GroupTable, entries: list[RankingEntry], label: str) -> str:
    """主城四区1-3月综合指数排名为：经开区、东昌府区（并列）…; ties joined with 并列."""
    ranked = [e for e in entries if e.composite_index_rank is not None]
    if not ranked:
        return ""
    by_rank: dict[int, list[Area]] = {}
    for entry in ranked:
        by_rank.setdefault(entry.composite_index_rank or 0, []).append(entry.area)
    parts = [
        _names(areas) + (gettext_now("（并列）") if len(areas) > 1 else "") for _rank, areas in sorted(by_rank.items())
    ]
    who = table.group.localized_name if table.group else gettext_now("全部考核单位")
    return gettext_now("%(who)s%(label)s综合指数排名依次为：%(order)s。") % {
        "who": who,
        "label": label,
        "order": pgettext("ranking order separator", "，").join(parts),
    }


#: What the month-on-month paragraph compares for the city.
MONTH_ON_MONTH = ("composite_index", "pm25", "good_day_ratio")


def since_last_month_sentences(figures: BulletinFigures) -> list[str]:
    """与上月相比 (环比): the city's composite index, PM2.5 and good-day ratio against the month before, and
    the units whose composite-index rank moved. Across a change of rules only a sentence saying so."""
    since = figures.since_last_month
    if since is None:
        return []
    labels = {"month": figures.month, "previous": since.previous_month}
    if not since.comparable:
        return [
            gettext_now("%(month)s月起执行 GB 3095-2026、HJ 633-2026，与%(previous)s月的评价标准不同，本期不作环比。")
            % labels
        ]
    parts = []
    for code in MONTH_ON_MONTH:
        now, before = figures.city_month.figures.get(code), since.city_previous.figures.get(code)
        if now is None or before is None or now.actual is None or before.actual is None:
            continue
        change = scoring.change_of(code=code, current=now.actual, previous=before.actual)
        if code in scoring.RATIO_FIGURES:
            points = scoring.change_points(code=code, current=now.actual, previous=before.actual)
            moved = gettext_now("%(points)s 个百分点") % {"points": f"{abs(points or 0):f}"}
            shown_before, shown_now = f"{_shown(before.actual, code)}%", f"{_shown(now.actual, code)}%"
        else:
            percent = scoring.change_percent(current=now.actual, previous=before.actual)
            moved = f"{abs(percent or 0):f}%"
            unit = figure_unit(code)
            shown_before = _shown(before.actual, code)
            shown_now = _shown(now.actual, code) + (f" {unit}" if unit else "")
        word = {
            scoring.Change.BETTER: gettext_now("改善 %(moved)s"),
            scoring.Change.WORSE: gettext_now("恶化 %(moved)s"),
            scoring.Change.LEVEL: gettext_now("持平"),
        }[change or scoring.Change.LEVEL] % {"moved": moved}
        parts.append(
            gettext_now("%(figure)s由 %(before)s 变为 %(now)s（%(word)s）")
            % {"figure": figure_name(code), "before": shown_before, "now": shown_now, "word": word}
        )
    sentences = []
    if parts:
        joined = pgettext("ranking order separator", "，").join(parts)
        sentences.append(gettext_now("与%(previous)s月相比，全市%(parts)s。") % {**labels, "parts": joined})
    up = [(a, b, n) for a, b, n in since.ranks if n < b]
    down = [(a, b, n) for a, b, n in since.ranks if n > b]

    def moves(items: list[tuple[Area, int, int]]) -> str:
        return _list(
            [
                gettext_now("%(name)s（第 %(before)s → 第 %(now)s）")
                % {"name": a.localized_name, "before": b, "now": n}
                for a, b, n in items
            ]
        )

    if up or down:
        clauses = []
        if up:
            clauses.append(gettext_now("上升的有%(units)s") % {"units": moves(up)})
        if down:
            clauses.append(gettext_now("下降的有%(units)s") % {"units": moves(down)})
        sentences.append(
            gettext_now("全部考核单位综合指数排名与上月相比：%(moves)s。") % {"moves": join_clauses(clauses)}
        )
    elif since.ranks:
        sentences.append(gettext_now("全部考核单位综合指数排名与上月相同。"))
    return sentences


def _improvement_sentence(table: GroupTable, entries: list[RankingEntry], label: str, *, like_for_like: bool) -> str:
    """主城四区1-3月综合指数改善率排名依次为：东昌府区（12.3%）、经开区、高新区（并列，8.0%）…: the ranking by
    improvement on the same period last year (like for like across 2026-03-01), ties joined with 并列."""
    ranked = [e for e in entries if e.improvement_rank is not None and e.improvement is not None]
    if not ranked:
        return ""
    by_rank: dict[int, list[RankingEntry]] = {}
    for entry in ranked:
        by_rank.setdefault(entry.improvement_rank or 0, []).append(entry)
    parts = []
    for _rank, tied in sorted(by_rank.items()):
        value = f"{tied[0].improvement:f}%"
        names = _names([e.area for e in tied])
        parts.append(
            gettext_now("%(names)s（并列，%(value)s）") % {"names": names, "value": value}
            if len(tied) > 1
            else gettext_now("%(names)s（%(value)s）") % {"names": names, "value": value}
        )
    who = table.group.localized_name if table.group else gettext_now("全部考核单位")
    sentence = gettext_now("%(who)s%(label)s综合指数同比改善率排名依次为：%(order)s。") % {
        "who": who,
        "label": label,
        "order": pgettext("ranking order separator", "，").join(parts),
    }
    if like_for_like:
        sentence += str(gettext_now("（改善率按同口径计算：去年同期按今年标准重算。）"))
    return str(sentence)


# The items the units are compared on, month by month (bulletin.md §2).
COMPARED = (*INDEX_AND_POLLUTANTS, "good_day_ratio")


def _magnitude(snapshot: ProgressSnapshot) -> Decimal | None:
    """How far a unit's figure moved on a year earlier: percentage points for a ratio, else per cent."""
    if snapshot.indicator in scoring.RATIO_FIGURES:
        points = scoring.change_points(code=snapshot.indicator, current=snapshot.actual, previous=snapshot.last_year)
        return abs(points) if points is not None else None
    return abs(snapshot.change_percent) if snapshot.change_percent is not None else None


def _moved(snapshot: ProgressSnapshot) -> str:
    magnitude = _magnitude(snapshot)
    if magnitude is None:
        return ""
    if snapshot.indicator in scoring.RATIO_FIGURES:
        return gettext_now("%(points)s 个百分点") % {"points": f"{magnitude:f}"}
    return f"{magnitude:f}%"


def comparison_sentence(figures: BulletinFigures, code: str) -> str:
    """综合指数：最好的是…（…），最差的是…；同比改善 n 个、持平 n 个、恶化 n 个；改善幅度最大的是…（…），
    恶化幅度最大的是…（…）. Ties are named together. "" when no unit has the figure."""
    units = {area.pk: area for area in figures.units}
    snapshots = [
        (units[pk], period.figures[code])
        for pk, period in figures.units_month.items()
        if pk in units and code in period.figures and period.figures[code].actual is not None
    ]
    if not snapshots:
        return ""
    higher_better = code in scoring.HIGHER_IS_BETTER

    def named(value: Decimal) -> str:
        tied = [a for a, s in snapshots if scoring.reported(s.actual, code) == value]  # type: ignore[arg-type]
        return gettext_now("%(names)s（%(value)s）") % {"names": _names(tied), "value": scoring.shown(value, code)}

    values = [scoring.reported(s.actual, code) for _a, s in snapshots]  # type: ignore[arg-type]
    best, worst = (max(values), min(values)) if higher_better else (min(values), max(values))
    parts = [gettext_now("最好的是%(best)s，最差的是%(worst)s") % {"best": named(best), "worst": named(worst)}]
    changes = [(a, s, scoring.change_of(code=code, current=s.actual, previous=s.last_year)) for a, s in snapshots]
    counted = [c for c in changes if c[2] is not None]
    if counted:
        parts.append(
            gettext_now("同比改善 %(better)s 个、持平 %(level)s 个、恶化 %(worse)s 个")
            % {
                "better": sum(1 for c in counted if c[2] is scoring.Change.BETTER),
                "level": sum(1 for c in counted if c[2] is scoring.Change.LEVEL),
                "worse": sum(1 for c in counted if c[2] is scoring.Change.WORSE),
            }
        )
        for direction, template in (
            (scoring.Change.BETTER, gettext_now("改善幅度最大的是%(who)s（%(by)s）")),
            (scoring.Change.WORSE, gettext_now("恶化幅度最大的是%(who)s（%(by)s）")),
        ):
            moved = [(a, s) for a, s, c in counted if c is direction and _magnitude(s) is not None]
            if moved:
                largest = max(_magnitude(s) or Decimal(0) for _a, s in moved)
                top = [(a, s) for a, s in moved if _magnitude(s) == largest]
                parts.append(template % {"who": _names([a for a, _s in top]), "by": _moved(top[0][1])})
    return gettext_now("%(item)s：%(parts)s。") % {"item": figure_name(code), "parts": join_clauses(parts)}


def last_three(figures: BulletinFigures, code: str) -> list[tuple[Area, Decimal]]:
    """The three worst units of the month for a figure (higher is worse), more when tied with the third."""
    units = {area.pk: area for area in figures.units}
    values = {pk: period.value(code) for pk, period in figures.units_month.items() if pk in units}
    ranks = scoring.competition_ranks({str(pk): v for pk, v in values.items()}, lower_is_better=False)
    worst = [(units[int(pk)], values[int(pk)]) for pk, rank in ranks.items() if rank is not None and rank <= 3]
    return sorted(worst, key=lambda item: (-(item[1] or 0), item[0].sort_order))  # type: ignore[operator]


CHINESE_NUMERALS = "一二三四五六七八九十"


def _sections() -> Callable[[str], Heading]:
    """Numbered section headings in the reader's language: 一、… in Chinese, 1. … in English."""
    count = 0

    def section(title: str) -> Heading:
        nonlocal count
        count += 1
        chinese = (translation.get_language() or "").startswith("zh")
        number = CHINESE_NUMERALS[count - 1] if chinese else str(count)
        return Heading(gettext_now("%(number)s、%(title)s") % {"number": number, "title": title}, level=1)

    return section


def bulletin_blocks(figures: BulletinFigures) -> list[Block]:
    """The bulletin's content, in order: the same for the Word and the PDF file."""
    section = _sections()
    year, month = figures.year, figures.month
    first_day = date(year, month, 1)
    month_label = date_format(first_day, "YEAR_MONTH_FORMAT")
    to_month_label = (
        gettext_now("%(year)s年1-%(month)s月") % {"year": year, "month": month} if month > 1 else month_label
    )
    run = figures.run
    flavour = {"reviewed": gettext_now("审核数据"), "mixed": gettext_now("实况数据与审核数据")}.get(
        run.flavour, gettext_now("实况数据")
    )
    blocks: list[Block] = [
        Heading(gettext_now("聊城市环境空气质量月度通报（%(label)s）") % {"label": month_label}, level=0),
        Paragraph(
            gettext_now(
                "数据说明：%(flavour)s，已扣除沙尘天气影响，%(editions)s，%(composite)s；数据截至 %(as_of)s，"
                "计算于 %(computed)s；%(comparison)s。"
            )
            % {
                "flavour": flavour,
                "editions": run.editions_label,
                "composite": run.composite_limits_label,
                "comparison": run.comparison_label,
                "as_of": run.as_of.isoformat() if run.as_of else "—",
                "computed": run.computed_at.strftime("%Y-%m-%d %H:%M"),
            }
        ),
        section(gettext_now("全市环境空气质量")),
        Paragraph(_headline(figures, figures.city_month, month_label)),
    ]
    if month > 1:
        blocks.append(Paragraph(_headline(figures, figures.city_to_month, to_month_label)))
    if figures.allowance:
        blocks.append(Paragraph(_allowance_sentence(figures)))
    blocks += [Paragraph(text) for text in since_last_month_sentences(figures)]
    blocks += chart_blocks(figures)
    blocks.append(section(gettext_now("各县（市、区）排名")))
    blocks += [Paragraph(text) for code in COMPARED if (text := comparison_sentence(figures, code))]
    for table in figures.tables:
        for entries, label in ((table.month, month_label), (table.to_month, to_month_label if month > 1 else "")):
            if not label:
                continue
            if sentence := _order_sentence(table, entries, label):
                blocks.append(Paragraph(sentence))
            if sentence := _improvement_sentence(table, entries, label, like_for_like=run.last_year_restated):
                blocks.append(Paragraph(sentence))
        if table.group is not None:
            blocks.append(_ranking_table(table, month_label, to_month_label if month > 1 else None))
    blocks.append(section(gettext_now("污染因子后三位（%(label)s）") % {"label": month_label}))
    blocks.append(
        TableBlock(
            header=[gettext_now("项目"), gettext_now("后三位（浓度或指数）")],
            rows=[
                [
                    figure_name(code),
                    _list([f"{a.localized_name}（{_shown(v, code)}）" for a, v in last_three(figures, code)]),
                ]
                for code in INDEX_AND_POLLUTANTS
            ],
        )
    )
    if figures.dust_fall is not None:
        blocks += [section(gettext_now("降尘")), *_dust_fall_blocks(figures.dust_fall, month_label)]
    if figures.work:
        blocks.append(section(gettext_now("任务措施推进情况（截至%(day)s）") % {"day": figures.month_end.isoformat()}))
        blocks.append(
            TableBlock(
                header=[gettext_now("县（市、区）"), gettext_now("即将到期"), gettext_now("逾期未完成")],
                rows=[[w.area.localized_name, str(w.due_soon), str(w.overdue)] for w in figures.work],
            )
        )
    return blocks


def _dust_fall_blocks(dust: DustFall, month_label: str) -> list[Block]:
    change = scoring.change_percent(current=dust.city_mean, previous=dust.city_last_year)
    against = (
        gettext_now("达到不高于 %(limit)s 吨/平方千米·月的要求")
        if dust.city_mean <= DUST_FALL_LIMIT
        else gettext_now("高于 %(limit)s 吨/平方千米·月的要求")
    ) % {"limit": DUST_FALL_LIMIT}
    sentence = gettext_now("%(label)s全市平均降尘量 %(mean)s 吨/平方千米·月（%(points)s 个点位），%(against)s") % {
        "label": month_label,
        "mean": f"{dust.city_mean:f}",
        "points": len(dust.points),
        "against": against,
    }
    if change is not None:
        word = gettext_now("同比改善 %(percent)s%%") if change < 0 else gettext_now("同比恶化 %(percent)s%%")
        sentence = _with_change(
            sentence, gettext_now("同比持平") if change == 0 else word % {"percent": f"{abs(change):f}"}
        )
    return [
        Paragraph(sentence + gettext_now("。")),
        TableBlock(
            header=[
                gettext_now("排名"),
                gettext_now("县（市、区）"),
                gettext_now("平均降尘量"),
                gettext_now("点位数"),
                gettext_now("同比"),
            ],
            rows=[
                [
                    str(row.rank),
                    row.area.localized_name,
                    f"{row.mean:f}",
                    str(row.points),
                    f"{row.change_percent:+f}%" if row.change_percent is not None else "—",
                ]
                for row in dust.units
            ],
        ),
        TableBlock(
            header=[
                gettext_now("点位编码"),
                gettext_now("点位名称"),
                gettext_now("县（市、区）"),
                gettext_now("降尘量"),
            ],
            rows=[[code, name, area.localized_name, f"{value:f}"] for code, name, area, value in dust.points],
        ),
    ]


def _allowance_sentence(figures: BulletinFigures) -> str:
    parts = []
    ratio = figures.allowance.get("good_day_ratio")
    if ratio is not None and ratio.allowance_days is not None:
        parts.append(gettext_now("全年剩余可超标天数 %(days)s 天") % {"days": ratio.allowance_days})
    pm25 = figures.allowance.get("pm25")
    if pm25 is not None and pm25.allowance_mean is not None:
        parts.append(
            gettext_now("余下各日 PM2.5 平均浓度须控制在 %(mean)s µg/m³ 以内") % {"mean": f"{pm25.allowance_mean:f}"}
        )
    return gettext_now("对照年度目标：%(parts)s。") % {"parts": join_clauses(parts)} if parts else ""


def _ranking_table(table: GroupTable, month_label: str, to_month_label: str | None) -> TableBlock:
    to_month = {e.area_id: e for e in table.to_month}
    header = [gettext_now("排名"), gettext_now("单位"), gettext_now("综合指数（%(label)s）") % {"label": month_label}]
    if to_month_label:
        header += [gettext_now("综合指数（%(label)s）") % {"label": to_month_label}, gettext_now("改善率")]
    header.append(gettext_now("提示"))
    rows = []
    for entry in table.month:
        cumulative = to_month.get(entry.area_id)
        notes = []
        if entry.worse_than_city:
            notes.append(gettext_now("差于全市"))
        if entry.worse_than_last_year:
            notes.append(gettext_now("差于去年同期"))
        row = [
            str(entry.composite_index_rank or "—"),
            entry.area.localized_name,
            _shown(entry.composite_index, "composite_index"),
        ]
        if to_month_label:
            row += [
                _shown(cumulative.composite_index if cumulative else None, "composite_index"),
                f"{cumulative.improvement:f}%" if cumulative and cumulative.improvement is not None else "—",
            ]
        row.append(_list(notes))
        rows.append(row)
    return TableBlock(header=header, rows=rows, title=table.group.localized_name if table.group else "")
