"""The plan as data: the plan's text structure, indicators, targets and milestones."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.limits import REASON_MAX_CHARS
from areas.localization import localized
from areas.models import Area


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT_FOR_COMMENTS = "draft_for_comments", _("征求意见稿")
        IN_FORCE = "in_force", _("实施中")
        CLOSED = "closed", _("已收官")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("起始年份"))
    end_year = models.PositiveSmallIntegerField(_("终止年份"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    baseline_year = models.PositiveSmallIntegerField(_("基准年"), default=2020)
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="plans")
    closed_at = models.DateTimeField(_("收官时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "auth.User", verbose_name=_("收官操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.TextField(
        _("收官说明"), blank=True, max_length=REASON_MAX_CHARS, validators=[MaxLengthValidator(REASON_MAX_CHARS)]
    )
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("行动计划")
        verbose_name_plural = _("行动计划")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="plan_period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """``name_en`` when the page is in English, else ``name`` (areas/localization.py)."""
        return localized(self, "name")


class Chapter(models.Model):
    """A numbered chapter of the plan text (一、 … 十、)."""

    plan = models.ForeignKey(Plan, verbose_name=_("行动计划"), on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField(_("章序号"))
    title = models.CharField(_("标题"), max_length=100)
    title_en = models.CharField(_("英文标题"), max_length=200)

    class Meta:
        verbose_name = _("章")
        verbose_name_plural = _("章")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="chapter_number_unique_in_plan")]

    def __str__(self) -> str:
        return self.title

    @property
    def localized_title(self) -> str:
        """``title_en`` when the page is in English, else ``title`` (areas/localization.py)."""
        return localized(self, "title")


class Section(models.Model):
    """A numbered section of a chapter ((一) … )."""

    chapter = models.ForeignKey(Chapter, verbose_name=_("章"), on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("节序号"))
    title = models.CharField(_("标题"), max_length=100)
    title_en = models.CharField(_("英文标题"), max_length=200)

    class Meta:
        verbose_name = _("节")
        verbose_name_plural = _("节")
        ordering = ["chapter__plan", "chapter__number", "number"]
        constraints = [models.UniqueConstraint(fields=["chapter", "number"], name="section_number_unique_in_chapter")]

    def __str__(self) -> str:
        return f"{self.chapter.number}.{self.number} {self.title}"

    @property
    def localized_title(self) -> str:
        """``title_en`` when the page is in English, else ``title`` (areas/localization.py)."""
        return localized(self, "title")


class Indicator(models.Model):
    """Something the plan sets a numeric target for (good-day ratio, PM2.5, reductions …)."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("不低于")
        AT_MOST = "at_most", _("不高于")

    class Source(models.TextChoices):
        MONITORING = "monitoring", _("空气质量监测")
        REDUCTION_PROJECTS = "reduction_projects", _("重点工程减排量")

    code = models.SlugField(_("代码"), max_length=40, unique=True, help_text=_("与统计字段同名，例如 pm25。"))
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    decimals = models.PositiveSmallIntegerField(_("小数位数"), default=0)
    source = models.CharField(_("数据来源"), max_length=20, choices=Source.choices)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """``name_en`` when the page is in English, else ``name`` (areas/localization.py)."""
        return localized(self, "name")


class Target(models.Model):
    """A target value of an indicator for an area in a target year, with its baseline."""

    plan = models.ForeignKey(Plan, verbose_name=_("行动计划"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets")
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="targets")
    target_year = models.PositiveSmallIntegerField(_("目标年份"))
    value = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("基准年"), default=2020)
    baseline_value = models.DecimalField(
        _("基准值"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("未知时留空，由工作人员填写。")
    )
    source_text = models.TextField(_("原文"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "indicator__sort_order", "area__sort_order", "target_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "area", "target_year"], name="one_target_per_indicator_area_year"
            ),
            models.CheckConstraint(
                condition=models.Q(target_year__gt=models.F("baseline_year")), name="target_year_after_baseline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.indicator} {self.target_year}: {self.value}"

    @property
    def is_outlook(self) -> bool:
        """A target beyond the plan period (the 2035 outlook)."""
        return self.target_year > self.plan.end_year


class Milestone(models.Model):
    """The yearly value on the way from baseline to target (年度目标)."""

    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("年份"))
    value = models.DecimalField(
        _("年度目标值"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("基准值未知时为空。"),
    )
    is_custom = models.BooleanField(
        _("人工设定"), default=False, help_text=_("否：由基准值到目标值的直线轨迹自动生成。")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["target", "year"]
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="one_milestone_per_target_year")]

    def __str__(self) -> str:
        return f"{self.target.indicator} {self.year}: {self.value}"


class DemoDataset(models.Model):
    """Present while synthetic demo data are loaded, so every page can say so."""

    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)
    description = models.CharField(_("说明"), max_length=200)

    class Meta:
        verbose_name = _("演示数据")
        verbose_name_plural = _("演示数据")

    def __str__(self) -> str:
        return self.description
