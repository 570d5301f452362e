"""The plan's deadline-bound and quantified measures, and who is responsible for them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from targets.models import Area, Section


class Department(models.Model):
    """A government department the plan names as responsible (牵头部门 / 责任单位)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """One measure of the plan that carries a deadline, a period or a number (重点任务 / 工作措施)."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("一次性任务")
        QUANTITY = "quantity", _("数量目标")
        RECURRING = "recurring", _("常态化工作")
        PROHIBITION = "prohibition", _("禁止性要求")

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("不低于")
        AT_MOST = "at_most", _("不高于")
        ABOUT = "about", _("左右")

    class ReportPeriod(models.TextChoices):
        ONCE = "once", _("一次")
        MONTH = "month", _("每月")
        YEAR = "year", _("每年")

    code = models.SlugField(_("编号"), max_length=20, unique=True)
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT, related_name="measures")
    title = models.CharField(_("标题"), max_length=120)
    title_en = models.CharField(_("英文标题"), max_length=200)
    source_text = models.TextField(_("原文"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    start_date = models.DateField(_("起始日期"), null=True, blank=True, help_text=_("常态化工作或禁止性要求的生效日期。"))
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    comparison = models.CharField(_("比较方式"), max_length=10, choices=Comparison.choices, blank=True)
    report_period = models.CharField(
        _("填报周期"), max_length=6, choices=ReportPeriod.choices, default=ReportPeriod.ONCE
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("责任部门"), blank=True, related_name="measures", help_text=_("原文点名的部门。")
    )
    applies_to_all_areas = models.BooleanField(_("适用于全部县（市、区）"), default=True)
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("适用区域"),
        blank=True,
        related_name="measures",
        help_text=_("仅当不适用于全部县（市、区）时填写。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords(m2m_fields=[departments, areas])

    class Meta:
        verbose_name = _("任务措施")
        verbose_name_plural = _("任务措施")
        ordering = ["sort_order", "code"]
        constraints = [
            # A quantity without its unit cannot be checked or shown.
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | ~models.Q(unit=""), name="measure_quantity_has_unit"
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(deadline__isnull=True)
                | models.Q(deadline__gte=models.F("start_date")),
                name="measure_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
