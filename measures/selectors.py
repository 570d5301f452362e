"""Reads of the plan's measures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from areas.roles import is_bureau_staff, official_area
from areas.rounding import round_decimal
from targets.models import Chapter, Plan, Target

from .charts import BurndownInput
from .deadlines import DeadlineState, Escalation, deadline_state
from .models import Assignment, Evidence, Measure, ReductionProject, ReviewState, Submission, Supervision
from .periods import DutyProgress, PeriodStatus, duty_progress
from .reporters import HANDED_IN_STATES, official_department_id
from .workflow import snapshot_diff


@dataclass(frozen=True)
class ChapterCount:
    chapter: Chapter
    measures: int


def measure_counts_by_chapter(plan: Plan) -> list[ChapterCount]:
    chapters = plan.chapters.annotate(measure_count=Count("sections__measures")).order_by("number")
    return [ChapterCount(chapter=c, measures=c.measure_count) for c in chapters]


def plans_with_counts() -> QuerySet[Plan]:
    """Every plan, oldest first, with the counts of its own measures and assignments and its targets."""
    targets = Target.objects.select_related("indicator", "area").order_by(
        "indicator__sort_order", "area__sort_order", "target_year"
    )
    return (
        Plan.objects.annotate(
            measure_count=Count("measures", distinct=True),
            assignment_count=Count("measures__assignments", distinct=True),
        )
        .prefetch_related(Prefetch("targets", queryset=targets))
        .order_by("start_year", "code")
    )


def plan_measures(plan: Plan) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(section__chapter__plan=plan)
        .select_related("section__chapter")
        .prefetch_related("departments", Prefetch("areas"))
        .order_by("section__chapter__number", "section__number", "sort_order", "code")
    )


# =========================================================================== workflow reads
# Every read below is scoped by role (areas/roles.py, measures/reporters.py): bureau staff see all areas,
# a county official only their own, a department official what it reports and follows, anyone else
# nothing. Pages, API, exports and downloads all use them.


def _area_ids(user: AbstractBaseUser | AnonymousUser) -> list[int]:
    area = official_area(user)
    return [area.pk] if area else []


def _led_measure_ids(department_id: int) -> QuerySet[Measure]:
    return Measure.objects.filter(reporting_departments=department_id).values("pk")


def _assignment_scope(user: AbstractBaseUser | AnonymousUser, prefix: str = "") -> Q | None:
    """The assignments ``user`` may see, as a filter on ``prefix`` + the assignment's fields; None: all
    (bureau staff). An area's official: their area's own assignments. A department official: their
    department's assignments and the area assignments of the measures it reports on."""
    if is_bureau_staff(user):
        return None
    department_id = official_department_id(user)
    if department_id is not None:
        return Q(**{f"{prefix}department_id": department_id}) | Q(
            **{f"{prefix}department__isnull": True, f"{prefix}measure_id__in": _led_measure_ids(department_id)}
        )
    return Q(**{f"{prefix}area_id__in": _area_ids(user), f"{prefix}department__isnull": True})


def visible_assignments(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("measure__section__chapter", "area", "department")
    scope = _assignment_scope(user)
    return qs if scope is None else qs.filter(scope)


def _submission_scope(user: AbstractBaseUser | AnonymousUser, prefix: str = "") -> Q | None:
    """The completion forms ``user`` may see (as ``_assignment_scope``): a department official sees an area's
    form on a measure it follows only once handed in (reporters.HANDED_IN_STATES)."""
    if is_bureau_staff(user):
        return None
    department_id = official_department_id(user)
    if department_id is not None:
        return Q(**{f"{prefix}assignment__department_id": department_id}) | Q(
            **{
                f"{prefix}assignment__department__isnull": True,
                f"{prefix}assignment__measure_id__in": _led_measure_ids(department_id),
                f"{prefix}state__in": HANDED_IN_STATES,
            }
        )
    return Q(**{f"{prefix}assignment__area_id__in": _area_ids(user), f"{prefix}assignment__department__isnull": True})


def visible_submissions(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Submission]:
    qs = Submission.objects.select_related(
        "assignment__measure__section__chapter", "assignment__area", "assignment__department", "created_by"
    )
    scope = _submission_scope(user)
    return qs if scope is None else qs.filter(scope)


def visible_evidence(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Evidence]:
    qs = Evidence.objects.select_related("submission__assignment", "project")
    scope = _submission_scope(user, "submission__")
    if scope is None:
        return qs
    # Key projects are an area's own (a department registers none).
    return qs.filter(scope | Q(project__area_id__in=_area_ids(user)))


def visible_supervisions(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Supervision]:
    """Special supervision of an area: bureau staff and the area's own officials."""
    qs = Supervision.objects.select_related("area", "opened_by")
    return qs if is_bureau_staff(user) else qs.filter(area_id__in=_area_ids(user))


def visible_projects(user: AbstractBaseUser | AnonymousUser) -> QuerySet[ReductionProject]:
    qs = ReductionProject.objects.select_related("area", "created_by")
    return qs if is_bureau_staff(user) else qs.filter(area_id__in=_area_ids(user))


def deadline_of(deadline: date | None, *, today: date) -> DeadlineState:
    return deadline_state(
        deadline,
        today=today,
        due_soon_working_days=settings.MEASURES_DUE_SOON_WORKING_DAYS,
        warning_after_working_days=settings.MEASURES_WARNING_AFTER_WORKING_DAYS,
    )


def completion_date(submission: Submission) -> date | None:
    """When the work of a form was done: its completion date, else (a form stored before completion dates
    were asked for) the China date it was submitted."""
    if submission.completed_on is not None:
        return submission.completed_on
    return timezone.localdate(submission.submitted_at) if submission.submitted_at is not None else None


def _approved_on(submission: Submission) -> date | None:
    if submission.state != ReviewState.APPROVED or submission.reviewed_at is None:
        return None
    return timezone.localdate(submission.reviewed_at)


@dataclass(frozen=True)
class AssignmentRow:
    """An assignment with its latest completion form and where its deadline stands.

    A recurring duty or prohibition (``duty``) falls due period by period: its deadline is the due date of
    its earliest period not approved, and it is done only when every period of its plan is approved.
    """

    assignment: Assignment
    latest: Submission | None
    deadline: DeadlineState
    approved_on: date | None
    duty: DutyProgress | None = None

    @property
    def is_done(self) -> bool:
        return self.approved_on is not None

    @property
    def due_date(self) -> date | None:
        """The date the escalation counts from: the assignment's deadline, or a duty's open period's."""
        return self.deadline.deadline

    @property
    def due_period(self) -> str:
        """The period a duty is chased for ('' for one-off work)."""
        open_period = self.duty.open_period if self.duty else None
        return open_period.period.key if open_period else ""

    @property
    def state(self) -> str:
        return self.latest.state if self.latest else "none"

    @property
    def state_label(self) -> str:
        return self.latest.get_state_display() if self.latest else str(_("未填报"))

    @property
    def plan_closed(self) -> bool:
        return self.assignment.measure.plan.status == Plan.Status.CLOSED

    @property
    def level(self) -> str:
        return Escalation.NONE.value if self.is_done or self.plan_closed else self.deadline.level.value


def _row(assignment: Assignment, submissions: list[Submission], *, today: date) -> AssignmentRow:
    latest = submissions[0] if submissions else None
    owed = assignment.measure.owed_periods()
    if not owed:
        approved = [d for d in (_approved_on(s) for s in submissions) if d is not None]
        return AssignmentRow(
            assignment=assignment,
            latest=latest,
            deadline=deadline_of(assignment.deadline, today=today),
            approved_on=min(approved) if approved else None,
        )
    duty = duty_progress(owed, {s.period: s.state for s in submissions}, today=today)
    open_period = duty.open_period
    approved_on = None
    if duty.is_done:
        approved_on = max(d for d in (_approved_on(s) for s in submissions) if d is not None)
    return AssignmentRow(
        assignment=assignment,
        latest=latest,
        deadline=deadline_of(open_period.period.due if open_period else None, today=today),
        approved_on=approved_on,
        duty=duty,
    )


def assignment_rows(
    assignments: QuerySet[Assignment], *, today: date | None = None, submissions: QuerySet[Submission] | None = None
) -> list[AssignmentRow]:
    """One row per assignment: one-off work is done once a completion form of it is approved; a recurring
    duty period by period (``AssignmentRow``). ``submissions``: the forms to judge by (a reader's
    ``visible_submissions``; default every form)."""
    today = today or timezone.localdate()
    forms = (submissions if submissions is not None else Submission.objects.all()).order_by("-period", "-updated_at")
    assignments = (
        assignments.select_related("measure__plan")
        .prefetch_related(Prefetch("submissions", queryset=forms))
        .order_by(F("deadline").asc(nulls_last=True), "measure__sort_order", "measure__code", "area__sort_order")
    )
    return [_row(assignment, list(assignment.submissions.all()), today=today) for assignment in assignments]


@dataclass(frozen=True)
class DutyPeriodRow:
    """A period of a duty on its assignment page, with the form filed for it (if any)."""

    status: PeriodStatus | None
    """None for a form of a period the duty no longer owes (filed before its rules changed)."""
    submission: Submission | None


def duty_period_rows(row: AssignmentRow, submissions: list[Submission]) -> list[DutyPeriodRow]:
    """A duty's periods that have begun, newest first, each with its form; forms of periods not owed last."""
    if row.duty is None:
        return []
    by_period = {s.period: s for s in submissions}
    begun = [s for s in row.duty.statuses if s.period.starts <= row.duty.today]
    rows = [DutyPeriodRow(status, by_period.pop(status.period.key, None)) for status in reversed(begun)]
    owed = {status.period.key for status in row.duty.statuses}
    stray = [s for s in by_period.values() if s.period not in owed]
    return rows + [DutyPeriodRow(None, s) for s in sorted(stray, key=lambda s: s.period, reverse=True)]


@dataclass(frozen=True)
class DueLists:
    due_soon: list[AssignmentRow]
    overdue: list[AssignmentRow]
    warning: list[AssignmentRow]
    """Overdue for ``MEASURES_WARNING_AFTER_WORKING_DAYS`` working days or more: the warning list (预警名单)."""

    @property
    def count(self) -> int:
        return len(self.due_soon) + len(self.overdue) + len(self.warning)

    @property
    def overdue_total(self) -> int:
        """Every overdue item, those on the warning list included."""
        return len(self.overdue) + len(self.warning)


def due_lists(rows: list[AssignmentRow]) -> DueLists:
    """Split open assignments along the escalation ladder (measures/deadlines.py). A closed plan's
    assignments are never due: its close-out gave each unfinished one an outcome."""
    open_rows = [r for r in rows if not r.is_done and not r.plan_closed]
    return DueLists(
        due_soon=[r for r in open_rows if r.deadline.level is Escalation.REMINDER],
        overdue=[r for r in open_rows if r.deadline.level is Escalation.OVERDUE],
        warning=sorted(
            (r for r in open_rows if r.deadline.level is Escalation.WARNING),
            key=lambda r: -r.deadline.working_days_overdue,
        ),
    )


@dataclass(frozen=True)
class AreaEscalation:
    """One line of the bureau's warning list: an area's open items by escalation level (``overdue`` counts
    every overdue item, ``warning`` those of them on the warning list)."""

    area: Area
    warning: int
    overdue: int
    due_soon: int
    max_working_days_overdue: int


def escalation_by_area(due: DueLists) -> list[AreaEscalation]:
    """The warning list by area, worst first (most warning items, then longest overdue)."""
    areas: dict[int, Area] = {}
    counts: dict[int, list[int]] = {}
    for level, rows in ((0, due.warning), (1, due.overdue), (2, due.due_soon)):
        for row in rows:
            area = row.assignment.area
            areas[area.pk] = area
            entry = counts.setdefault(area.pk, [0, 0, 0, 0])
            entry[level] += 1
            if level == 0:  # a warning item is overdue too: "逾期 n（其中预警 m）"
                entry[1] += 1
            entry[3] = max(entry[3], row.deadline.working_days_overdue)
    result = [AreaEscalation(areas[pk], c[0], c[1], c[2], c[3]) for pk, c in counts.items()]
    return sorted(result, key=lambda e: (-e.warning, -e.max_working_days_overdue, -e.overdue, e.area.sort_order))


@dataclass(frozen=True)
class BoardFilters:
    plan: Plan | None = None
    chapter: int | None = None
    area: str | None = None
    state: str | None = None
    level: str | None = None


def board_rows(
    user: AbstractBaseUser | AnonymousUser, filters: BoardFilters, *, today: date | None = None
) -> list[AssignmentRow]:
    qs = visible_assignments(user).select_related("carried_over_to__measure__plan")
    if filters.plan is not None:
        qs = qs.filter(measure__plan=filters.plan)
    if filters.chapter:
        qs = qs.filter(measure__section__chapter__number=filters.chapter)
    if filters.area:
        qs = qs.filter(area__code=filters.area)
    rows = assignment_rows(qs, today=today)
    if filters.state:
        rows = [r for r in rows if r.state == filters.state]
    if filters.level:
        # "Overdue" lists every overdue item, those on the warning list included (as its count does).
        levels = {Escalation.OVERDUE.value, Escalation.WARNING.value} if filters.level == "overdue" else {filters.level}
        rows = [r for r in rows if r.level in levels]
    return rows


def burndown_points(rows: list[AssignmentRow]) -> list[BurndownInput]:
    return [BurndownInput(deadline=r.assignment.deadline, done_on=r.approved_on) for r in rows]


# --------------------------------------------------------------------------- diffs


FIELD_LABELS = {
    "period": _("填报期"),
    "work_status": _("完成情况"),
    "progress_value": _("进展数值"),
    "narrative": _("工作进展说明"),
    "evidence": _("佐证材料"),
    "name": _("工程名称"),
    "enterprise": _("企业名称"),
    "pollutant": _("污染物"),
    "expected_tonnes": _("预计减排量（吨）"),
    "planned_completion": _("计划完成时间"),
    "verified_tonnes": _("核定减排量（吨）"),
    "verified_on": _("核定日期"),
    "effective_on": _("减排生效日期"),
}


@dataclass(frozen=True)
class ShownChange:
    label: str
    before: str
    after: str


CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "work_status": dict(Submission.WorkStatus.choices),
    "pollutant": dict(ReductionProject.Pollutant.choices),
}


def _shown(value: Any, field: str = "") -> str:
    if field in CHOICE_LABELS and value in CHOICE_LABELS[field]:
        return str(CHOICE_LABELS[field][value])
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "；".join(value) if value else "—"
    return str(value)


def shown_changes(before: dict[str, Any] | None, record: Submission | ReductionProject) -> list[ShownChange]:
    if before is None:
        return []
    from .services import snapshot_of

    return [
        ShownChange(
            label=str(FIELD_LABELS.get(c.field, c.field)),
            before=_shown(c.before, c.field),
            after=_shown(c.after, c.field),
        )
        for c in snapshot_diff(before, snapshot_of(record))
    ]


def changes_since_return(record: Submission | ReductionProject) -> list[ShownChange]:
    """What the county changed after the bureau returned it (shown to the reviewer on resubmission)."""
    return shown_changes(record.returned_snapshot, record)


def changes_since_approval(record: Submission | ReductionProject) -> list[ShownChange]:
    """Non-empty when a reopened record now differs from what was approved (“审核通过后有改动”)."""
    if record.state == ReviewState.APPROVED:
        return []
    return shown_changes(record.approved_snapshot, record)


# --------------------------------------------------------------------------- shares of a city target


@dataclass(frozen=True)
class ShareRow:
    assignment: Assignment
    last_change: Any
    """The latest history record of the assignment (who set the share, when and why), or None."""


@dataclass(frozen=True)
class ShareTable:
    """The areas' targets of a city total or rate against the city's (the bureau's split)."""

    measure: Measure
    rows: list[ShareRow]

    @property
    def total(self) -> Decimal:
        return sum(
            (r.assignment.target_quantity for r in self.rows if r.assignment.target_quantity is not None), Decimal(0)
        )

    @property
    def unset(self) -> int:
        return sum(1 for r in self.rows if r.assignment.target_quantity is None)

    @property
    def sums(self) -> bool:
        """Whether the shares add up to the city's figure (a city total); a rate's targets do not."""
        return self.measure.target_basis == Measure.TargetBasis.CITY_TOTAL

    @property
    def unallocated(self) -> Decimal | None:
        """The city total less the shares set (negative when the shares exceed it)."""
        if not self.sums or self.measure.quantity is None:
            return None
        return self.measure.quantity - self.total

    @property
    def excess(self) -> Decimal | None:
        """How far the shares exceed the city total, when they do."""
        rest = self.unallocated
        return -rest if rest is not None and rest < 0 else None


def share_table(measure: Measure) -> ShareTable:
    assignments = list(
        Assignment.objects.filter(measure=measure)
        .exclude(area__kind=Area.Kind.CITY)
        .select_related("area")
        .order_by("area__sort_order", "area__code")
    )
    history = Assignment.history.model.objects.filter(id__in=[a.pk for a in assignments]).select_related("history_user")
    latest: dict[int, Any] = {}
    for record in history.order_by("id", "-history_date", "-history_id"):
        latest.setdefault(record.id, record)
    return ShareTable(measure=measure, rows=[ShareRow(a, latest.get(a.pk)) for a in assignments])


# --------------------------------------------------------------------------- numbers per period


@dataclass(frozen=True)
class PeriodCell:
    area: Area
    value: Decimal | None
    meets: bool | None
    state: str


@dataclass(frozen=True)
class PeriodTable:
    measure: Measure
    periods: list[str]
    areas: list[Area]
    cells: dict[tuple[str, int], PeriodCell]
    city: dict[str, Decimal | None]
    city_meets: dict[str, bool | None]

    def cell(self, period: str, area: Area) -> PeriodCell | None:
        return self.cells.get((period, area.pk))

    def rows(self) -> list[tuple[Area, list[PeriodCell | None]]]:
        return [(area, [self.cells.get((p, area.pk)) for p in self.periods]) for area in self.areas]


def meets_limit(value: Decimal | None, measure: Measure, target: Decimal | None) -> bool | None:
    """Whether a reported number satisfies ``target`` in the measure's sense (不高于 / 不低于); None when
    not judged. ``target`` is the area's own (its share, or the plan's figure for every area) or, for the
    city, the plan's: a scope threshold is never a target, so it never colours a value."""
    if value is None or target is None or not measure.comparison:
        return None
    if measure.comparison == Measure.Comparison.AT_MOST:
        return value <= target
    if measure.comparison == Measure.Comparison.AT_LEAST:
        return value >= target
    return None


def city_figure(measure: Measure, approved: list[Decimal]) -> Decimal | None:
    """The city's figure of a period from the areas' approved figures: their sum for a city total split into
    shares, else their unweighted mean (a rate or average the plan sets for the city)."""
    if not approved:
        return None
    total = sum(approved, Decimal(0))
    if measure.target_basis == Measure.TargetBasis.CITY_TOTAL:
        return total
    return round_decimal(Fraction(total) / len(approved), 2)  # GB/T 8170, on the exact mean


def periodic_measures(plan: Plan) -> QuerySet[Measure]:
    """The plan's measures reported per month or per year."""
    return (
        Measure.objects.filter(plan=plan)
        .exclude(report_period=Measure.ReportPeriod.ONCE)
        .order_by("sort_order", "code")
    )


def periodic_latest_years(plan: Plan, user: AbstractBaseUser | AnonymousUser) -> dict[int, int]:
    """Measure id -> the latest year in which the reader can see a number reported on it (the page opens on
    a measure and a year with numbers)."""
    latest = (
        visible_submissions(user)
        .filter(assignment__measure__plan=plan, progress_value__isnull=False)
        .exclude(period="")
        .values("assignment__measure_id")
        .annotate(last=Max("period"))
    )
    return {row["assignment__measure_id"]: int(row["last"][:4]) for row in latest.order_by()}


def period_table(measure: Measure, user: AbstractBaseUser | AnonymousUser, *, year: int) -> PeriodTable:
    """Reported numbers of a monthly/yearly measure in ``year``, per area and for the city.

    Counties' figures are their own submitted or approved numbers (drafts are not reported yet), each
    judged against that county's own target. The city figure is the city's own approved report where the
    city is assigned the measure (a city statistic), else ``city_figure`` of the approved county figures,
    judged against the plan's city target.
    """
    prefix = str(year)
    subs = (
        visible_submissions(user)
        .filter(assignment__measure=measure, period__startswith=prefix)
        .exclude(state=ReviewState.DRAFT)
    )
    if measure.report_period == Measure.ReportPeriod.MONTH:
        periods = [f"{year}-{m:02d}" for m in range(1, 13)]
    else:
        periods = [prefix]
    # The areas' rows, in one query; the city has its own row below them (its report, or their figure).
    areas = list(
        Area.objects.filter(assignments__in=visible_assignments(user).filter(measure=measure))
        .exclude(kind=Area.Kind.CITY)
        .order_by("sort_order", "code")
    )
    cells: dict[tuple[str, int], PeriodCell] = {}
    approved: dict[str, list[Decimal]] = {p: [] for p in periods}
    city_reported: dict[str, Decimal] = {}
    for sub in subs.select_related("assignment__area"):
        area = sub.assignment.area
        cells[(sub.period, area.pk)] = PeriodCell(
            area=area,
            value=sub.progress_value,
            meets=meets_limit(sub.progress_value, measure, sub.assignment.target_quantity),
            state=sub.state,
        )
        if sub.state != ReviewState.APPROVED or sub.progress_value is None or sub.period not in approved:
            continue
        if area.is_city:
            city_reported[sub.period] = sub.progress_value
        else:
            approved[sub.period].append(sub.progress_value)
    city = {p: city_reported.get(p, city_figure(measure, values)) for p, values in approved.items()}
    return PeriodTable(
        measure=measure,
        periods=periods,
        areas=areas,
        cells=cells,
        city=city,
        city_meets={p: meets_limit(v, measure, measure.quantity) for p, v in city.items()},
    )


# --------------------------------------------------------------------------- key projects


def _counted_reductions(plan: Plan) -> QuerySet[ReductionProject]:
    """The plan's key projects whose verified tonnes count: approved, taking effect within its period."""
    return ReductionProject.objects.filter(
        plan=plan,
        state=ReviewState.APPROVED,
        verified_tonnes__isnull=False,
        effective_on__year__gte=plan.start_year,
        effective_on__year__lte=plan.end_year,
    )


def reduction_totals(
    *, plan: Plan, year: int | None = None, through_year: int | None = None
) -> dict[tuple[str, str], Decimal]:
    """A plan's approved verified reductions in tonnes by (area code, pollutant) — pollutant 'nox' or 'vocs'.

    Counts only the plan's key projects the bureau approved, in the year their reduction takes effect
    (``effective_on``), within the plan's period: only ``year`` when given, only up to ``through_year``
    (cumulative) when given, else all its years. Areas are the projects' own (counties and zones); the
    city's progress on its NOx / VOCs targets is the sum over areas (see ``reduction_city_totals``).
    """
    qs = _counted_reductions(plan)
    if year is not None:
        qs = qs.filter(effective_on__year=year)
    if through_year is not None:
        qs = qs.filter(effective_on__year__lte=through_year)
    rows = qs.values("area__code", "pollutant").annotate(total=Sum("verified_tonnes")).order_by()
    return {(row["area__code"], row["pollutant"]): row["total"] for row in rows}


def reduction_city_totals(*, plan: Plan, year: int | None = None) -> dict[str, Decimal]:
    """The city's approved verified reductions of a plan in tonnes, by pollutant ('nox', 'vocs'); zero when none."""
    totals = {p.value: Decimal(0) for p in ReductionProject.Pollutant}
    for (_area, pollutant), tonnes in reduction_totals(plan=plan, year=year).items():
        totals[pollutant] += tonnes
    return totals


@dataclass(frozen=True)
class ReductionRow:
    area: Area
    year: int
    nox: Decimal
    vocs: Decimal


def reduction_table(plan: Plan, user: AbstractBaseUser | AnonymousUser) -> list[ReductionRow]:
    """A plan's approved verified tonnes by area and the year they take effect: every area's for bureau
    staff, the user's own area's for anyone else (the city's totals are public; another county's are not)."""
    counted = _counted_reductions(plan)
    if not is_bureau_staff(user):
        counted = counted.filter(area_id__in=_area_ids(user))
    rows = counted.values("area", "effective_on__year", "pollutant").annotate(total=Sum("verified_tonnes")).order_by()
    areas = {a.pk: a for a in Area.objects.all()}
    table: dict[tuple[int, int], dict[str, Decimal]] = {}
    for row in rows:
        table.setdefault((row["area"], row["effective_on__year"]), {})[row["pollutant"]] = row["total"]
    return sorted(
        (
            ReductionRow(area=areas[a], year=y, nox=v.get("nox", Decimal(0)), vocs=v.get("vocs", Decimal(0)))
            for (a, y), v in table.items()
        ),
        key=lambda r: (r.area.sort_order, r.area.code, r.year),
    )


# --------------------------------------------------------------------------- completion (for scoring and the public)


@dataclass(frozen=True)
class CompletionShare:
    """An area's deadline-bound assignments due in a year by a date, and how many were approved on time."""

    due: int
    approved_on_time: int

    @property
    def share(self) -> Decimal | None:
        """approved_on_time / due as a fraction 0-1 (4 decimals); None when nothing was due."""
        if self.due == 0:
            return None
        return round_decimal(Fraction(self.approved_on_time, self.due), 4)


def _on_time(submission: Submission, due: date, *, as_of: date) -> bool:
    done_on = completion_date(submission)
    return (
        submission.state == ReviewState.APPROVED
        and done_on is not None
        and submission.reviewed_at is not None
        and done_on <= due
        and timezone.localdate(submission.reviewed_at) <= as_of
    )


def measure_completion_by_area(*, year: int, as_of: date) -> dict[str, CompletionShare]:
    """For each area with work due in ``year`` on or before ``as_of``: items due, and approved on time.

    One-off work is one item, due on its assignment's deadline. A recurring duty is one item for the year
    when any of its periods falls due in it by ``as_of``, on time when every such period is.

    On time: an approved completion form whose completion date (``Submission.completed_on``, from its
    evidence) is no later than the due date, so a record filled in afterwards is judged by when the work
    was done; a form without one (stored before the field existed, or a duty's report) by the day it was
    submitted (China date). The approval itself must have happened by ``as_of``.
    """
    approved = Submission.objects.filter(state=ReviewState.APPROVED)
    one_off = (
        Assignment.objects.filter(deadline__year=year, deadline__lte=as_of, measure__report_period="once")
        .select_related("area")
        .prefetch_related(Prefetch("submissions", queryset=approved))
    )
    counts: dict[str, list[int]] = {}
    for assignment in one_off:
        entry = counts.setdefault(assignment.area.code, [0, 0])
        entry[0] += 1
        assert assignment.deadline is not None
        entry[1] += int(any(_on_time(s, assignment.deadline, as_of=as_of) for s in assignment.submissions.all()))
    duties = (
        Assignment.objects.exclude(measure__report_period="once")
        .filter(measure__plan__start_year__lte=year, measure__plan__end_year__gte=year - 1)
        .select_related("area", "measure__plan")
        .prefetch_related(Prefetch("submissions", queryset=approved))
    )
    for assignment in duties:
        due = [p for p in assignment.measure.owed_periods() if p.due.year == year and p.due <= as_of]
        if not due:
            continue
        forms = {s.period: s for s in assignment.submissions.all()}
        entry = counts.setdefault(assignment.area.code, [0, 0])
        entry[0] += 1
        entry[1] += int(all(p.key in forms and _on_time(forms[p.key], p.due, as_of=as_of) for p in due))
    return {code: CompletionShare(due=due, approved_on_time=done) for code, (due, done) in counts.items()}


@dataclass(frozen=True)
class CompletedCount:
    """How many measures are done, for the public page."""

    assignments_approved: int
    assignments_total: int
    measures_completed: int
    """Measures whose every assignment has an approved completion form."""
    measures_total: int


def completed_measures_count(plan: Plan) -> CompletedCount:
    """A plan's approved assignments, and its measures whose every assignment has an approved completion form."""
    approved = set(
        Submission.objects.filter(state=ReviewState.APPROVED, assignment__measure__plan=plan)
        .values_list("assignment_id", flat=True)
        .distinct()
    )
    per_measure: dict[int, list[int]] = {}
    for pk, measure_id in Assignment.objects.filter(measure__plan=plan).values_list("pk", "measure_id"):
        entry = per_measure.setdefault(measure_id, [0, 0])
        entry[0] += 1
        entry[1] += int(pk in approved)
    return CompletedCount(
        assignments_approved=sum(done for _total, done in per_measure.values()),
        assignments_total=sum(total for total, _done in per_measure.values()),
        measures_completed=sum(1 for total, done in per_measure.values() if total == done),
        measures_total=Measure.objects.filter(plan=plan).count(),
    )


def outcome_counts(plan: Plan) -> dict[str, int]:
    """How many of the plan's assignments its close-out gave each outcome (measures.models.Outcome)."""
    rows = Assignment.objects.filter(measure__plan=plan).exclude(outcome="").values("outcome").annotate(n=Count("pk"))
    return {row["outcome"]: row["n"] for row in rows.order_by()}


@dataclass(frozen=True)
class WorkTally:
    """An area's work that fell due by a day: one-off tasks by their deadline and each period of a duty by
    its due date, counted as done on time, done late or not done: judged by the date the work was done (the
    form's completion date) and only once its form is approved, whenever that was."""

    due: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def not_done(self) -> int:
        return self.due - self.on_time - self.late


def work_tally(plan: Plan, *, as_of: date) -> dict[str, WorkTally]:
    """Area code -> its ``WorkTally`` for the plan's work due by ``as_of`` (the areas' own work; a
    department's city-wide reports are the city's)."""
    approved = Submission.objects.filter(state=ReviewState.APPROVED)
    assignments = (
        Assignment.objects.filter(measure__plan=plan, department__isnull=True)
        .select_related("area", "measure__plan")
        .prefetch_related(Prefetch("submissions", queryset=approved))
    )
    counts: dict[str, list[int]] = {}
    for assignment in assignments:
        forms = list(assignment.submissions.all())
        if assignment.measure.report_period == Measure.ReportPeriod.ONCE:
            items = [(assignment.deadline, forms)] if assignment.deadline and assignment.deadline <= as_of else []
        else:
            by_period = {s.period: s for s in forms}
            items = [
                (p.due, [by_period[p.key]] if p.key in by_period else [])
                for p in assignment.measure.owed_periods()
                if p.due <= as_of
            ]
        entry = counts.setdefault(assignment.area.code, [0, 0, 0])
        for due, done in items:
            entry[0] += 1
            finished = [d for s in done if (d := completion_date(s)) is not None and d <= as_of]
            if any(d <= due for d in finished):
                entry[1] += 1
            elif finished:
                entry[2] += 1
    return {code: WorkTally(due=d, on_time=o, late=late) for code, (d, o, late) in counts.items()}


# =========================================================================== the measures in public
# What the public sees of the work: each measure's assignments with their deadline and where they stand,
# judged by approved completion forms only. A draft, a form under review or a returned one is never shown,
# nor any evidence file: of an approved form only what the bureau accepted (its narrative, figure and
# completion date).


class PublicStatus:
    DONE = "done"
    OVERDUE = "overdue"
    OPEN = "open"
    CLOSED_UNFINISHED = "closed"

    LABELS = {
        DONE: _("已完成"),
        OVERDUE: _("逾期未完成"),
        OPEN: _("未到期"),
        CLOSED_UNFINISHED: _("计划期满未完成"),
    }


@dataclass(frozen=True)
class PublicAssignment:
    row: AssignmentRow

    @property
    def assignment(self) -> Assignment:
        return self.row.assignment

    @property
    def approved(self) -> Submission | None:
        """The latest approved completion form (the rows are read from approved forms only)."""
        return self.row.latest

    @property
    def status(self) -> str:
        if self.row.is_done:
            return PublicStatus.DONE
        if self.row.plan_closed:
            return PublicStatus.CLOSED_UNFINISHED
        if self.row.deadline.is_overdue:
            return PublicStatus.OVERDUE
        return PublicStatus.OPEN

    @property
    def status_label(self) -> str:
        if self.status == PublicStatus.CLOSED_UNFINISHED and self.assignment.outcome:
            return str(self.assignment.get_outcome_display())
        return str(PublicStatus.LABELS[self.status])


@dataclass(frozen=True)
class PublicMeasure:
    measure: Measure
    assignments: list[PublicAssignment]

    @property
    def done(self) -> int:
        return sum(1 for a in self.assignments if a.status == PublicStatus.DONE)


@dataclass(frozen=True)
class PublicFilters:
    area: str = ""
    chapter: int | None = None
    status: str = ""
    text: str = ""


def public_measures(plan: Plan, filters: PublicFilters, *, today: date | None = None) -> list[PublicMeasure]:
    """The plan's measures in plan order, each with its assignments (to the chosen area only, if one is
    chosen); a status keeps the measures with an assignment in it and shows only those assignments; the text
    is looked for in code, title (both languages) and the plan's wording."""
    measures = plan_measures(plan)
    if filters.chapter is not None:
        measures = measures.filter(section__chapter__number=filters.chapter)
    if filters.text:
        measures = measures.filter(
            Q(code__iexact=filters.text)
            | Q(title__icontains=filters.text)
            | Q(title_en__icontains=filters.text)
            | Q(source_text__icontains=filters.text)
        )
    assignments = Assignment.objects.filter(measure__in=measures).select_related("area", "department")
    if filters.area:
        assignments = assignments.filter(area__code=filters.area)
    approved = Submission.objects.filter(state=ReviewState.APPROVED)
    by_measure: dict[int, list[PublicAssignment]] = {}
    for row in assignment_rows(assignments, today=today, submissions=approved):
        shown = PublicAssignment(row)
        if not filters.status or shown.status == filters.status:
            by_measure.setdefault(row.assignment.measure_id, []).append(shown)
    for shown_rows in by_measure.values():
        shown_rows.sort(key=lambda a: (a.assignment.area.sort_order, a.assignment.area.code, a.assignment.pk))
    listed = [PublicMeasure(measure, by_measure.get(measure.pk, [])) for measure in measures]
    if filters.area or filters.status:
        listed = [m for m in listed if m.assignments]
    return listed
