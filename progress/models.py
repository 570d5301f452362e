"""The stored progress figures: one run per recompute of a year, its snapshots per area and indicator, and
the counties' league table."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area, RankingGroup
from monitoring import standards
from targets.models import Plan

from . import scoring


class ScoreRun(models.Model):
    """One recompute of the progress figures for a year (``progress.tasks.scores_recompute``).

    Pages and the API read the latest run of a year and never compute on request. Staff see the
    latest run; the public sees the latest *published* run (published at once unless
    ``PROGRESS_AUTO_PUBLISH`` is off). A run a member of staff publishes is a *publication* (发布): kept
    for good, as it was, with what it was computed from; a later recompute stores its result beside it and
    never changes or deletes it (so is a closed plan's figure of record). Other runs are superseded.
    """

    year = models.PositiveSmallIntegerField(_("年份"))
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("所依据的规划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="score_runs",
        help_text=_("该年所适用的规划（targets.selectors.plans_for_years）；为空表示该年没有适用的规划，不设目标。"),
    )
    as_of = models.DateField(
        _("数据截至"), null=True, blank=True, help_text=_("该年有日数据的最后一天；无数据时为空。")
    )
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    flavour = models.CharField(_("数据类型"), max_length=10, blank=True, help_text=_("realtime / reviewed / mixed"))
    dust_deducted = models.BooleanField(_("已扣沙"), default=True)
    data_updated_at = models.DateTimeField(_("监测结果更新时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        "auth.User", verbose_name=_("发布人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publication = models.BooleanField(
        _("正式发布"),
        default=False,
        help_text=_("由工作人员发布的数据：永久保留，此后重新计算不会替换或删除，可按发布时原样查看。"),
    )
    editions = models.CharField(
        _("标准版本"),
        max_length=20,
        blank=True,
        help_text=_("计算所依据的空气质量标准版本：2012、2026，或跨越 2026-03-01 时为 2012+2026。"),
    )
    composite_limits = models.CharField(
        _("综合指数所用限值"),
        max_length=16,
        blank=True,
        help_text=_("年初至今综合指数所除的二级浓度限值：GB3095-2012 或 GB3095-2026-I（第一阶段）。"),
    )
    last_year_restated = models.BooleanField(
        _("去年同期按今年标准重算"),
        default=False,
        help_text=_("是：去年同期按今年同日适用的评价标准重新计算（同口径比较）；按当时标准的数值并列保存。"),
    )
    of_record = models.BooleanField(
        _("收官数据"),
        default=False,
        help_text=_("规划收官时确定的该年正式数据：此后重新计算不会替换或删除，新结果作为修订值并列显示。"),
    )

    class Meta:
        verbose_name = _("进展计算批次")
        verbose_name_plural = _("进展计算批次")
        ordering = ["-year", "-computed_at", "-id"]
        indexes = [models.Index(fields=["year", "published_at"], name="score_run_year_published")]

    def __str__(self) -> str:
        return f"{self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"

    # The runs kept for good, which anyone may see as they were: publications and figures of record.
    KEPT_FOR_GOOD = models.Q(publication=True) | models.Q(of_record=True)
    # The runs no recompute or publication may delete: those, and any run a document quotes.
    RETAINED = KEPT_FOR_GOOD | models.Q(documents__isnull=False)

    @property
    def kept_for_good(self) -> bool:
        return self.publication or self.of_record

    @property
    def editions_label(self) -> str:
        """Which editions of the standards the figures were computed under, as the pages and documents say it."""
        labels = {
            "2012": _("按 GB 3095-2012、HJ 633-2012 计算"),
            "2026": _("按 GB 3095-2026、HJ 633-2026 计算"),
            "2012+2026": _("按 HJ 633-2012（至 2026-02-28）和 HJ 633-2026（自 2026-03-01）计算"),
        }
        return str(labels.get(self.editions, ""))

    @property
    def year_complete(self) -> bool:
        """The run's figures are the whole year's: a status is then met or not met, no longer on the way."""
        return self.as_of == datetime.date(self.year, 12, 31)

    @property
    def rules(self) -> str:
        """The AQI edition(s) the year's days so far were scored under, precisely (for the API and exports):
        "HJ 633-2012", "HJ 633-2026" or both with the split date."""
        return standards.rules_label(datetime.date(self.year, 1, 1), self.as_of) if self.as_of else ""

    @property
    def composite_limits_name(self) -> str:
        """ "GB 3095-2012", "GB 3095-2026 (I)": the limits the composite index divides by (API and exports)."""
        return standards.limit_set(self.composite_limits).label if self.composite_limits else ""

    @property
    def composite_limits_label(self) -> str:
        """Which Grade-II limits the composite index divides by (aqi-rules §7), as pages and documents say it."""
        labels = {
            "GB3095-2012": _("综合指数按 GB 3095-2012 二级浓度限值计算（PM2.5 除以 35）"),
            "GB3095-2026-I": _("综合指数按 GB 3095-2026 第一阶段二级浓度限值计算（PM2.5 除以 30）"),
        }
        return str(labels.get(self.composite_limits, ""))

    @property
    def comparison_label(self) -> str:
        """How the changes on last year were made."""
        if self.last_year_restated:
            return str(
                _("同比为同口径比较：去年同期按今年同日适用的评价标准和综合指数限值重新计算，当时发布的数值并列显示")
            )
        return str(_("同比为与上年同期比较"))


class ProgressSnapshot(models.Model):
    """One indicator's figure for one area and period of a run: actual, goal, last year, status, allowance."""

    class Status(models.TextChoices):
        ACHIEVED = "achieved", _("已达标")
        ON_TRACK = "on_track", _("进度正常")
        AT_RISK = "at_risk", _("存在风险")
        OFF_TRACK = "off_track", _("进度滞后")
        INSUFFICIENT_DATA = "insufficient_data", _("数据不足")

    run = models.ForeignKey(ScoreRun, verbose_name=_("计算批次"), on_delete=models.CASCADE, related_name="snapshots")
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.CASCADE, related_name="+")
    month = models.PositiveSmallIntegerField(_("月份"), default=0, help_text=_("0 表示年初至今（累计）。"))
    cumulative = models.BooleanField(
        _("1至当月累计"),
        default=False,
        help_text=_("是：1 月 1 日至该月末（1–N月）；否：该月本身（月份为 0 时为年初至今）。"),
    )
    indicator = models.CharField(_("指标代码"), max_length=40)
    actual = models.DecimalField(_("实际值"), max_digits=12, decimal_places=2, null=True, blank=True)
    goal = models.DecimalField(_("年度目标"), max_digits=12, decimal_places=2, null=True, blank=True)
    last_year = models.DecimalField(
        _("去年同期"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("同口径：按今年同日适用的评价标准计算（ScoreRun.last_year_restated）；同比变化据此计算。"),
    )
    last_year_official = models.DecimalField(
        _("去年同期（当时标准）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("去年同期按当时适用的标准计算、当时发布的数值。"),
    )
    change_percent = models.DecimalField(_("同比变化(%)"), max_digits=8, decimal_places=1, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, blank=True)
    valid_days = models.PositiveSmallIntegerField(_("有效监测天数"), default=0)
    allowance_days = models.IntegerField(_("剩余可超标天数"), null=True, blank=True)
    allowance_mean = models.DecimalField(_("剩余日均浓度控制值"), max_digits=8, decimal_places=1, null=True, blank=True)
    out_of_reach = models.BooleanField(_("已无法达标"), default=False)

    class Meta:
        verbose_name = _("目标进展")
        verbose_name_plural = _("目标进展")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "area", "month", "cumulative", "indicator"],
                name="one_progress_snapshot_per_run_area_period_indicator",
            ),
            # 0 is the year to date; 1-12 the calendar months, or with ``cumulative`` 1 January to their end.
            models.CheckConstraint(condition=models.Q(month__lte=12), name="progress_snapshot_month_0_to_12"),
            models.CheckConstraint(
                condition=~models.Q(month=0, cumulative=True), name="progress_snapshot_cumulative_has_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.indicator} {self.run.year}/{self.month}: {self.actual}"

    @property
    def last_year_differs(self) -> bool:
        """Last year's official figure differs from the like-for-like base the change is computed on."""
        return self.last_year_official is not None and self.last_year_official != self.last_year

    @property
    def change_points(self) -> Decimal | None:
        """A ratio's change on the same period last year in percentage points (个百分点); None otherwise."""
        return scoring.change_points(code=self.indicator, current=self.actual, previous=self.last_year)

    @property
    def status_label(self) -> str:
        """The status as pages, exports and documents name it: in a year that is over, "behind" is "not met"
        (未达标); the milestone can no longer be caught up with."""
        if self.status == self.Status.OFF_TRACK and self.month == 0 and self.run.year_complete:
            return str(_("未达标"))
        return str(self.get_status_display()) if self.status else ""

    @property
    def allowance_kind(self) -> scoring.AllowanceKind | None:
        """Which allowance the indicator has (progress.scoring.FIGURES): polluted days, heavy days, a mean."""
        facts = scoring.FIGURE_BY_CODE.get(self.indicator)
        return facts.allowance if facts else None


class RankingEntry(models.Model):
    """An assessment unit's place in the league table for one period of a run (progress/scoring.py rank_areas):
    among all the units (``group`` empty) or within one ranking group."""

    run = models.ForeignKey(ScoreRun, verbose_name=_("计算批次"), on_delete=models.CASCADE, related_name="rankings")
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.CASCADE, related_name="+")
    month = models.PositiveSmallIntegerField(_("月份"), default=0)
    cumulative = models.BooleanField(_("1至当月累计"), default=False, help_text=_("是：1 月 1 日至该月末（1–N月）。"))
    group = models.ForeignKey(
        RankingGroup,
        verbose_name=_("排名分组"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("空：在全部考核单位中的排名。"),
    )
    composite_index = models.DecimalField(_("综合指数"), max_digits=6, decimal_places=2, null=True, blank=True)
    composite_index_rank = models.PositiveSmallIntegerField(_("综合指数排名"), null=True, blank=True)
    pm25 = models.DecimalField(_("PM2.5"), max_digits=6, decimal_places=0, null=True, blank=True)
    pm25_rank = models.PositiveSmallIntegerField(_("PM2.5排名"), null=True, blank=True)
    improvement = models.DecimalField(_("综合指数改善率(%)"), max_digits=7, decimal_places=1, null=True, blank=True)
    improvement_rank = models.PositiveSmallIntegerField(_("改善率排名"), null=True, blank=True)
    measures_on_time = models.DecimalField(
        _("措施按时完成率(%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    score_rank = models.PositiveSmallIntegerField(_("得分排名"), null=True, blank=True)
    worse_than_city = models.BooleanField(_("差于全市"), default=False)
    worse_than_last_year = models.BooleanField(_("差于去年同期"), default=False)

    class Meta:
        verbose_name = _("县区排名")
        verbose_name_plural = _("县区排名")
        constraints = [
            # One place among all the units, and one within each group the unit is in.
            models.UniqueConstraint(
                fields=["run", "area", "month", "cumulative"],
                condition=models.Q(group__isnull=True),
                name="one_ranking_entry_per_run_area_period",
            ),
            models.UniqueConstraint(
                fields=["run", "area", "month", "cumulative", "group"],
                condition=models.Q(group__isnull=False),
                name="one_group_ranking_entry_per_run_area_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.run.year}/{self.month}: {self.score_rank}"


def document_upload_to(instance: Document, filename: str) -> str:
    return f"documents/{instance.year}/{filename}"


class Document(models.Model):
    """A document the bureau hands out (月度通报, or a plan's evaluation as of a year's end), made from one
    stored run, archived with its Word and PDF files. The run it quotes is kept as long as the document
    (``ScoreRun.RETAINED``); once published, the document and its run are publications, listed and
    downloadable without login."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", _("月度通报")
        EVALUATION = "evaluation", _("规划评估报告")

    class State(models.TextChoices):
        QUEUED = "queued", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("中文")
        ENGLISH = "en", _("英文")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.BULLETIN)
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"), help_text=_("评估报告为 12：截至该年年底。"))
    language = models.CharField(_("语言"), max_length=10, choices=Language.choices, default=Language.CHINESE)
    run = models.ForeignKey(ScoreRun, verbose_name=_("计算批次"), on_delete=models.PROTECT, related_name="documents")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("失败原因"), blank=True)
    word = models.FileField(_("Word 文件"), upload_to=document_upload_to, max_length=200, blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to=document_upload_to, max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        "auth.User", verbose_name=_("申请人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    made_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        "auth.User", verbose_name=_("发布人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")
        ordering = ["-year", "-month", "-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="document_month_1_to_12"),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(state="done"),
                name="document_published_only_when_made",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.year}-{self.month:02d}"
