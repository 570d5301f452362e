"""Monitoring pages for bureau staff: upload with a live progress bar, ingest runs, data quality."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as gettext_now

from areas.exports import Table, table_response
from areas.forms import errors_to_form
from areas.models import Area
from areas.roles import bureau_staff_required

from . import formats, selectors, services, services_dustfall, tasks
from .file_import import FileRefused
from .forms import AssessmentStationsForm, DustDayForm, DustDayUnmarkForm, IngestUploadForm
from .models import IngestRun, RejectedRow

# A month's dust-fall file is a few dozen rows; a megabyte is far more than any real one.
DUST_FALL_MAX_BYTES = 1024 * 1024
# A registry row is under 200 bytes: a megabyte holds every station of a province.
STATION_REGISTRY_MAX_BYTES = 1024 * 1024

ImportResult = TypeVar("ImportResult")


@bureau_staff_required
def ingest_upload(request: HttpRequest) -> HttpResponse:
    form = IngestUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.ingest_run_create(
                content=upload,  # streamed from Django's spooled upload, never read whole here
                file_name=upload.name,
                source=IngestRun.Source.UPLOAD,
                started_by=request.user,
                flavour=form.cleaned_data["flavour"],
            )
        except services.StoredFileError as error:
            form.add_error("file", str(error))
            status = 503
        else:
            tasks.ingest_file_enqueue(run)
            return redirect("monitoring:run-detail", pk=run.pk)
    context = {"form": form, "runs": selectors.ingest_run_list(limit=10)}
    return render(request, "monitoring/ingest_upload.html", context, status=status)


@bureau_staff_required
def ingest_run_list(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/ingest_run_list.html", {"runs": selectors.ingest_run_list(limit=200)})


@bureau_staff_required
def ingest_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(IngestRun.objects.select_related("started_by"), pk=pk)
    context = {
        "run": run,
        "progress": selectors.ingest_run_progress(run),
        "rejected_preview": run.rejected_rows.all()[:50],
    }
    return render(request, "monitoring/ingest_run_detail.html", context)


@bureau_staff_required
def ingest_run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(IngestRun, pk=pk)
    return JsonResponse(selectors.ingest_run_progress(run))


@bureau_staff_required
def ingest_run_rejected_csv(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(IngestRun, pk=pk)
    rows = (
        [row.line, row.field, row.raw_value, row.reason, row.get_reason_display()]
        for row in RejectedRow.objects.filter(run=run).order_by("line", "id").iterator(chunk_size=5000)
    )
    header = [
        gettext_now("行号"),
        gettext_now("字段"),
        gettext_now("原始值"),
        gettext_now("原因代码"),
        gettext_now("原因"),
    ]
    table = Table(header=header, rows=rows)
    return table_response(table, fmt="csv", filename=f"ingest-{run.pk}-rejected")


@bureau_staff_required
def data_quality(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        month = date.fromisoformat(request.GET["month"] + "-01") if request.GET.get("month") else today.replace(day=1)
    except ValueError as exc:
        raise Http404(gettext_now("月份格式应为 YYYY-MM。")) from exc
    if not formats.FIRST_YEAR <= month.year <= formats.LAST_YEAR:
        raise Http404(gettext_now("没有 %(year)d 年的监测数据。") % {"year": month.year})
    context = {
        "month": month,
        "capture": selectors.data_capture(year=month.year, month=month.month),
        "pollutant_labels": list(selectors.POLLUTANT_LABELS.values()),
        "flagged": selectors.flagged_observations(limit=100),
        "stale": selectors.stale_stations(),
        "stale_hours": settings.MONITORING_STALE_AFTER_HOURS,
        "runs": selectors.ingest_run_list(limit=10),
    }
    return render(request, "monitoring/data_quality.html", context)


@bureau_staff_required
def dust_days(request: HttpRequest) -> HttpResponse:
    """Journey 2: bureau staff mark or unmark a dust-storm day, for the city or one assessment unit; the
    period results it touches are recomputed."""
    form = DustDayForm(request.POST if request.POST.get("action") == "mark" else None)
    if request.method == "POST":
        if request.POST.get("action") == "unmark":
            unmark = DustDayUnmarkForm(request.POST)
            if unmark.is_valid():
                day, area = unmark.cleaned_data["date"], unmark.cleaned_data["area"]
                if services.dust_day_unmark(day=day, area=area, dispatch=tasks.results_plan_enqueue):
                    message = gettext_now("已取消 %(day)s 的沙尘标记（%(scope)s），正在重新计算该年统计。")
                    messages.success(request, message % _dust_words(day, area))
                return redirect("monitoring:dust-days")
        elif form.is_valid():
            try:
                mark = services.dust_day_mark(
                    day=form.cleaned_data["date"],
                    area=form.cleaned_data["area"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                    dispatch=tasks.results_plan_enqueue,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                message = gettext_now("已标记 %(day)s 为沙尘天气日（%(scope)s），正在重新计算该年统计。")
                messages.success(request, message % _dust_words(mark.date, mark.area))
                return redirect("monitoring:dust-days")
    return render(request, "monitoring/dust_days.html", {"form": form, "days": selectors.dust_day_list()})


def _dust_words(day: date, area: Area | None) -> dict[str, str]:
    """The day and the mark's scope (the city, or the unit) of a dust-mark message."""
    return {"day": day.isoformat(), "scope": gettext_now("全市") if area is None else str(area.localized_name)}


@bureau_staff_required
def assessment_stations(request: HttpRequest) -> HttpResponse:
    """Which stations assess each area (aqi-rules §4), with a link to change an area's."""
    return render(request, "monitoring/assessment_stations.html", {"table": selectors.assessment_table()})


@bureau_staff_required
def assessment_stations_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The bureau sets which stations assess one area, with a reason; its figures are recomputed."""
    area = get_object_or_404(Area, code=code)
    label = gettext_now("%(code)s %(name)s（%(network)s，%(area)s）")
    choices = [
        (
            s.code,
            label % {"code": s.code, "name": s.name, "network": s.get_network_display(), "area": s.area.localized_name},
        )
        for s in selectors.assessable_stations()
    ]
    current = [s.code for s in selectors.assessment_stations(code)]
    form = AssessmentStationsForm(request.POST or None, choices=choices, initial={"stations": current})
    if request.method == "POST" and form.is_valid():
        try:
            change = services.assessment_stations_set(
                area=area,
                station_codes=form.cleaned_data["stations"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                dispatch=tasks.results_plan_enqueue,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if change.added or change.removed:
                messages.success(
                    request,
                    gettext_now("已调整%(area)s的评价站点，正在重新计算该区域的统计。") % {"area": area.localized_name},
                )
            else:
                messages.info(request, gettext_now("评价站点没有变化。"))
            return redirect("monitoring:assessment-stations")
    context = {"area": area, "form": form, "history": selectors.assessment_history(area)}
    return render(request, "monitoring/assessment_stations_edit.html", context, status=400 if form.errors else 200)


def _small_file_import(
    request: HttpRequest,
    importer: Callable[[bytes], ImportResult],
    *,
    max_bytes: int,
    missing: str,
    too_large: str,
) -> tuple[ImportResult | None, list[str]]:
    """The posted ``file`` through ``importer`` (all or nothing): its result, or None and the errors to show
    (no file, a file past ``max_bytes``, or every bad line the importer named)."""
    upload = request.FILES.get("file")
    if upload is None:
        return None, [missing]
    if upload.size is not None and upload.size > max_bytes:
        return None, [too_large]
    try:
        return importer(upload.read()), []
    except FileRefused as refused:
        return None, refused.errors


@bureau_staff_required
def station_registry(request: HttpRequest) -> HttpResponse:
    """The station registry: every registered station, and a registry CSV to create or update stations by code
    (all or nothing, each bad line named; docs/interfaces.md §1)."""
    errors: list[str] = []
    if request.method == "POST":
        result, errors = _small_file_import(
            request,
            lambda content: services.stations_import(content=content),
            max_bytes=STATION_REGISTRY_MAX_BYTES,
            missing=gettext_now("请选择站点登记文件（CSV）。"),
            too_large=gettext_now("文件过大：站点登记文件不超过 1 MB。"),
        )
        if result is not None:
            messages.success(
                request,
                gettext_now("已导入站点登记：新增 %(created)s 个、更新 %(updated)s 个、未变 %(unchanged)s 个。")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return redirect("monitoring:stations")
    context = {"errors": errors, "stations": selectors.station_list().order_by("area__code", "code")}
    return render(request, "monitoring/station_registry.html", context, status=400 if errors else 200)


@bureau_staff_required
def dust_fall(request: HttpRequest) -> HttpResponse:
    """The monthly dust-fall values: upload the monitoring station's CSV (all or nothing, each bad row named),
    see the latest months' values."""
    errors: list[str] = []
    if request.method == "POST":
        result, errors = _small_file_import(
            request,
            lambda content: services_dustfall.dust_fall_import(content=content),
            max_bytes=DUST_FALL_MAX_BYTES,
            missing=gettext_now("请选择降尘数据文件（CSV）。"),
            too_large=gettext_now("文件过大：降尘数据文件不超过 1 MB。"),
        )
        if result is not None:
            messages.success(
                request,
                gettext_now(
                    "已导入：新增点位 %(points)s 个，新增 %(created)s 条、更新 %(updated)s 条、未变 %(unchanged)s 条。"
                )
                % {
                    "points": result.points_created,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("monitoring:dust-fall")
    context = {"errors": errors, "values": selectors.dust_fall_latest()}
    return render(request, "monitoring/dust_fall.html", context, status=400 if errors else 200)
