"""Writes to monitoring: the station registry, ingest runs and the observations they store."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from areas import page_cache
from areas.history import history_stamp
from areas.localization import join_clauses
from areas.models import Area
from areas.roles import is_bureau_staff

from . import file_results, formats, hooks, results, selectors, upsert
from .file_import import FileRefused, csv_rows
from .models import (
    POLLUTANT_BY_CODE,
    AreaDay,
    AreaPeriod,
    AssessmentStation,
    DustDay,
    Flavour,
    IngestRun,
    ObservationFlag,
    RejectedRow,
    Station,
)

logger = logging.getLogger(__name__)
NATIONAL_STATIONS_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "stations.csv"
STATION_COLUMNS = ("code", "name", "county_code", "network", "latitude", "longitude")

UNREADABLE_MESSAGES = {
    formats.Unreadable.EMPTY_FILE: _("文件为空，没有可读取的内容（%(detail)s）。"),
    formats.Unreadable.ENCODING: _("无法识别文件编码：只支持 UTF-8（可带 BOM）和 GBK（%(detail)s）。"),
    formats.Unreadable.BINARY: _("文件不是文本格式的 CSV，也不是 .xlsx 工作簿（%(detail)s）。"),
    formats.Unreadable.CORRUPT_XLSX: _("Excel 文件已损坏或不是 .xlsx 格式，无法打开（%(detail)s）。"),
    formats.Unreadable.TOO_LARGE: _("文件超出导入限制，未读取（%(detail)s）。限制见导入页面说明。"),
    formats.Unreadable.UNSUPPORTED_FORMAT: _(
        "无法从表头识别文件格式：应为长表（station_code,time,pollutant,value）、宽表（station_code,time,PM2.5,…）"
        "或 CNEMC 小时数据导出（timepoint,stationcode,…）（%(detail)s）。"
    ),
}


# --- Station registry -------------------------------------------------------------------------------


class StationImportError(FileRefused):
    """The station file has errors; nothing was imported. ``errors`` name the line of each."""


@dataclass(frozen=True)
class StationImportResult:
    created: int
    updated: int
    unchanged: int


def _field_errors(error: ValidationError) -> list[str]:
    return [f"{field} {message}" for field, messages in error.message_dict.items() for message in messages]


def _station_error(line: int, message: str) -> str:
    return gettext_now("第 %(line)d 行：%(message)s") % {"line": line, "message": message}


def stations_import(*, content: bytes) -> StationImportResult:
    """Create or update stations by code from a registry CSV (docs/interfaces.md §1); all or nothing."""
    reader, missing = csv_rows(content, STATION_COLUMNS)
    if reader is None:
        raise StationImportError([gettext_now("站点文件必须是 UTF-8 编码（可带 BOM）的 CSV 文本文件。")])
    if missing:
        raise StationImportError(
            [_station_error(1, gettext_now("表头缺少列：%(columns)s") % {"columns": ", ".join(missing)})]
        )
    counties = {area.code: area for area in Area.objects.filter(kind__in=Area.ASSESSMENT_UNIT_KINDS)}
    networks = set(Station.Network.values)
    # The English name is an optional column: a file without it leaves the stored English names as they are.
    with_english = "name_en" in (reader.fieldnames or [])
    existing = {station.code: station for station in Station.objects.all()}
    errors: list[str] = []
    seen: dict[str, int] = {}
    to_create: list[Station] = []
    to_update: list[Station] = []
    unchanged = 0
    for row in reader:
        line = reader.line_num
        values = {key: (row.get(key) or "").strip() for key in STATION_COLUMNS}
        if not any(values.values()):
            continue
        problems: list[str] = []
        if not values["code"]:
            problems.append(gettext_now("站点编码为空"))
        elif values["code"] in seen:
            problems.append(
                gettext_now("站点编码 %(code)s 与第 %(line)d 行重复")
                % {"code": values["code"], "line": seen[values["code"]]}
            )
        area = counties.get(values["county_code"])
        if area is None:
            problems.append(gettext_now("未知的县（市、区）代码 “%(code)s”") % {"code": values["county_code"]})
        if values["network"] not in networks:
            problems.append(
                gettext_now("未知的站点类别 “%(network)s”（应为 %(choices)s）")
                % {"network": values["network"], "choices": " / ".join(sorted(networks))}
            )
        coordinates: dict[str, float] = {}
        for key, limit in (("latitude", 90), ("longitude", 180)):
            try:
                number = float(values[key])
            except ValueError:
                problems.append(gettext_now("%(field)s “%(value)s” 不是数字") % {"field": key, "value": values[key]})
                continue
            if not -limit <= number <= limit:
                problems.append(gettext_now("%(field)s %(value)s 超出范围") % {"field": key, "value": values[key]})
            coordinates[key] = number
        if not values["name"]:
            problems.append(gettext_now("站点名称为空"))
        if problems:
            errors.append(_station_error(line, join_clauses(problems)))
            continue
        seen[values["code"]] = line
        fields: dict[str, Any] = {"name": values["name"], "area": area, "network": values["network"], **coordinates}
        if with_english:
            fields["name_en"] = (row.get("name_en") or "").strip()
        station = existing.get(values["code"])
        changed = station is None or any(getattr(station, key) != value for key, value in fields.items())
        if not changed:
            unchanged += 1
            continue
        if station is None:
            station = Station(code=values["code"], **fields)
        else:
            for key, value in fields.items():
                setattr(station, key, value)
        try:
            station.full_clean()
        except ValidationError as error:  # a name too long, …: the row's error, like the checks above
            errors.append(_station_error(line, join_clauses(_field_errors(error))))
            continue
        (to_update if station.pk else to_create).append(station)
    if errors:
        raise StationImportError(errors)
    with transaction.atomic():
        Station.objects.bulk_create(to_create)
        Station.objects.bulk_update(to_update, ["name", "name_en", "area", "network", "latitude", "longitude"])
        _default_memberships_create([station.code for station in to_create])
    return StationImportResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)


def _default_memberships_create(station_codes: list[str]) -> None:
    """New stations assess the areas the rule gives them (``selectors.default_assessment_areas``); a station
    already registered keeps the areas the bureau set, whatever its new network or county."""
    if not station_codes:
        return
    stations = Station.objects.select_related("area").filter(code__in=station_codes)
    areas = {area.code: area for area in Area.objects.all()}
    memberships = [
        AssessmentStation(area=areas[code], station=station)
        for station in stations
        for code in selectors.default_assessment_areas(station)
        if code in areas
    ]
    bulk_create_with_history(
        memberships, AssessmentStation, default_change_reason=gettext_noop("登记站点时按默认规则确定评价区域")
    )


def stations_load_national() -> StationImportResult:
    """Load Liaocheng's five national stations (fixtures/stations.csv); used by ``bootstrap``."""
    return stations_import(content=NATIONAL_STATIONS_FIXTURE.read_bytes())


# --- Ingest runs ------------------------------------------------------------------------------------


class StoredFileError(Exception):
    """The original file could not be written to the server's disk (full, read-only, …): no run was
    recorded and nothing of the file is left behind. The message says so, for the person uploading."""


def ingest_run_create(
    *,
    content: bytes | IO[bytes],
    file_name: str,
    source: str,
    started_by: AbstractBaseUser | None = None,
    flavour: int = Flavour.REALTIME,
) -> IngestRun:
    """Record a run and keep the original file under MEDIA_ROOT/ingest/; the run is queued, not started.

    ``content``: the bytes, or a file to stream from (an upload spooled to disk is never read into memory
    here). When the file cannot be stored, or the run not recorded, whatever was written of the file is
    removed and ``StoredFileError`` (disk) or the database error is raised.
    """
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    checksum = digest.hexdigest()
    run = IngestRun(
        file_name=Path(file_name).name[:255],
        checksum=checksum,
        source=source,
        flavour=flavour,
        started_by=started_by if started_by is not None and started_by.is_authenticated else None,
        heartbeat_at=timezone.now(),
    )
    # Stored under its checksum: a partner's file name may be longer than the file system allows (255
    # bytes) or hold any character; the name as given is kept in file_name.
    suffix = "".join(ch for ch in Path(file_name).suffix.lower()[:10] if ch.isalnum() or ch == ".")
    storage = run.file.storage
    # The name is settled before the write, so that a write that fails half-way can be removed.
    name = storage.get_available_name(
        run.file.field.generate_filename(run, f"{checksum[:32]}{suffix}"), max_length=run.file.field.max_length
    )
    try:
        run.file.name = storage.save(name, File(stream, name=name))
    except OSError as error:
        if storage.exists(name):
            storage.delete(name)
        logger.error("ingest: the original file could not be stored at %s: %s", name, error)
        raise StoredFileError(
            gettext_now("服务器无法保存上传的文件（%(reason)s），未导入任何数据；请联系系统管理员。")
            % {"reason": error.strerror or error}
        ) from error
    try:
        run.full_clean()
        run.save()
    except BaseException:
        storage.delete(run.file.name)
        raise
    return run


def _set_progress(run_id: int, claim: str, done: int) -> None:
    IngestRun.objects.filter(pk=run_id, claimed_by=claim).update(progress_done=done, heartbeat_at=timezone.now())


def _unreadable_message(error: formats.UnreadableFileError) -> str:
    template = UNREADABLE_MESSAGES.get(error.code)
    if template is None:
        return str(error)
    return str(template) % {"detail": error.detail or "-"}


def ingest_run_fail(*, run_id: int, message: str, claim: str | None = None) -> None:
    """Mark an unfinished run failed; whatever it staged is discarded (its writes were never committed).

    A run that has finished keeps its state: a fault after its commit (the recompute could not be queued, say)
    does not make stored values look lost. With ``claim``, only while that task execution still holds the run.
    """
    runs = IngestRun.objects.filter(pk=run_id, state__in=[IngestRun.State.QUEUED, IngestRun.State.RUNNING])
    if claim is not None:
        runs = runs.filter(claimed_by=claim)
    runs.update(state=IngestRun.State.FAILED, error_message=message[:2000], finished_at=timezone.now())


def _lease_expired_before(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.INGEST_RUN_LEASE_SECONDS)


def ingest_run_claim(*, run_id: int, claim: str) -> bool:
    """Take the run for the task execution ``claim`` (its Celery task id); True when taken.

    One atomic update, so that two deliveries of the run never both work on it: a queued run is free; a running
    one is taken again by the same task (a retry, or its message delivered again after the worker died) or,
    once its lease has run out with no sign of life, by any task.
    """
    now = timezone.now()
    free = (
        Q(state=IngestRun.State.QUEUED)
        | Q(state=IngestRun.State.RUNNING, claimed_by=claim)
        | Q(state=IngestRun.State.RUNNING, heartbeat_at__lt=_lease_expired_before(now))
    )
    taken = IngestRun.objects.filter(free, pk=run_id).update(
        state=IngestRun.State.RUNNING,
        claimed_by=claim,
        heartbeat_at=now,
        started_at=now,
        progress_done=0,
        progress_total=0,
        error_message="",
    )
    return bool(taken)


def _prepared_frame(parsed: formats.ParsedFile, *, flavour: int) -> pd.DataFrame:
    """Map codes to ids and small integers; set the plausibility flag. Each distinct code is looked up once."""
    station_ids = dict(Station.objects.values_list("code", "id"))
    frame = parsed.frame
    ceilings: dict[str, float] = settings.MONITORING_PLAUSIBILITY_CEILING
    s_codes, s_uniques = pd.factorize(frame["station_code"])
    p_codes, p_uniques = pd.factorize(frame["pollutant"])
    ceiling = np.array([ceilings.get(code, np.inf) for code in p_uniques], dtype=np.float64)[p_codes]
    values = frame["value"].to_numpy(dtype=np.float64)
    return pd.DataFrame(
        {
            "station_id": np.array([station_ids[code] for code in s_uniques], dtype=np.int64)[s_codes],
            "pollutant": np.array([int(POLLUTANT_BY_CODE[code]) for code in p_uniques], dtype=np.int64)[p_codes],
            "time": frame["time"],
            "value": values,
            "flavour": int(flavour),
            "flags": np.where(values > ceiling, int(ObservationFlag.ABOVE_CEILING), 0),
        },
        copy=False,  # new arrays already; consolidating millions of rows into blocks only costs memory traffic
    )


def _rejected_rows_store(*, run_id: int, rejections: tuple[formats.Rejection, ...]) -> None:
    """Store the rejected values in bulk (a file with gaps has tens of thousands of them): PostgreSQL ``COPY``,
    SQLite ``executemany``; the values are bounded to the column widths as ``RejectedRow`` defines them."""
    if not rejections:
        return
    table = RejectedRow._meta.db_table
    columns = "run_id, line, field, raw_value, reason"
    rows = [(run_id, item.line, item.field[:40], item.raw_value[:100], item.reason.value) for item in rejections]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)  # quoted: "" is not NULL
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)", rows)  # noqa: S608 - the model's table name


def ingest_run_execute(*, run_id: int, recompute: Callable[[int], None] | None, claim: str | None = None) -> IngestRun:
    """Read the run's file and upsert its values; idempotent (a finished run is returned as it is, and so is
    a run another task execution holds: ``ingest_run_claim``; ``claim`` names this one, a fresh one by default).

    ``recompute`` starts the recompute of the results the run affected: called with the run's id once the
    transaction has committed (the ingest task passes ``tasks.recompute_after_ingest_enqueue``); until it has
    been started the run says so (``recompute_pending``), and ``ingest_runs_reap`` starts it if it was lost. Without
    it the results are left alone, neither computed from the file nor recomputed after, for a caller that
    loads several files and then recomputes once (``monitoring.demo``).

    A file that cannot be read fails the run with a clear message and stores nothing. Everything the file
    changes (observations, rejected rows, counts) is committed in one transaction. Transient database or
    OS errors propagate so the task can retry.
    """
    claim = claim or uuid.uuid4().hex
    if not ingest_run_claim(run_id=run_id, claim=claim):
        return IngestRun.objects.get(pk=run_id)
    run = IngestRun.objects.get(pk=run_id)
    with run.file.open("rb") as handle:
        content = handle.read()
    known = set(Station.objects.values_list("code", flat=True))
    try:
        parsed = formats.parse_file(content, file_name=run.file_name, known_stations=known)
    except formats.UnreadableFileError as error:
        ingest_run_fail(run_id=run_id, message=_unreadable_message(error), claim=claim)
        run.refresh_from_db()
        return run
    frame = _prepared_frame(parsed, flavour=run.flavour)
    IngestRun.objects.filter(pk=run_id, claimed_by=claim).update(
        detected_format=parsed.file_format.value, encoding=parsed.encoding, progress_total=len(frame)
    )
    # Staging (or serialising the COPY of new rows) happens outside the final transaction so the progress
    # bar can move between chunks; the write itself is one statement inside it (monitoring.upsert).
    prepared = upsert.prepare(frame, run_id=run_id, on_progress=lambda done: _set_progress(run_id, claim, done))
    # When the file holds every hour of the days it touches, the results that depend only on them are computed
    # from it while the rows are copied in, and stored in the same transaction (monitoring.file_results); the
    # recompute that follows does the rest.
    planned: list[file_results.FileResults] = []

    def results_from_file(rows: pd.DataFrame) -> Callable[[], None]:
        planned.append(file_results.FileResults.plan(rows))
        return lambda: planned[0].compute(rows)

    try:
        with transaction.atomic():
            result = upsert.write(prepared, run_id=run_id, while_copying=results_from_file if recompute else None)
            if planned:
                planned[0].store()
            RejectedRow.objects.filter(run_id=run_id).delete()  # leftovers of an interrupted attempt
            _rejected_rows_store(run_id=run_id, rejections=parsed.rejections)
            codes = dict(Station.objects.filter(id__in=result.affected_days).values_list("id", "code"))
            affected = sorted(
                [codes[station_id], day.isoformat()]
                for station_id, days in result.affected_days.items()
                for day in days
            )
            finished = timezone.now()
            still_held = IngestRun.objects.filter(pk=run_id, claimed_by=claim, state=IngestRun.State.RUNNING).update(
                state=IngestRun.State.SUCCEEDED,
                finished_at=finished,
                heartbeat_at=finished,
                recompute_pending=bool(affected and recompute),
                values_read=parsed.values_read,
                values_stored=result.stored,
                values_updated=result.updated,
                values_unchanged=len(frame) - result.stored - result.updated,
                values_kept_reviewed=result.kept_reviewed,
                values_duplicate=parsed.duplicates,
                values_rejected=len(parsed.rejections),
                values_flagged=int((frame["flags"] > 0).sum()),
                skipped_unregistered=parsed.skipped_unregistered,
                progress_done=len(frame),
                affected_days=affected,
                results_stored=planned[0].stage if planned else IngestRun.ResultsStored.NONE,
            )
            if not still_held:
                # This execution's lease ran out and another took the run over: it writes the same values.
                transaction.set_rollback(True)
            elif affected and recompute:
                # robust: the values are committed whatever happens to the message; a recompute that could not
                # be queued stays pending (the run says so) and the reaper queues it again.
                transaction.on_commit(lambda: recompute(run_id), robust=True)
    finally:
        upsert.drop_staging()
    run.refresh_from_db()
    return run


@dataclass(frozen=True)
class ReapReport:
    requeued: list[int]
    failed: list[int]
    recompute_restarted: list[int]


def ingest_runs_reap(
    *,
    enqueue: Callable[[IngestRun], None],
    recompute: Callable[[int], None],
    now: datetime | None = None,
) -> ReapReport:
    """Leave no run open for good (the beat job ``tasks.ingest_runs_reap``, every few minutes).

    - A running run with no sign of life for longer than its lease: its process died (killed, the machine
      lost, the hard time limit); nothing it wrote was committed, since its writes are one transaction.
    - A queued run not taken up within the deadline: its message was lost (the broker was down, restarted
      or frozen when it was published).
    Each is queued again (``enqueue``), at most ``INGEST_MAX_REQUEUES`` times, then failed with the reason.
    A second message for a run is harmless: only one execution can claim it (``ingest_run_claim``).
    - A committed run whose recompute was not started within the deadline has it started again
      (``recompute``, idempotent).
    """
    now = now or timezone.now()
    queue_deadline = now - timedelta(seconds=settings.INGEST_QUEUE_DEADLINE_SECONDS)
    stalled = IngestRun.objects.filter(
        Q(state=IngestRun.State.RUNNING, heartbeat_at__lt=_lease_expired_before(now))
        | Q(state=IngestRun.State.QUEUED, heartbeat_at__lt=queue_deadline)
    )
    requeued: list[int] = []
    failed: list[int] = []
    for run in stalled.only("pk", "state", "heartbeat_at", "requeued"):
        # Conditional on what was read: a run that moved on meanwhile is left to its process.
        same = IngestRun.objects.filter(pk=run.pk, state=run.state, heartbeat_at=run.heartbeat_at)
        if run.requeued >= settings.INGEST_MAX_REQUEUES:
            if run.state == IngestRun.State.RUNNING:
                message = gettext_now("处理进程中断（进程被终止或超时），已重新排队 %(n)d 次仍未完成；未保存任何数据。")
            else:
                message = gettext_now(
                    "排队后未被处理（后台任务消息丢失或工作进程未运行），已重新排队 %(n)d 次；未保存任何数据。"
                )
            if same.update(
                state=IngestRun.State.FAILED,
                finished_at=now,
                error_message=message % {"n": run.requeued},
            ):
                failed.append(run.pk)
            continue
        if same.update(state=IngestRun.State.QUEUED, claimed_by="", heartbeat_at=now, requeued=run.requeued + 1):
            logger.warning("ingest run %s: %s with no sign of life; queued again", run.pk, run.state)
            enqueue(run)
            requeued.append(run.pk)
    restarted: list[int] = []
    pending = IngestRun.objects.filter(
        state=IngestRun.State.SUCCEEDED, recompute_pending=True, heartbeat_at__lt=queue_deadline
    )
    for run_id in pending.values_list("pk", flat=True):
        if IngestRun.objects.filter(pk=run_id, recompute_pending=True).update(heartbeat_at=now):
            logger.warning("ingest run %s: its recompute was not started; starting it again", run_id)
            recompute(run_id)
            restarted.append(run_id)
    return ReapReport(requeued=requeued, failed=failed, recompute_restarted=restarted)


__all__ = [
    "PlanDispatch",
    "StationImportError",
    "StationImportResult",
    "StoredFileError",
    "dust_day_mark",
    "dust_day_unmark",
    "ingest_run_claim",
    "ingest_run_create",
    "ingest_run_execute",
    "ingest_run_fail",
    "ingest_runs_reap",
    "results_changed_announce",
    "results_recompute",
    "results_recompute_for_run",
    "stations_import",
    "stations_load_national",
]


# --- Stored results and their recompute ----------------------------------------------


# Starts a recompute plan's fan-out once the current transaction commits: ``tasks.results_plan_enqueue``,
# passed in by the task, view or command that calls the service.
PlanDispatch = Callable[[results.RecomputePlan], None]


def results_recompute_for_run(*, run_id: int, dispatch: PlanDispatch) -> results.RecomputePlan:
    """Recompute what an ingest run changed: its station-days, the areas containing those stations on those
    days, and the months and years containing them. Called by ``tasks.recompute_after_ingest``."""
    plan = results.plan_for_run(run_id)
    dispatch(plan)
    IngestRun.objects.filter(pk=run_id, recompute_pending=True).update(recompute_pending=False)
    run = IngestRun.objects.filter(pk=run_id).first()
    if run is not None and run.results_stored == IngestRun.ResultsStored.ALL:
        # Every stage was stored by the ingest itself: only the progress scores of its years remain.
        years = sorted({date.fromisoformat(day).year for _, day in run.affected_days})
        if years:
            results_changed_announce(years=years)
    return plan


def results_recompute(*, dispatch: PlanDispatch, year: int | None = None) -> results.RecomputePlan:
    """Rebuild every stored result (or one year's): ``manage.py recompute`` and the nightly beat job."""
    plan = results.plan_full(year=year)
    dispatch(plan)
    return plan


def results_changed_announce(*, years: list[int]) -> None:
    """Tell the apps above (progress: the scores) which years' results changed, once the transaction commits;
    the public statistics change with them (a new data version)."""
    changed = sorted(set(years))
    page_cache.data_changed()
    transaction.on_commit(lambda: hooks.results_changed.send(sender=__name__, years=changed))


@dataclass(frozen=True)
class AssessmentChange:
    added: list[str]
    removed: list[str]


@transaction.atomic
def assessment_stations_set(
    *, area: Area, station_codes: list[str], reason: str, user: AbstractBaseUser, dispatch: PlanDispatch
) -> AssessmentChange:
    """The bureau sets which stations assess ``area``; the reason is recorded on each change. The area's stored
    daily values, months and years are dropped and recomputed from its new stations (none: it has no figures,
    and says so). Township micro-stations never assess an area [project rule, aqi-rules §4]."""
    if not is_bureau_staff(user):
        raise PermissionDenied(gettext_now("只有市局工作人员可以调整评价站点。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext_now("调整评价站点必须填写理由。")})
    stations = {s.code: s for s in Station.objects.filter(code__in=station_codes)}
    unknown = sorted(set(station_codes) - set(stations))
    if unknown:
        raise ValidationError({"stations": gettext_now("没有这些站点：%(codes)s") % {"codes": "、".join(unknown)}})
    township = sorted(code for code, s in stations.items() if s.network == Station.Network.TOWNSHIP)
    if township:
        raise ValidationError(
            {"stations": gettext_now("乡镇微站不参与考核评价：%(codes)s") % {"codes": "、".join(township)}}
        )
    current = {m.station.code: m for m in AssessmentStation.objects.select_related("station").filter(area=area)}
    added = sorted(set(stations) - set(current))
    removed = sorted(set(current) - set(stations))
    if not added and not removed:
        return AssessmentChange(added=[], removed=[])
    for code in removed:
        history_stamp(current[code], user, reason)
        current[code].delete()
    for code in added:
        membership = AssessmentStation(area=area, station=stations[code])
        history_stamp(membership, user, reason)
        membership.save()
    years = sorted({day.year for day in AreaDay.objects.filter(area=area).dates("date", "year")})
    AreaDay.objects.filter(area=area).delete()
    AreaPeriod.objects.filter(area=area).delete()
    dispatch(results.plan_for_area(area.code))
    if years:
        results_changed_announce(years=years)
    return AssessmentChange(added=added, removed=removed)


@transaction.atomic
def dust_day_mark(
    *, day: date, area: Area | None = None, reason: str, user: AbstractBaseUser | None, dispatch: PlanDispatch
) -> DustDay:
    """Mark a dust-affected day (扣沙, 环办监测〔2016〕120号) for the whole city (``area`` None) or for one
    assessment unit, and recompute the period results of that year that the mark touches."""
    if day > timezone.localdate():
        raise ValidationError({"date": _("不能标记未来的日期（%(day)s）。") % {"day": day.isoformat()}})
    if area is not None:
        if not area.is_assessment_unit:
            raise ValidationError({"area": _("只能为县（市、区）或功能区单独标记；全市请留空。")})
        if DustDay.objects.filter(date=day, area=None).exists():
            raise ValidationError(
                {
                    "area": _("%(day)s 已标记为全市沙尘天气日，已包含每个县（市、区）和功能区。")
                    % {"day": day.isoformat()}
                }
            )
    dust_day = DustDay.objects.filter(date=day, area=area).first() or DustDay(date=day, area=area)
    dust_day.reason = reason.strip()
    dust_day.marked_by = user if user is not None and user.is_authenticated else None
    dust_day.full_clean()
    dust_day.save()
    dispatch(results.plan_for_dust_year(day.year, area_code=None if area is None else area.code))
    return dust_day


@transaction.atomic
def dust_day_unmark(*, day: date, area: Area | None = None, dispatch: PlanDispatch) -> bool:
    """Remove a dust mark (the city's, or one unit's); the period results it touched are recomputed. Returns
    whether the mark existed."""
    deleted, _ = DustDay.objects.filter(date=day, area=area).delete()
    if deleted:
        dispatch(results.plan_for_dust_year(day.year, area_code=None if area is None else area.code))
    return bool(deleted)
