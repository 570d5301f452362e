"""Pages of progress against the plan: the public home and plan pages, the dashboard, county pages, exports.

Progress pages read stored runs (progress.services.scores_recompute); nothing is computed on request.
The public sees published runs; bureau staff see the latest run; a county official sees the latest
run for their own county and published runs elsewhere (areas/roles.py).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from areas import roles
from areas import selectors as area_selectors
from areas.exports import table_response
from areas.models import Area
from areas.page_cache import public_page
from measures.models import Measure, Outcome
from measures.selectors import completed_measures_count, measure_counts_by_chapter, outcome_counts
from measures.services_closeout import OutcomeChoice, unfinished_assignments
from monitoring import selectors as monitoring_selectors
from monitoring import standards
from monitoring.aqi import EDITION_2012, EDITION_2026, daily_aqi
from monitoring.categories import category_name, category_names
from targets import selectors as plan_selectors
from targets.models import Plan

from . import area_map as area_maps
from . import attainment as attainment_selectors
from . import charts, closeout, exports, scoring, selectors, services, services_documents, tasks
from .documents import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE
from .figure_names import figure_heading
from .models import Document, ScoreRun


def _int_param(request: HttpRequest, name: str, *, low: int, high: int) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


def _charts(page: selectors.ProgressPage) -> dict[str, Any]:
    """Plotly charts (JSON) of a progress page."""
    indicators = plan_selectors.indicators_by_code()
    built: dict[str, Any] = {}
    for code, points in page.trajectories.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        built[f"trajectory-{code}"] = charts.trajectory_chart(
            years=[p.year for p in points],
            actual=[None if p.actual is None else float(p.actual) for p in points],
            milestones=[None if p.milestone is None else float(p.milestone) for p in points],
            labels=charts.Labels(
                title=f"{capfirst(indicator.localized_name)} ({indicator.unit})",
                actual=gettext_now("实际值"),
                milestone=gettext_now("年度目标"),
                unit=indicator.unit,
                x_title=gettext_now("年份"),
            ),
        )
    as_of = page.run.as_of if page.run is not None else None
    # The month the figures stop inside (they run to as_of, not to its month's end) is drawn as partial.
    partial = as_of.month if as_of and (as_of + timedelta(days=1)).day != 1 and as_of.year == page.year else None
    for code, rows in page.monthly.items():
        title = capfirst(indicators[code].localized_name) if code in indicators else gettext_now("综合指数")
        built[f"monthly-{code}"] = charts.monthly_chart(
            partial_month=partial,
            partial_label=gettext_now("至 %(day)s，月份未完") % {"day": as_of.isoformat()} if as_of else "",
            months=[s.month for s in rows],
            this_year=[None if s.actual is None else float(s.actual) for s in rows],
            last_year=[None if v is None else float(v) for v in page.monthly_last_year.get(code, [])],
            labels=charts.Labels(
                title=title,
                actual=f"{page.year}",
                milestone="",
                last_year=f"{(page.year or 0) - 1}"
                + (gettext_now("（按今年标准）") if page.run is not None and page.run.last_year_restated else ""),
                unit=indicators[code].unit if code in indicators else "",
                x_title=gettext_now("月份"),
            ),
        )
    return built


def _progress_context(page: selectors.ProgressPage, *, with_map: bool = False) -> dict[str, Any]:
    """What every progress page shows; ``with_map``: the city map too (the public page and the dashboard)."""
    page_charts = _charts(page)
    shown_map = area_maps.area_map(page.run) if with_map and page.area.is_city else None
    if shown_map is not None:
        page_charts["area-map"] = shown_map.chart
    return {
        "page": page,
        "charts": page_charts,
        "status_labels": dict(selectors.STATUS_LABELS),
        "area_map": shown_map,
    }


def _aims(year: int | None, *, public: bool) -> dict[str, Any] | None:
    """The plan's long-range aims as the dashboard tracks them: units attaining the standard in force this
    year (2035: all of them) and whether ozone is still rising."""
    page = attainment_selectors.attainment_page(year=year, public=public)
    if page.run is None:
        return None
    ozone = next((item.trend for item in page.trends if item.code == "o3_8h_p90"), None)
    return {
        "year": page.year,
        "attaining": page.units_attaining,
        "units": len(page.units),
        "provisional": page.provisional,
        "ozone": str(ozone.direction) if ozone else "",
        "ozone_years": len(ozone.years) if ozone else 0,
    }


def _shown(request: HttpRequest) -> ScoreRun | None:
    """The publication ``?run=`` asks for, shown as it was (404 for a run that is not one)."""
    pk = _int_param(request, "run", low=1, high=2**31 - 1)
    if pk is None:
        return None
    shown = selectors.publication(pk)
    if shown is None:
        raise Http404
    return shown


@public_page()
def home(request: HttpRequest) -> HttpResponse:
    """The public summary page: no login, published figures only (kept whole for anonymous visitors until the
    data change: areas/page_cache.py); with ``?run=`` a past publication as it was, beside the current figures."""
    shown = _shown(request)
    city = area_selectors.city_area()
    page = selectors.progress_page(area=city, year=None, public=True, shown=shown) if city is not None else None
    # The plan the shown year is measured against, else the latest plan.
    plan = page.trend_plan if page is not None else plan_selectors.current_plan()
    latest = (
        monitoring_selectors.latest_area_day(city, up_to=timezone.localdate() - timedelta(days=1)) if city else None
    )
    context = {
        "plan": plan,
        "target_rows": plan_selectors.target_rows(plan) if plan else [],
        "plan_years": plan_selectors.plan_years(plan) if plan else [],
        "measure_counts": measure_counts_by_chapter(plan) if plan else [],
        "completed": completed_measures_count(plan) if plan else None,
        "latest_day": latest,
        "latest_category": category_name(latest.category) if latest and latest.category else "",
    }
    if page is not None:
        context |= _progress_context(page, with_map=True)
        context["previous_result"] = selectors.final_result(selectors.previous_plan(page), public=True)
        context["aims"] = _aims(page.year, public=True)
    return render(request, "progress/home.html", context)


def _years_by_plan(years: list[int]) -> list[tuple[Plan | None, list[int]]]:
    """The year selector's groups: each plan's years with figures (latest first), and the years no plan covers."""
    governing = plan_selectors.plans_for_years(years)
    groups: dict[int | None, tuple[Plan | None, list[int]]] = {}
    for year in years:
        plan = governing[year]
        groups.setdefault(plan.pk if plan else None, (plan, []))[1].append(year)
    return list(groups.values())


def _without(request: HttpRequest, name: str) -> str:
    """The page's query string without one parameter (links that change only that parameter)."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


def dashboard(request: HttpRequest) -> HttpResponse:
    """The bureau dashboard: city or county figures, league table, calendar, trends; filters in the query."""
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    own = roles.official_area(request.user)
    if not roles.is_bureau_staff(request.user):
        if own is None:
            raise PermissionDenied
        return redirect("progress:county", code=own.code)
    areas = area_selectors.ranked_areas()
    city = area_selectors.city_area()
    if city is None:
        return render(request, "progress/dashboard.html", {"plan": None})
    area = next((a for a in areas if a.code == request.GET.get("area")), city)
    month = _int_param(request, "month", low=1, high=12) or 0
    year = _int_param(request, "year", low=2000, high=2100)
    # ?plan=CODE without a year opens the plan at its latest year with figures.
    chosen = plan_selectors.plan_by_code(request.GET.get("plan", "")) if request.GET.get("plan") else None
    if chosen is not None and year is None:
        year = selectors.latest_year(public=False, plan=chosen)
    group = area_selectors.ranking_group(request.GET.get("group"))
    page = selectors.progress_page(area=area, year=year, public=False, month=month, group=group, shown=_shown(request))
    calendar_code = request.GET.get("calendar") or area.code
    calendar_year = _int_param(request, "calendar_year", low=2000, high=2100) or page.year
    plan = page.trend_plan
    context = _progress_context(page, with_map=True) | {
        "plan": plan,
        "years_by_plan": _years_by_plan(page.years),
        "target_rows": plan_selectors.target_rows(plan, area=area) if plan else [],
        "plan_years": plan_selectors.plan_years(plan) if plan else [],
        "areas": areas,
        "month": month,
        "months": range(1, 13),
        "stations": selectors.calendar_stations(),
        "calendar_code": calendar_code,
        "calendar_year": calendar_year,
        "completed": completed_measures_count(plan) if plan else None,
        "unpublished": page.run is not None and page.run.published_at is None,
        "publishable": page.run is not None and not page.run.kept_for_good and page.shown is None,
        "ranking_query": _without(request, "group"),
        "aims": _aims(page.year, public=False),
    }
    # The calendar's heading names whose days it shows: an area, or a station by name and code.
    context["calendar_label"] = next((a.localized_name for a in areas if a.code == calendar_code), None) or next(
        (f"{name} ({code})" for code, name in context["stations"] if code == calendar_code), calendar_code
    )
    if calendar_year:
        context["charts"]["calendar"] = _calendar_chart(calendar_code, calendar_year)
        context["calendar_legend"] = category_names()
    return render(request, "progress/dashboard.html", context)


def _calendar_chart(code: str, year: int) -> dict[str, Any]:
    """The AQI calendar of an area or a station for a year (dashboard and county pages)."""
    days = selectors.calendar_days(code=code, year=year)
    return charts.calendar_chart(
        year=year,
        days=[day.day for day in days],
        categories=[day.category for day in days],
        aqis=[day.aqi for day in days],
        labels=charts.CalendarLabels(
            title=gettext_now("每日空气质量级别"),
            weekdays=[gettext_now(name) for name in WEEKDAY_NAMES],
            months=[gettext_now(name) for name in MONTH_NAMES],
            categories=[name for _level, name in category_names()],
            no_valid_day=gettext_now("无有效数据"),
        ),
    )


@public_page()
def county_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A county's figures and ranking; unpublished figures only for staff and the county's own officials."""
    area = get_object_or_404(Area, code=code, kind__in=Area.ASSESSMENT_UNIT_KINDS)
    year = _int_param(request, "year", low=2000, high=2100)
    page = selectors.progress_page(
        area=area,
        year=year,
        public=not selectors.sees_unpublished(request.user, area),
        shown=_shown(request),
        others_public=not roles.is_bureau_staff(request.user),
    )
    context = _progress_context(page) | {"counties": area_selectors.assessment_units()}
    if page.year is not None and page.has_stations:
        context |= {
            "calendar_code": area.code,
            "calendar_label": area.localized_name,
            "calendar_year": page.year,
            "calendar_legend": category_names(),
        }
        context["charts"]["calendar"] = _calendar_chart(area.code, page.year)
    return render(request, "progress/county_detail.html", context)


# The AQI calendar's rows and column heads (gettext_noop: translated when the page is made).
WEEKDAY_NAMES = (
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
)
MONTH_NAMES = (
    gettext_noop("1月"),
    gettext_noop("2月"),
    gettext_noop("3月"),
    gettext_noop("4月"),
    gettext_noop("5月"),
    gettext_noop("6月"),
    gettext_noop("7月"),
    gettext_noop("8月"),
    gettext_noop("9月"),
    gettext_noop("10月"),
    gettext_noop("11月"),
    gettext_noop("12月"),
)

TREND_TITLES = {"o3_8h_p90": _("臭氧（日最大 8 小时平均第 90 百分位数）"), "pm25": _("PM2.5 年均浓度")}


@public_page()
def attainment(request: HttpRequest) -> HttpResponse:
    """Which assessment units attain the standard in force, and whether ozone and PM2.5 are still rising:
    public (staff see unpublished figures too)."""
    year = _int_param(request, "year", low=2000, high=2100)
    page = attainment_selectors.attainment_page(year=year, public=not roles.is_bureau_staff(request.user))
    page_charts = {}
    for item in page.trends:
        if item.trend.years:
            page_charts[f"trend-{item.code}"] = charts.trend_chart(
                years=item.trend.years,
                values=item.trend.values,
                fitted=[item.trend.fitted(y) for y in item.trend.years],
                labels=charts.TrendLabels(
                    title=f"{TREND_TITLES[item.code]} ({item.unit})",
                    values=gettext_now("全年数值"),
                    line=gettext_now("Theil–Sen 趋势线"),
                ),
            )
    return render(request, "progress/attainment.html", {"page": page, "charts": page_charts})


@public_page()
def publications(request: HttpRequest) -> HttpResponse:
    """Every publication (发布) of the progress figures, newest first, each to be shown again as it was: public."""
    return render(request, "progress/publications.html", {"runs": selectors.publications()})


# The methodology's worked example: one day's concentrations scored under both editions (computed, not typed).
EDITION_EXAMPLE_DAY = {"so2": 10, "no2": 30, "co": 0.8, "pm10": 130, "pm25": 70, "o3_8h": 100, "o3_1h": 120}
EDITION_EXAMPLE_PERIOD = {"so2": 7, "no2": 33, "pm10": 81, "pm25": 47, "co_p95": 1.3, "o3_8h_p90": 181}
EDITION_EXAMPLE_ITEMS = (
    ("so2_24h", "SO2"),
    ("no2_24h", "NO2"),
    ("co_24h", "CO"),
    ("pm10_24h", "PM10"),
    ("pm25_24h", "PM2.5"),
    ("o3_8h", "O3 8h"),
    ("o3_1h", "O3 1h"),
)


def _edition_example() -> dict[str, Any]:
    results = {edition: daily_aqi(EDITION_EXAMPLE_DAY, edition=edition) for edition in (EDITION_2012, EDITION_2026)}
    rows = [
        (label, results[EDITION_2012].iaqi.get(item), results[EDITION_2026].iaqi.get(item))
        for item, label in EDITION_EXAMPLE_ITEMS
    ]

    def category(result: Any) -> str:
        return category_name(result.category.level)

    return {
        "old_category": category(results[EDITION_2012]),
        "new_category": category(results[EDITION_2026]),
        "day": EDITION_EXAMPLE_DAY,
        "rows": rows,
        "old": results[EDITION_2012],
        "new": results[EDITION_2026],
        "period": EDITION_EXAMPLE_PERIOD,
        "composite_old": standards.composite_index(EDITION_EXAMPLE_PERIOD, standards.GB3095_2012),
        "composite_new": standards.composite_index(EDITION_EXAMPLE_PERIOD, standards.GB3095_2026_PHASE_ONE),
    }


# The methodology's tables name score components as readers know them, not by their codes.
COMPONENT_NAMES = {
    "composite_index_rank": _("综合指数排名"),
    "pm25_rank": _("PM2.5 浓度排名"),
    "improvement_rank": _("综合指数同比改善率排名"),
    "measures_on_time": _("措施按时完成率"),
}


@public_page()
def methodology(request: HttpRequest) -> HttpResponse:
    """How every figure, status, allowance and score is computed: public."""
    context = {
        "edition_example": _edition_example(),
        "margins": [
            (figure_heading(m.indicator), m.value, _("个百分点") if m.unit == "%" else m.unit)
            for m in scoring.STATUS_MARGINS
        ],
        "weights": [(w, COMPONENT_NAMES.get(w.component, w.component)) for w in scoring.SCORE_WEIGHTS],
        "min_days": scoring.MIN_VALID_DAYS_FOR_STATUS,
        "status_labels": selectors.STATUS_LABELS,
    }
    return render(request, "progress/methodology.html", context)


@public_page()
def plan_overview(request: HttpRequest) -> HttpResponse:
    """A plan's chapters, targets and milestones as published (the current plan, or ?plan=CODE): public."""
    plan = plan_selectors.plan_chosen(request.GET.get("plan"))
    context = {
        "plan": plan,
        "plans": plan_selectors.plans_newest_first(),
        "target_rows": plan_selectors.target_rows(plan) if plan else [],
        "plan_years": plan_selectors.plan_years(plan) if plan else [],
        "chapters": plan.chapters.prefetch_related("sections") if plan else [],
    }
    return render(request, "progress/plan_overview.html", context)


@require_POST
@roles.bureau_staff_required
def target_baseline_from_figures(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(plan_selectors.targets_for_edit(), pk=pk)
    try:
        services.target_baseline_from_figures(target=target, user=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("基准值已由监测数据计算。"))
    return redirect("targets:edit", pk=pk)


@require_POST
@roles.bureau_staff_required
def score_run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ScoreRun, pk=pk)
    services.score_run_publish(run=run, user=request.user)
    messages.success(request, _("%(year)s 年进展数据已发布。") % {"year": run.year})
    return redirect("progress:dashboard")


def _visible_runs(request: HttpRequest, areas: list[Area]) -> selectors.VisibleRuns:
    visible = selectors.visible_runs(request.user, year=_int_param(request, "year", low=2000, high=2100), areas=areas)
    if visible is None:
        raise Http404(_("尚无进展数据。"))
    return visible


def progress_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The progress table (city and counties), each area's figures as the pages and the API show this user."""
    areas = area_selectors.ranked_areas()
    visible = _visible_runs(request, areas)
    progress = [item for item, _entry in selectors.visible_progress(visible, areas)]
    table = exports.progress_table(visible.shown, progress)
    return table_response(table, fmt=fmt, filename=f"progress-{visible.year}")


def ranking_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The county league table of the run the city's figures come from for this user."""
    visible = _visible_runs(request, area_selectors.ranked_areas())
    city = area_selectors.city_area()
    run = visible.by_area.get(city.pk, visible.shown) if city is not None else visible.shown
    month = _int_param(request, "month", low=1, high=12) or 0
    group = area_selectors.ranking_group(request.GET.get("group"))
    table = exports.ranking_table(run, selectors.ranking(run, month=month, group=group), month=month, group=group)
    suffix = (f"-{month:02d}" if month else "") + (f"-{group.code}" if group else "")
    return table_response(table, fmt=fmt, filename=f"ranking-{run.year}{suffix}")


@roles.bureau_staff_required
def plan_close(request: HttpRequest, code: str) -> HttpResponse:
    """Close a plan (收官): the reason, the successor, an outcome for every unfinished assignment; a closed
    plan's page shows what its close-out recorded."""
    plan = get_object_or_404(Plan, code=code)
    context: dict[str, Any] = {"plan": plan, "outcomes": Outcome.choices}
    if plan.status == Plan.Status.CLOSED:
        counts = outcome_counts(plan)
        context["outcome_counts"] = [(label, counts.get(value, 0)) for value, label in Outcome.choices]
        return render(request, "progress/plan_close.html", context)
    unfinished = unfinished_assignments(plan)
    successors = list(Plan.objects.filter(start_year__gt=plan.start_year).order_by("start_year"))
    posted = request.POST if request.method == "POST" else None
    errors: list[str] = []
    if posted is not None:
        default = posted.get("default_outcome", "")
        choices = [
            OutcomeChoice(
                measure=a.measure.code,
                area=a.area.code,
                department=a.department.name if a.department else "",
                outcome=posted.get(f"outcome-{a.pk}") or default,
                carried_to=posted.get(f"carried_to-{a.pk}", ""),
                reason=posted.get(f"reason-{a.pk}") or posted.get("default_reason", ""),
                place=f"{a.measure.code} · {a.reporter_name}",
            )
            for a in unfinished
        ]
        successor = next((p for p in successors if p.code == posted.get("successor")), None)
        try:
            closed = closeout.plan_close(
                plan=plan, reason=posted.get("reason", ""), choices=choices, successor=successor, user=request.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("%(plan)s 已收官：%(n)s 项未完成任务已记录收官结论，%(years)s 个年度的数据定为收官数据。")
                % {
                    "plan": closed.plan.localized_name,
                    "n": len(closed.outcomes),
                    "years": len(closed.figures_of_record),
                },
            )
            return redirect("progress:plan-close", code=plan.code)
    context |= {
        "rows": [
            {
                "assignment": a,
                "outcome": posted.get(f"outcome-{a.pk}", "") if posted else "",
                "carried_to": posted.get(f"carried_to-{a.pk}", "") if posted else "",
                "reason": posted.get(f"reason-{a.pk}", "") if posted else "",
            }
            for a in unfinished
        ],
        "successors": successors,
        "successor_measures": Measure.objects.filter(plan__in=successors).order_by("code").values_list("code", "title"),
        "errors": errors,
        "posted": posted or {},
    }
    return render(request, "progress/plan_close.html", context, status=400 if errors else 200)


def _document_period(kind: str, data: Any) -> tuple[int, int] | None:
    """(year, month) a document request names: YYYY-MM for a bulletin, YYYY for an evaluation (month 12)."""
    if kind == Document.Kind.EVALUATION:
        match = re.fullmatch(r"(\d{4})", data.get("year", "").strip())
        return (int(match.group(1)), 12) if match else None
    match = re.fullmatch(r"(\d{4})-(\d{2})", data.get("month", "").strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)), int(match.group(2))


@roles.bureau_staff_required
def documents(request: HttpRequest) -> HttpResponse:
    """The bureau's documents: ask for a month's bulletin (made in the background), see each one's state,
    download and publish it."""
    errors: list[str] = []
    if request.method == "POST":
        kind = request.POST.get("kind", Document.Kind.BULLETIN)
        period = _document_period(kind, request.POST)
        if period is None:
            errors = [
                gettext_now("请选择年份。")
                if kind == Document.Kind.EVALUATION
                else gettext_now("请选择月份（年-月）。")
            ]
        else:
            try:
                document = services_documents.document_request(
                    kind=kind,
                    year=period[0],
                    month=period[1],
                    language=request.POST.get("language", ""),
                    user=request.user,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                tasks.document_make_enqueue(document_id=document.pk)
                messages.success(request, _("已开始生成，完成后可在下表下载。"))
                return redirect("progress:documents")
    listed = list(Document.objects.select_related("run", "requested_by", "published_by")[:100])
    context = {
        "documents": listed,
        # While a document is being made the page reloads itself to show when it is ready.
        "making": any(d.state == Document.State.QUEUED for d in listed),
        "languages": Document.Language.choices,
        "errors": errors,
        "default_month": selectors.last_complete_month(),
        "default_year": int(selectors.last_complete_month()[:4])
        - (1 if selectors.last_complete_month()[5:] != "12" else 0),
    }
    return render(request, "progress/documents.html", context, status=400 if errors else 200)


@require_POST
@roles.bureau_staff_required
def document_publish(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    try:
        services_documents.document_publish(document=document, user=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已发布：公众可在“通报与报告”页面下载。"))
    return redirect("progress:documents")


@public_page()
def documents_public(request: HttpRequest) -> HttpResponse:
    """Published documents, newest first: no login."""
    published = Document.objects.filter(published_at__isnull=False).select_related("run")
    public = not roles.is_bureau_staff(request.user)
    revisions = selectors.document_revisions(list(published), public=public)
    rows = [(document, revisions.get(document.pk)) for document in published]
    return render(request, "progress/documents_public.html", {"rows": rows})


def document_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """A document's Word or PDF file: published ones for everyone, the others for bureau staff only."""
    documents = Document.objects.filter(state=Document.State.DONE)
    if not roles.is_bureau_staff(request.user):
        documents = documents.filter(published_at__isnull=False)
    document = get_object_or_404(documents, pk=pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    file = document.word if fmt == "docx" else document.pdf
    content_type = DOCX_CONTENT_TYPE if fmt == "docx" else PDF_CONTENT_TYPE
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=f"{document.title or document}.{fmt}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
