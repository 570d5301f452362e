"""Stations, hourly observations and the ingest runs that wrote them.

Observations are kept narrow (a province: thousands of stations, years of hours): small integers for
pollutant, flavour and flags, a float for the value, the station and run as foreign keys.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.localization import localized
from areas.models import Area


class Station(models.Model):
    """A monitoring station as CNEMC or the provincial network identifies it."""

    class Network(models.TextChoices):
        NATIONAL = "national", _("国控点")
        PROVINCIAL = "provincial", _("省控点")
        COUNTY = "county", _("县控点")
        TOWNSHIP = "township", _("乡镇微站")

    code = models.CharField(_("站点编码"), max_length=20, unique=True, help_text=_("CNEMC 站点编码，例如 1625A。"))
    name = models.CharField(_("站点名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True, help_text=_("空：英文页面显示中文名称。"))
    area = models.ForeignKey(
        Area, verbose_name=_("所属县（市、区）"), on_delete=models.PROTECT, related_name="stations"
    )
    network = models.CharField(_("站点类别"), max_length=12, choices=Network.choices)
    latitude = models.FloatField(_("纬度"))
    longitude = models.FloatField(_("经度"))
    active_from = models.DateField(_("启用日期"), null=True, blank=True)
    active_until = models.DateField(_("停用日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("监测站点")
        verbose_name_plural = _("监测站点")
        ordering = ("code",)
        constraints = (
            # A station cannot stop before it starts reporting.
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True)
                | models.Q(active_from__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="station_active_period_ordered",
            ),
            # Coordinates are WGS-84 degrees.
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="station_coordinates_in_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def localized_name(self) -> str:
        """``name_en`` when the page is in English and it is filled in, else ``name`` (areas/localization.py)."""
        return localized(self, "name")


class AssessmentStation(models.Model):
    """A station whose daily values make an area's figure (aqi-rules §4): data the bureau keeps, with history.

    A station's default areas, given when it is registered, follow HJ 663-2013 §6.1.4 and the project rule
    (``monitoring.selectors.default_assessment_areas``): the city is assessed on the national stations, a county on
    its own national, provincial and county stations. The bureau changes them on the area's station page.
    """

    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.CASCADE, related_name="assessment_memberships"
    )
    station = models.ForeignKey(
        Station, verbose_name=_("站点"), on_delete=models.CASCADE, related_name="assessment_memberships"
    )
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("评价站点")
        verbose_name_plural = _("评价站点")
        ordering = ("area", "station")
        constraints = (models.UniqueConstraint(fields=["area", "station"], name="assessment_station_unique"),)

    def __str__(self) -> str:
        return f"{self.area} · {self.station}"


class Pollutant(models.IntegerChoices):
    """The six items of GB 3095-2012 Table 1 that stations report every hour (1-h values)."""

    PM25 = 1, "PM2.5"
    PM10 = 2, "PM10"
    SO2 = 3, "SO2"
    NO2 = 4, "NO2"
    O3 = 5, "O3"
    CO = 6, "CO"


# Code names used in frames and APIs (glossary) <-> stored small integers.
POLLUTANT_BY_CODE: dict[str, Pollutant] = {
    "pm25": Pollutant.PM25,
    "pm10": Pollutant.PM10,
    "so2": Pollutant.SO2,
    "no2": Pollutant.NO2,
    "o3": Pollutant.O3,
    "co": Pollutant.CO,
}
CODE_BY_POLLUTANT: dict[int, str] = {int(value): code for code, value in POLLUTANT_BY_CODE.items()}


class Flavour(models.IntegerChoices):
    """Data flavour (docs/aqi-rules.md §6). Ordered: a higher flavour replaces a lower one, never the reverse."""

    REALTIME = 1, _("实况数据")
    REVIEWED = 2, _("审核数据")


class ObservationFlag(models.IntegerChoices):
    """Bits of ``Observation.flags``."""

    ABOVE_CEILING = 1, _("超过合理上限，待核查")


class IngestRun(models.Model):
    """One file brought in by the command, an upload or the scheduled fetch."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    class ResultsStored(models.IntegerChoices):
        """Stages of the stored results an ingest computed from its own rows (monitoring.file_results)."""

        NONE = 0, _("无")
        STATION_DAYS = 1, _("站点日均值")
        AREA_DAYS = 2, _("站点及区域日均值")
        ALL = 3, _("日均值及月、年统计")

    class Source(models.TextChoices):
        COMMAND = "command", _("命令行")
        UPLOAD = "upload", _("网页上传")
        SCHEDULED = "scheduled", _("定时获取")

    file_name = models.CharField(_("文件名"), max_length=255)
    file = models.FileField(_("原始文件"), upload_to="ingest/%Y/%m/", max_length=500)
    checksum = models.CharField(_("SHA-256 校验值"), max_length=64, db_index=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    flavour = models.PositiveSmallIntegerField(_("数据类型"), choices=Flavour.choices, default=Flavour.REALTIME)
    detected_format = models.CharField(_("文件格式"), max_length=10, blank=True)
    encoding = models.CharField(_("编码"), max_length=12, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ingest_runs",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Counts are in values (one station, pollutant and hour each), except skipped_unregistered,
    # which counts rows of a CNEMC national export whose station is not in the registry.
    values_read = models.PositiveIntegerField(_("读取"), default=0)
    values_stored = models.PositiveIntegerField(_("新增"), default=0)
    values_updated = models.PositiveIntegerField(_("更新"), default=0)
    values_unchanged = models.PositiveIntegerField(_("未变"), default=0)
    values_kept_reviewed = models.PositiveIntegerField(
        _("保留审核数据"), default=0, help_text=_("实况数据未覆盖已有的审核数据（计入未变）。")
    )
    values_duplicate = models.PositiveIntegerField(
        _("文件内重复"), default=0, help_text=_("同一文件中同一站点、污染物和时间的重复值，保留第一个。")
    )
    values_rejected = models.PositiveIntegerField(_("拒收"), default=0)
    values_flagged = models.PositiveIntegerField(_("超上限标记"), default=0)
    skipped_unregistered = models.PositiveIntegerField(
        _("跳过（站点未登记）"), default=0, help_text=_("CNEMC 全国文件中不在本市站点登记表中的站点行数。")
    )
    progress_done = models.PositiveIntegerField(_("已处理"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    affected_days = models.JSONField(
        _("受影响的站点日"),
        default=list,
        blank=True,
        help_text=_("[[站点编码, 日期], …]：新增或更新了数值的站点自然日（HJ 663：00 时属于前一日）。"),
    )
    results_stored = models.PositiveSmallIntegerField(
        _("导入时已计算的结果"),
        choices=ResultsStored.choices,
        default=ResultsStored.NONE,
        help_text=_(
            "文件包含受影响自然日的全部小时数据时，导入事务中直接由文件计算并保存的结果（其余由随后的重算完成）。"
        ),
    )
    error_message = models.TextField(_("错误信息"), blank=True)
    # The run's lifecycle under faults (monitoring.services "Ingest runs"): which task execution holds the run,
    # its last sign of life, how often the reaper queued it again, and whether the recompute of what it
    # committed is still to be started.
    claimed_by = models.CharField(_("处理任务"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    requeued = models.PositiveSmallIntegerField(_("重新排队次数"), default=0)
    recompute_pending = models.BooleanField(
        _("待启动重算"), default=False, help_text=_("数据已保存，随后的结果重算尚未启动（由定时任务补发）。")
    )

    class Meta:
        verbose_name = _("数据导入记录")
        verbose_name_plural = _("数据导入记录")
        ordering = ("-created_at", "-id")
        constraints = (
            # The bar never passes 100 %.
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total")), name="ingest_progress_within_total"
            ),
        )

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    FORMAT_LABELS = {"long": _("长表"), "wide": _("宽表"), "cnemc": _("CNEMC 原始格式")}

    @property
    def detected_format_label(self) -> str:
        """The file's format as the upload page names it ("" before it is read)."""
        return str(self.FORMAT_LABELS.get(self.detected_format, self.detected_format))

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.SUCCEEDED, self.State.FAILED}

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class Observation(models.Model):
    """One hourly value of one pollutant at one station.

    ``time`` is the end of the averaging hour (HJ 663-2013 §3: the 16:00 value covers 15:00-16:00), stored UTC.
    Units: µg/m³, CO mg/m³.
    """

    # Observations are the one table that grows by millions of rows a year, so its writes stay lean
    # (bench/pipeline.py): the foreign keys are kept by the application, not by database triggers, whose
    # per-row checks at commit cost more than the whole upsert; the ingest only writes station ids it has just
    # read from the registry, and Django still enforces PROTECT / SET_NULL on delete. No separate index on
    # station_id: the primary key (station, time, pollutant) leads with it.
    # The natural key is the primary key: one index instead of a surrogate id plus a unique key (a COPY of
    # a year of 40 stations into the table took 4.4 s with both indexes, 2.6 s with this one; bench/).
    # Station first, then time: the same index serves every time-range read of a station (all items).
    pk = models.CompositePrimaryKey("station", "time", "pollutant")
    station = models.ForeignKey(
        Station,
        verbose_name=_("站点"),
        on_delete=models.PROTECT,
        related_name="observations",
        db_constraint=False,
        db_index=False,
    )
    pollutant = models.PositiveSmallIntegerField(_("污染物"), choices=Pollutant.choices)
    time = models.DateTimeField(_("时间（小时末）"))
    value = models.FloatField(_("浓度"))
    flavour = models.PositiveSmallIntegerField(_("数据类型"), choices=Flavour.choices, default=Flavour.REALTIME)
    flags = models.PositiveSmallIntegerField(_("质量标记"), default=0)
    ingest_run = models.ForeignKey(
        IngestRun,
        verbose_name=_("导入记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("小时监测值")
        verbose_name_plural = _("小时监测值")
        constraints = (
            # Concentrations are never negative; the importer rejects them before they get here.
            models.CheckConstraint(condition=models.Q(value__gte=0), name="observation_value_not_negative"),
        )
        indexes = (
            # Flagged values are rare: a partial index keeps the data-quality list cheap on a large table.
            models.Index(fields=["-time"], condition=models.Q(flags__gt=0), name="observation_flagged_time"),
        )

    def __str__(self) -> str:
        return f"{self.station_id} {self.get_pollutant_display()} {self.time:%Y-%m-%d %H:%M}: {self.value}"

    @property
    def above_ceiling(self) -> bool:
        return bool(self.flags & ObservationFlag.ABOVE_CEILING)


class RejectedRow(models.Model):
    """A value or row of an ingested file that was not stored, with the reason."""

    class Reason(models.TextChoices):
        EMPTY = "empty", _("数值为空")
        NOT_NUMERIC = "not_numeric", _("数值不是数字")
        NEGATIVE = "negative", _("数值为负")
        UNKNOWN_STATION = "unknown_station", _("站点未登记")
        MISSING_STATION = "missing_station", _("缺少站点编码")
        UNKNOWN_POLLUTANT = "unknown_pollutant", _("无法识别的污染物")
        BAD_TIME = "bad_time", _("时间格式无法识别")
        NOT_ON_HOUR = "not_on_hour", _("时间不是北京时间整点")
        TIME_OUT_OF_RANGE = "time_out_of_range", _("时间超出 2000—2099 年")

    run = models.ForeignKey(
        IngestRun, verbose_name=_("导入记录"), on_delete=models.CASCADE, related_name="rejected_rows"
    )
    line = models.PositiveIntegerField(_("行号"))
    field = models.CharField(_("字段"), max_length=40)
    raw_value = models.CharField(_("原始值"), max_length=100, blank=True)
    reason = models.CharField(_("原因"), max_length=20, choices=Reason.choices)

    class Meta:
        verbose_name = _("拒收记录")
        verbose_name_plural = _("拒收记录")
        ordering = ("run", "line", "id")

    def __str__(self) -> str:
        return f"{self.line} {self.field}: {self.get_reason_display()}"


# --- Stored results ---------------------------------------------------------------


class DustDay(models.Model):
    """A day the bureau marks as affected by a dust storm (扣沙, 环办监测〔2016〕120号), for the whole city or
    for one assessment unit.

    The PM10 and PM2.5 of marked days leave the concentration statistics of the dust-deducted series; the raw
    series keeps them (docs/aqi-rules.md §6). A city-wide mark (no area) applies to every station and area; a
    unit's mark to that unit and the stations in it (``monitoring/dust.py``).
    """

    date = models.DateField(_("日期"))
    area = models.ForeignKey(
        Area,
        verbose_name=_("范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空为全市；或选择一个县（市、区）或功能区。"),
    )
    reason = models.CharField(_("依据"), max_length=300, help_text=_("例如：沙尘天气过程，省站确认文件编号。"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("标记时间"), auto_now=True)

    class Meta:
        verbose_name = _("沙尘天气日（扣沙）")
        verbose_name_plural = _("沙尘天气日（扣沙）")
        ordering = ("-date",)
        constraints = [
            # One mark per day and area, and one city-wide mark per day (NULLs are distinct in a unique
            # constraint, so the city-wide one needs its own).
            models.UniqueConstraint(fields=["date", "area"], name="one_dust_mark_per_area_day"),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(area__isnull=True), name="one_citywide_dust_mark_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}" if self.area_id is None else f"{self.date:%Y-%m-%d} {self.area}"


class DailyValues(models.Model):
    """The daily contract (docs/interfaces.md §3): values as reported, None where the item is not valid.

    µg/m³ items are integers; CO (mg/m³) has one decimal (HJ 663-2013 §6.3, GB/T 8170).
    """

    date = models.DateField(_("日期"))
    pm25 = models.PositiveSmallIntegerField("PM2.5", null=True, blank=True)
    pm10 = models.PositiveSmallIntegerField("PM10", null=True, blank=True)
    so2 = models.PositiveSmallIntegerField("SO2", null=True, blank=True)
    no2 = models.PositiveSmallIntegerField("NO2", null=True, blank=True)
    co = models.FloatField("CO", null=True, blank=True)
    o3_8h = models.PositiveSmallIntegerField(_("O3 日最大 8 小时平均"), null=True, blank=True)
    o3_1h = models.PositiveSmallIntegerField(_("O3 日最大 1 小时平均"), null=True, blank=True)
    aqi = models.PositiveSmallIntegerField("AQI", null=True, blank=True)
    category = models.PositiveSmallIntegerField(_("空气质量级别"), null=True, blank=True)
    primary_pollutants = models.JSONField(_("首要污染物"), default=list, blank=True)
    valid = models.BooleanField(_("有效监测日"), default=False)
    edition = models.CharField(_("标准版本"), max_length=4)
    flavour = models.PositiveSmallIntegerField(_("数据类型"), choices=Flavour.choices)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        abstract = True


def _daily_checks(prefix: str) -> tuple[models.CheckConstraint, ...]:
    return (
        # A valid monitoring day has an AQI and a category; an invalid one has neither (aqi-rules §3).
        models.CheckConstraint(
            condition=models.Q(valid=True, aqi__isnull=False, category__isnull=False)
            | models.Q(valid=False, aqi__isnull=True, category__isnull=True),
            name=f"{prefix}_aqi_iff_valid",
        ),
        # HJ 633-2012 Table 2 has six categories.
        models.CheckConstraint(
            condition=models.Q(category__isnull=True) | models.Q(category__gte=1, category__lte=6),
            name=f"{prefix}_category_1_to_6",
        ),
        # Edition 2012 (HJ 633-2012) before 2026-03-01, 2026 (HJ 633-2026) from then (aqi-rules §7).
        models.CheckConstraint(condition=models.Q(edition__in=["2012", "2026"]), name=f"{prefix}_edition_known"),
    )


class StationDay(DailyValues):
    """One station's daily values and AQI for one natural day (HJ 663-2013 §6.1)."""

    station = models.ForeignKey(Station, verbose_name=_("站点"), on_delete=models.CASCADE, related_name="days")

    class Meta:
        verbose_name = _("站点日均值")
        verbose_name_plural = _("站点日均值")
        ordering = ("station", "date")
        constraints = (
            models.UniqueConstraint(fields=["station", "date"], name="stationday_unique_station_date"),
            *_daily_checks("stationday"),
        )
        indexes = (models.Index(fields=["date"], name="stationday_date"),)

    def __str__(self) -> str:
        return f"{self.station_id} {self.date:%Y-%m-%d}: AQI {self.aqi}"


class AreaDay(DailyValues):
    """A county's or the city's daily values from its assessment stations (HJ 663-2013 Table A.2, §6.1.4)."""

    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.CASCADE, related_name="air_days")
    stations = models.PositiveSmallIntegerField(_("评价站点数"))

    class Meta:
        verbose_name = _("区域日均值")
        verbose_name_plural = _("区域日均值")
        ordering = ("area", "date")
        constraints = (
            models.UniqueConstraint(fields=["area", "date"], name="areaday_unique_area_date"),
            *_daily_checks("areaday"),
        )
        indexes = (models.Index(fields=["date"], name="areaday_date"),)

    def __str__(self) -> str:
        return f"{self.area_id} {self.date:%Y-%m-%d}: AQI {self.aqi}"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月")
    YEAR = "year", _("年")


class PeriodValues(models.Model):
    """Statistics of a month or a year (GB 3095-2012 Table 4, HJ 663-2013 §5; aqi-rules §5).

    ``start`` is the first day of the calendar period, ``end`` the day the figures run to: the period's last day
    when it is complete, otherwise the last day with data (a year in progress is a year to date).
    ``dust_deducted``: the series without the PM10/PM2.5 of dust-affected days (扣沙, 环办监测〔2016〕120号).
    """

    period = models.CharField(_("期间"), max_length=5, choices=PeriodKind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("截止日期"))
    complete = models.BooleanField(_("完整期间"))
    dust_deducted = models.BooleanField(_("扣沙"))
    edition = models.CharField(_("标准版本"), max_length=9)
    composite_limits = models.CharField(
        _("综合指数所用限值"),
        max_length=16,
        help_text=_("综合指数所除的二级浓度限值：GB3095-2012、GB3095-2026-I（第一阶段）……"),
    )
    flavour = models.PositiveSmallIntegerField(_("数据类型"), choices=Flavour.choices)
    valid_days = models.PositiveSmallIntegerField(_("有效天数"))
    good_days = models.PositiveSmallIntegerField(_("优良天数"))
    heavy_days = models.PositiveSmallIntegerField(_("重度及以上污染天数"))
    good_day_ratio = models.FloatField(_("优良天数比例"), null=True, blank=True)
    heavy_day_ratio = models.FloatField(_("重度及以上污染天数比例"), null=True, blank=True)
    pm25 = models.PositiveSmallIntegerField("PM2.5", null=True, blank=True)
    pm10 = models.PositiveSmallIntegerField("PM10", null=True, blank=True)
    so2 = models.PositiveSmallIntegerField("SO2", null=True, blank=True)
    no2 = models.PositiveSmallIntegerField("NO2", null=True, blank=True)
    co_p95 = models.FloatField(_("CO 第 95 百分位数"), null=True, blank=True)
    o3_8h_p90 = models.PositiveSmallIntegerField(_("O3 日最大 8 小时第 90 百分位数"), null=True, blank=True)
    so2_p98 = models.PositiveSmallIntegerField(_("SO2 第 98 百分位数"), null=True, blank=True)
    no2_p98 = models.PositiveSmallIntegerField(_("NO2 第 98 百分位数"), null=True, blank=True)
    pm10_p95 = models.PositiveSmallIntegerField(_("PM10 第 95 百分位数"), null=True, blank=True)
    pm25_p95 = models.PositiveSmallIntegerField(_("PM2.5 第 95 百分位数"), null=True, blank=True)
    composite_index = models.FloatField(_("综合指数"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        abstract = True


def _period_checks(prefix: str) -> tuple[models.CheckConstraint, ...]:
    return (
        # The figures run from the period's first day to a day inside it.
        models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name=f"{prefix}_end_after_start"),
        # Good and heavy days are subsets of the valid monitoring days (aqi-rules §5).
        models.CheckConstraint(
            condition=models.Q(good_days__lte=models.F("valid_days"), heavy_days__lte=models.F("valid_days")),
            name=f"{prefix}_day_counts_within_valid",
        ),
    )


class StationPeriod(PeriodValues):
    station = models.ForeignKey(Station, verbose_name=_("站点"), on_delete=models.CASCADE, related_name="periods")

    class Meta:
        verbose_name = _("站点月、年统计")
        verbose_name_plural = _("站点月、年统计")
        ordering = ("station", "start", "period", "dust_deducted")
        constraints = (
            models.UniqueConstraint(
                fields=["station", "period", "start", "dust_deducted"], name="stationperiod_unique_key"
            ),
            *_period_checks("stationperiod"),
        )

    def __str__(self) -> str:
        return f"{self.station_id} {self.period} {self.start:%Y-%m}..{self.end:%Y-%m-%d}"


class AreaPeriod(PeriodValues):
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.CASCADE, related_name="air_periods")

    class Meta:
        verbose_name = _("区域月、年统计")
        verbose_name_plural = _("区域月、年统计")
        ordering = ("area", "start", "period", "dust_deducted")
        constraints = (
            models.UniqueConstraint(fields=["area", "period", "start", "dust_deducted"], name="areaperiod_unique_key"),
            *_period_checks("areaperiod"),
        )

    def __str__(self) -> str:
        return f"{self.area_id} {self.period} {self.start:%Y-%m}..{self.end:%Y-%m-%d}"


class DustFallPoint(models.Model):
    """A dust-fall (降尘) monitoring point: a collector the city's monitoring station reads each month."""

    code = models.CharField(_("点位编码"), max_length=20, unique=True)
    name = models.CharField(_("点位名称"), max_length=100)
    area = models.ForeignKey(
        Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="dust_fall_points"
    )

    class Meta:
        verbose_name = _("降尘监测点位")
        verbose_name_plural = _("降尘监测点位")
        ordering = ("area__sort_order", "code")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class DustFall(models.Model):
    """A point's dust fall for one month in t/km²·month, as the monitoring station's CSV gives it
    (docs/interfaces.md §6). Reimporting a month replaces its value, with history."""

    point = models.ForeignKey(DustFallPoint, verbose_name=_("点位"), on_delete=models.PROTECT, related_name="values")
    month = models.DateField(_("月份"), help_text=_("该月 1 日。"))
    value = models.DecimalField(_("降尘量（吨/平方千米·月）"), max_digits=7, decimal_places=2)
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("降尘量")
        verbose_name_plural = _("降尘量")
        ordering = ("-month", "point__code")
        constraints = [
            models.UniqueConstraint(fields=["point", "month"], name="one_dust_fall_per_point_month"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="dust_fall_not_negative"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="dust_fall_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.point.code} {self.month:%Y-%m}: {self.value}"
