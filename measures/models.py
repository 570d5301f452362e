"""The plan's deadline-bound and quantified measures, and who is responsible for them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from areas.limits import NARRATIVE_MAX_CHARS, REASON_MAX_CHARS
from areas.localization import english_active, localized, localized_unit
from areas.models import Area
from measures import periods
from targets.models import Plan, Section

# The units the plan's measures use (fixtures/plan.json), so that makemessages puts them in the catalogue.
MEASURE_UNITS = (
    gettext_noop("公里"),
    gettext_noop("万千瓦"),
    gettext_noop("万吨"),
    gettext_noop("万吨/年"),
    gettext_noop("台"),
    gettext_noop("蒸吨/小时"),
    gettext_noop("辆/日"),
    gettext_noop("吨/年"),
    gettext_noop("吨/月·平方公里"),
)


def narrative_limit() -> dict[str, Any]:
    """A free text's limit (areas/limits.py), shown by the form's widget and checked by ``full_clean``."""
    return {"max_length": NARRATIVE_MAX_CHARS, "validators": [MaxLengthValidator(NARRATIVE_MAX_CHARS)]}


def reason_limit() -> dict[str, Any]:
    return {"max_length": REASON_MAX_CHARS, "validators": [MaxLengthValidator(REASON_MAX_CHARS)]}


# The reason stored with the due date of a one-off task the plan gives no date (Measure.new_assignment).
PLAN_END_REASON = gettext_noop("原文未定完成时限，按规划期末")


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

    @property
    def localized_name(self) -> str:
        """``name_en`` when the page is in English, else ``name`` (areas/localization.py)."""
        return localized(self, "name")


class DepartmentOfficial(models.Model):
    """Binds a user to the department whose own reports (``Assignment.department``) they see and submit, and
    whose led measures they follow across the areas (handed-in forms only, never an area's draft)."""

    user = models.OneToOneField(
        "auth.User", verbose_name=_("用户"), on_delete=models.CASCADE, related_name="department_official"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="officials"
    )

    class Meta:
        verbose_name = _("部门填报人员")
        verbose_name_plural = _("部门填报人员")

    def __str__(self) -> str:
        return f"{self.user} ({self.department})"

    def clean(self) -> None:
        user = self.user if self.user_id else None
        if user is not None and (user.is_staff or hasattr(user, "county_official")):
            raise ValidationError({"user": _("局工作人员或县区填报人员不能同时绑定部门：一个账号只代表一个填报单位。")})


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

    class TargetBasis(models.TextChoices):
        """How the measure's quantity binds the areas it is assigned to."""

        EACH_AREA = "each_area", _("各区域同一目标")
        CITY_TOTAL = "city_total", _("全市总量，分解到各区域")
        CITY_RATE = "city_rate", _("全市比率，各区域分别确定")
        CITY_STATISTIC = "city_statistic", _("全市统计指标，各区域配合")

    class ScopeComparison(models.TextChoices):
        """How a scope threshold bounds what the measure covers (以上 / 以下 / 以内 are inclusive)."""

        AT_LEAST = "at_least", _("及以上")
        AT_MOST = "at_most", _("及以下（以内）")
        MORE_THAN = "more_than", _("超过")

    class ReportPeriod(models.TextChoices):
        ONCE = "once", _("一次")
        MONTH = "month", _("每月")
        YEAR = "year", _("每年")

    plan = models.ForeignKey(Plan, verbose_name=_("行动计划"), on_delete=models.PROTECT, related_name="measures")
    code = models.SlugField(_("编号"), max_length=20, help_text=_("在同一行动计划内唯一。"))
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT, related_name="measures")
    title = models.CharField(_("标题"), max_length=120)
    title_en = models.CharField(_("英文标题"), max_length=200)
    source_text = models.TextField(_("原文"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    start_date = models.DateField(
        _("起始日期"), null=True, blank=True, help_text=_("常态化工作或禁止性要求的生效日期。")
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    comparison = models.CharField(_("比较方式"), max_length=10, choices=Comparison.choices, blank=True)
    target_basis = models.CharField(
        _("目标口径"),
        max_length=16,
        choices=TargetBasis.choices,
        default=TargetBasis.EACH_AREA,
        help_text=_(
            "全市总量：由局工作人员分解到各区域，各区域份额之和对照全市目标；全市比率：各区域目标由局分别确定；"
            "全市统计指标：目标由市级承担，各区域只报送配合情况。"
        ),
    )
    scope_text = models.CharField(
        _("适用范围"),
        max_length=200,
        blank=True,
        help_text=_("界定措施覆盖对象的条件，例如“单机容量30万千瓦以下煤电机组”。"),
    )
    scope_text_en = models.CharField(
        _("适用范围（英文）"), max_length=200, blank=True, help_text=_("空：英文页面按范围界限或中文原文显示。")
    )
    scope_threshold = models.DecimalField(
        _("范围界限"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("界定范围的数值，不是要达到的目标。"),
    )
    scope_unit = models.CharField(_("范围界限单位"), max_length=30, blank=True)
    scope_comparison = models.CharField(
        _("范围界限比较方式"), max_length=10, choices=ScopeComparison.choices, blank=True
    )
    report_period = models.CharField(
        _("填报周期"), max_length=6, choices=ReportPeriod.choices, default=ReportPeriod.ONCE
    )
    monthly_due_working_day = models.PositiveSmallIntegerField(
        _("每月报送截止工作日"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(periods.MAX_MONTHLY_DUE_WORKING_DAY)],
        help_text=_("按月填报：每期在次月第几个工作日前报送；留空按项目规则（第 5 个工作日）。"),
    )
    yearly_due_month = models.PositiveSmallIntegerField(
        _("每年报送截止月"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    yearly_due_day = models.PositiveSmallIntegerField(
        _("每年报送截止日"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "按年填报：每期在当年几月几日前完成；留空按项目规则（12 月 31 日）；“每年臭氧污染高发季前”为 4 月 30 日。"
        ),
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("责任部门"), blank=True, related_name="measures", help_text=_("原文点名的部门。")
    )
    reporting_departments = models.ManyToManyField(
        Department,
        verbose_name=_("填报部门"),
        blank=True,
        related_name="reported_measures",
        help_text=_("原文点名的部门中，在全市范围单独填报此措施进展的部门（须为责任部门之一）。"),
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
    history = HistoricalRecords(m2m_fields=[departments, reporting_departments, areas])

    class Meta:
        verbose_name = _("任务措施")
        verbose_name_plural = _("任务措施")
        ordering = ["sort_order", "code"]
        constraints = [
            # A successor plan may reuse the codes of its predecessor.
            models.UniqueConstraint(fields=["plan", "code"], name="measure_code_unique_in_plan"),
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
            # A scope threshold without its unit and sense cannot say what is covered.
            models.CheckConstraint(
                condition=models.Q(scope_threshold__isnull=True)
                | (~models.Q(scope_unit="") & ~models.Q(scope_comparison="")),
                name="measure_scope_threshold_complete",
            ),
            # A yearly due day is a month and a day together.
            models.CheckConstraint(
                condition=models.Q(yearly_due_month__isnull=True, yearly_due_day__isnull=True)
                | models.Q(yearly_due_month__isnull=False, yearly_due_day__isnull=False),
                name="measure_yearly_due_complete",
            ),
            # Only a quantity can be a city total, a city rate or a city statistic.
            models.CheckConstraint(
                condition=models.Q(target_basis="each_area") | models.Q(quantity__isnull=False),
                name="measure_city_basis_has_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        super().clean()
        # One query, not the section and its chapter fetched for every row the plan loader checks.
        in_plan = Section.objects.filter(pk=self.section_id, chapter__plan_id=self.plan_id)
        if self.section_id and self.plan_id and not in_plan.exists():
            raise ValidationError({"section": _("章节不属于该措施的行动计划。")})
        if (self.yearly_due_month is None) != (self.yearly_due_day is None):
            raise ValidationError({"yearly_due_day": _("每年报送截止日须同时填写月和日。")})
        month, day = self.yearly_due_month, self.yearly_due_day
        if month is not None and day is not None and not periods.valid_yearly_due(month, day):
            raise ValidationError(
                {
                    "yearly_due_day": _("%(month)s 月没有 %(day)s 日（2 月 29 日也不行：不是每年都有）。")
                    % {"month": month, "day": day}
                }
            )

    @property
    def localized_title(self) -> str:
        """``title_en`` when the page is in English, else ``title`` (areas/localization.py)."""
        return localized(self, "title")

    @property
    def localized_unit(self) -> str:
        """The unit in the page's language (areas/localization.py)."""
        return localized_unit(self.unit)

    @property
    def localized_scope(self) -> str:
        """The scope in the page's language: the plan's own words in Chinese; in English the plan file's
        English (``scope_text_en``), else its threshold (``30 ×10,000 kW or less``), else the plan's words."""
        if self.scope_text and english_active() and self.scope_text_en:
            return self.scope_text_en
        if not self.scope_text or not english_active() or self.scope_threshold is None:
            return self.scope_text
        bounds = {
            self.ScopeComparison.AT_LEAST: _("%(threshold)s %(unit)s 及以上"),
            self.ScopeComparison.AT_MOST: _("%(threshold)s %(unit)s 及以下"),
            self.ScopeComparison.MORE_THAN: _("超过 %(threshold)s %(unit)s"),
        }
        threshold = format(self.scope_threshold.normalize(), "f")
        return str(bounds[self.ScopeComparison(self.scope_comparison)]) % {
            "threshold": threshold,
            "unit": localized_unit(self.scope_unit),
        }

    @property
    def is_split_by_bureau(self) -> bool:
        """Whether each area's target is set by the bureau (a city total or rate), not copied from the plan."""
        return self.target_basis in (self.TargetBasis.CITY_TOTAL, self.TargetBasis.CITY_RATE)

    @property
    def falls_due_at_plan_end(self) -> bool:
        """One-off work the plan gives no date ("完成", "推进…"): it falls due at the end of the plan's period.
        Recurring duties and prohibitions fall due per reporting period instead."""
        return self.deadline is None and self.report_period == self.ReportPeriod.ONCE

    @property
    def yearly_due_on(self) -> tuple[int, int]:
        """(month, day) a yearly period falls due in its year: the measure's rule, else the project's."""
        if self.yearly_due_month and self.yearly_due_day:
            return self.yearly_due_month, self.yearly_due_day
        return periods.DEFAULT_YEARLY_DUE

    @property
    def due_rule_text(self) -> str:
        """When each period of a recurring duty falls due, as a sentence ('' for one-off work)."""
        if self.report_period == self.ReportPeriod.MONTH:
            working_day = self.monthly_due_working_day or periods.DEFAULT_MONTHLY_DUE_WORKING_DAY
            return str(_("每期在次月第 %(day)s 个工作日前报送。")) % {"day": working_day}
        if self.report_period == self.ReportPeriod.YEAR:
            month, day = self.yearly_due_on
            return str(_("每期在当年 %(month)s 月 %(day)s 日前完成。")) % {"month": month, "day": day}
        return ""

    def owed_periods(self) -> tuple[periods.Period, ...]:
        """The reporting periods a recurring duty or prohibition owes within its plan, each with its due date
        (measures/periods.py); none for one-off work."""
        plan_start = date(self.plan.start_year, 1, 1)
        return periods.periods(
            self.report_period,
            first_day=max(self.start_date, plan_start) if self.start_date else plan_start,
            last_day=date(self.plan.end_year, 12, 31),
            monthly_working_day=self.monthly_due_working_day or periods.DEFAULT_MONTHLY_DUE_WORKING_DAY,
            yearly_due_on=self.yearly_due_on,
        )

    def new_assignment(self, area: Area, department: Department | None = None) -> Assignment:
        """The measure's assignment to ``area`` as the plan makes it (unsaved): its due date, with the reason
        when the plan gives none, and the area's target (``target_for``). With ``department``, the
        department's own city-wide report on the measure, which carries no area target."""
        at_plan_end = self.falls_due_at_plan_end
        return Assignment(
            measure=self,
            area=area,
            department=department,
            deadline=date(self.plan.end_year, 12, 31) if at_plan_end else self.deadline,
            deadline_reason=PLAN_END_REASON if at_plan_end else "",
            target_quantity=None if department is not None else self.target_for(area),
        )

    def target_for(self, area: Area) -> Decimal | None:
        """The target an area is given when the measure is assigned to it (before the bureau sets any share).

        The plan's quantity binds each area only where the plan sets it for each one; a city total or rate
        has no area target until the bureau splits it, and a city statistic is the city's target alone.
        """
        if self.quantity is None:
            return None
        if self.target_basis == self.TargetBasis.EACH_AREA:
            return self.quantity
        if self.target_basis == self.TargetBasis.CITY_STATISTIC and area.is_city:
            return self.quantity
        return None


class ReviewState(models.TextChoices):
    """States of the review workflow (see ``measures/workflow.py``)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")


class Outcome(models.TextChoices):
    """What became of an assignment left unfinished when its plan closed (progress.closeout)."""

    CARRIED_OVER = "carried_over", _("结转")
    COMPLETED_LATE = "completed_late", _("逾期完成")
    NOT_COMPLETED = "not_completed", _("未能完成")


class Assignment(models.Model):
    """A measure assigned to one area (a county, a zone or the city itself), with its deadline.

    Its reporter is the area's government (its officials; bureau staff for the city) or, when ``department``
    is set, that department, which reports on the measure it leads across the area (the city).
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("任务措施"), on_delete=models.PROTECT, related_name="assignments"
    )
    area = models.ForeignKey(Area, verbose_name=_("责任区域"), on_delete=models.PROTECT, related_name="assignments")
    department = models.ForeignKey(
        Department,
        verbose_name=_("填报部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_assignments",
        help_text=_("由部门填报时为该部门；由区域填报时留空。"),
    )
    lead_departments = models.ManyToManyField(
        Department, verbose_name=_("牵头部门"), blank=True, related_name="assignments"
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    deadline_reason = models.CharField(
        _("时限调整理由"), max_length=300, blank=True, help_text=_("局工作人员调整计划时限时必须填写。")
    )
    target_quantity = models.DecimalField(_("目标数量"), max_digits=14, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    outcome = models.CharField(
        _("收官结论"),
        max_length=16,
        choices=Outcome.choices,
        blank=True,
        help_text=_("规划收官时未完成的任务由局工作人员确定：结转、逾期完成或未完成。"),
    )
    outcome_reason = models.TextField(_("收官说明"), blank=True, **reason_limit())
    carried_over_to = models.OneToOneField(
        "self",
        verbose_name=_("结转至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_over_from",
        help_text=_("结转到后续规划中某项措施的同一区域任务。"),
    )
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")
        ordering = ["deadline", "measure__sort_order", "area__sort_order"]
        constraints = [
            # One assignment per measure and area for the area's own report, and one per department reporting
            # on the measure there.
            models.UniqueConstraint(
                fields=["measure", "area"],
                condition=models.Q(department__isnull=True),
                name="one_assignment_per_measure_area",
            ),
            models.UniqueConstraint(
                fields=["measure", "area", "department"],
                condition=models.Q(department__isnull=False),
                name="one_assignment_per_measure_area_department",
            ),
            # A quantity target cannot be negative: every unit the plan uses (t, %, counts) starts at 0.
            models.CheckConstraint(
                condition=models.Q(target_quantity__isnull=True) | models.Q(target_quantity__gte=0),
                name="assignment_target_quantity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} · {self.reporter_name}"

    @property
    def reporter_name(self) -> str:
        """Who reports on it: the area, or the area and the department (``聊城市 · 交通运输部门``)."""
        if self.department_id is None:
            return self.area.localized_name
        return f"{self.area.localized_name} · {self.department.localized_name}"  # type: ignore[union-attr]


class ReviewedRecord(models.Model):
    """Fields shared by everything that goes through the review workflow."""

    state = models.CharField(_("状态"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1, help_text=_("每次保存加一，防止相互覆盖。"))
    return_reason = models.TextField(_("退回理由"), blank=True, **reason_limit())
    reopen_reason = models.TextField(_("重新打开理由"), blank=True, **reason_limit())
    returned_snapshot = models.JSONField(_("退回时内容"), null=True, blank=True, editable=False)
    approved_snapshot = models.JSONField(_("审核通过时内容"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "auth.User", verbose_name=_("提交人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "auth.User", verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.state in (ReviewState.DRAFT, ReviewState.RETURNED)


class Submission(ReviewedRecord):
    """A county's completion form for one assignment and one reporting period (完成情况填报)."""

    class WorkStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("进行中")
        DONE = "done", _("已完成")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分解"), on_delete=models.PROTECT, related_name="submissions"
    )
    period = models.CharField(
        _("填报期"), max_length=7, blank=True, help_text=_("按月填报为 YYYY-MM，按年填报为 YYYY，一次性任务为空。")
    )
    work_status = models.CharField(
        _("完成情况"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    progress_value = models.DecimalField(_("进展数值"), max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("工作进展说明"), blank=True, **narrative_limit())
    completed_on = models.DateField(
        _("完成日期"),
        null=True,
        blank=True,
        help_text=_("工作实际完成的日期，以佐证材料为准；是否按时完成按此日期判断，而不是按填报时间。"),
    )
    created_by = models.ForeignKey(
        "auth.User", verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="measure_submissions"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("完成情况填报")
        verbose_name_plural = _("完成情况填报")
        ordering = ["assignment", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period"], name="one_submission_per_assignment_period"),
            # Progress is counted in the measure's unit (t, %, counts): never below zero.
            models.CheckConstraint(
                condition=models.Q(progress_value__isnull=True) | models.Q(progress_value__gte=0),
                name="submission_progress_not_negative",
            ),
            # A return without its reason leaves the county guessing what to fix.
            models.CheckConstraint(
                condition=~models.Q(state="returned") | ~models.Q(return_reason=""),
                name="submission_returned_has_reason",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="submission_version_positive"),
            # Work not done has no completion date.
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True) | models.Q(work_status="done"),
                name="submission_completed_on_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.period}".strip()

    @property
    def short_of_target(self) -> bool:
        """The value misses the area's target the way the measure states it: below an "at least" target,
        above an "at most" one (a limit, such as dust fall); never for a target "about" a number."""
        target, value = self.assignment.target_quantity, self.progress_value
        if target is None or value is None:
            return False
        comparison = self.assignment.measure.comparison
        if comparison == Measure.Comparison.AT_LEAST:
            return value < target
        if comparison == Measure.Comparison.AT_MOST:
            return value > target
        return False


class ReductionProject(ReviewedRecord):
    """A key emission-reduction project (重点工程) and its verified reduction, reviewed by the bureau."""

    class Pollutant(models.TextChoices):
        NOX = "nox", _("氮氧化物（NOx）")
        VOCS = "vocs", _("挥发性有机物（VOCs）")

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("行动计划"),
        on_delete=models.PROTECT,
        related_name="reduction_projects",
        help_text=_("工程计入的规划：计划完成时间所在年份适用的规划。"),
    )
    area = models.ForeignKey(
        Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="reduction_projects"
    )
    name = models.CharField(_("工程名称"), max_length=200)
    enterprise = models.CharField(_("企业名称"), max_length=200)
    pollutant = models.CharField(_("污染物"), max_length=5, choices=Pollutant.choices)
    expected_tonnes = models.DecimalField(_("预计减排量（吨）"), max_digits=12, decimal_places=2)
    planned_completion = models.DateField(_("计划完成时间"))
    verified_tonnes = models.DecimalField(_("核定减排量（吨）"), max_digits=12, decimal_places=2, null=True, blank=True)
    verified_on = models.DateField(_("核定日期"), null=True, blank=True)
    effective_on = models.DateField(
        _("减排生效日期"),
        null=True,
        blank=True,
        help_text=_("工程建成投运、减排开始发挥作用的日期：核定减排量计入该日期所在年份，须在规划期内。"),
    )
    narrative = models.TextField(_("说明"), blank=True, **narrative_limit())
    created_by = models.ForeignKey(
        "auth.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="reduction_projects"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("重点减排工程")
        verbose_name_plural = _("重点减排工程")
        ordering = ["area__sort_order", "planned_completion", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "area", "name", "pollutant"], name="reduction_project_unique_in_plan_area"
            ),
            # Tonnes of a reduction are physical quantities: never negative.
            models.CheckConstraint(condition=models.Q(expected_tonnes__gte=0), name="reduction_expected_not_negative"),
            models.CheckConstraint(
                condition=models.Q(verified_tonnes__isnull=True) | models.Q(verified_tonnes__gte=0),
                name="reduction_verified_not_negative",
            ),
            # A verified figure has the day it was verified and the day the reduction took effect (the year
            # it counts in): all three or none.
            models.CheckConstraint(
                condition=models.Q(verified_tonnes__isnull=True, verified_on__isnull=True, effective_on__isnull=True)
                | models.Q(verified_tonnes__isnull=False, verified_on__isnull=False, effective_on__isnull=False),
                name="reduction_verified_has_dates",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="returned") | ~models.Q(return_reason=""),
                name="reduction_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.enterprise}）"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # The stored name is the checksum, never the uploader's file name (no path tricks, no clashes).
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"


class Evidence(models.Model):
    """A file proving the work (佐证材料); served only through a permission-checked view."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("完成情况填报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    project = models.ForeignKey(
        ReductionProject,
        verbose_name=_("重点减排工程"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    extension = models.CharField(_("扩展名"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey("auth.User", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]
        constraints = [
            # Evidence belongs to exactly one form: a completion form or a key project.
            models.CheckConstraint(
                condition=models.Q(submission__isnull=False, project__isnull=True)
                | models.Q(submission__isnull=True, project__isnull=False),
                name="evidence_has_one_owner",
            ),
            # An empty file proves nothing (refused at upload as well).
            models.CheckConstraint(condition=models.Q(size__gt=0), name="evidence_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def area_id(self) -> int:
        if self.submission_id is not None:
            return self.submission.assignment.area_id
        return self.project.area_id


class DigestLog(models.Model):
    """One daily reminder digest sent to one recipient: makes the daily task idempotent."""

    day = models.DateField(_("日期"))
    user = models.ForeignKey("auth.User", verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("邮箱"))
    items = models.PositiveIntegerField(_("事项数"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("每日提醒记录")
        verbose_name_plural = _("每日提醒记录")
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["day", "user"], name="one_digest_per_user_per_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.email}"


class Supervision(models.Model):
    """Special supervision (专项督导) of an area, the top of the escalation ladder: reminder → overdue →
    warning list → supervision. The plan (十、（二）): "对工作不力、责任落实不到位、空气质量明显恶化、大气污染问题突出、
    监测数据弄虚作假严重的县（市、区），组织开展专项督导。"

    The bureau opens it on one of the plan's grounds, records its finding with a rectification task and a
    due date, the area reports its rectification, and the bureau closes it (``measures.services_supervision``).
    """

    class Ground(models.TextChoices):
        POOR_WORK = "poor_work", _("工作不力")
        RESPONSIBILITY = "responsibility", _("责任落实不到位")
        WORSENING = "worsening", _("空气质量明显恶化")
        POLLUTION = "pollution", _("大气污染问题突出")
        FALSIFIED_DATA = "falsified_data", _("监测数据弄虚作假严重")

    class State(models.TextChoices):
        OPEN = "open", _("已立项")
        RECTIFYING = "rectifying", _("整改中")
        REPORTED = "reported", _("已报送整改情况")
        CLOSED = "closed", _("已销号")

    area = models.ForeignKey(Area, verbose_name=_("督导区域"), on_delete=models.PROTECT, related_name="supervisions")
    ground = models.CharField(_("督导事由"), max_length=16, choices=Ground.choices)
    reason = models.TextField(
        _("情况说明"), help_text=_("列入督导的具体情况，例如逾期任务、同比恶化的指标。"), **reason_limit()
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    finding = models.TextField(_("督导发现的问题"), blank=True, **narrative_limit())
    rectification = models.TextField(_("整改任务"), blank=True, **narrative_limit())
    rectification_due = models.DateField(_("整改时限"), null=True, blank=True)
    rectification_report = models.TextField(_("整改情况"), blank=True, **narrative_limit())
    closing_note = models.TextField(_("销号意见"), blank=True, **reason_limit())
    opened_by = models.ForeignKey(
        "auth.User", verbose_name=_("立项人"), on_delete=models.PROTECT, related_name="supervisions_opened"
    )
    opened_at = models.DateTimeField(_("立项时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("专项督导")
        verbose_name_plural = _("专项督导")
        ordering = ["-opened_at"]
        constraints = [
            # A rectification task always has its due date, and a finding comes with its task.
            models.CheckConstraint(
                condition=models.Q(state="open") | (~models.Q(finding="") & ~models.Q(rectification="")),
                name="supervision_finding_before_rectifying",
            ),
            models.CheckConstraint(
                condition=models.Q(rectification="") | models.Q(rectification_due__isnull=False),
                name="supervision_rectification_has_due_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="closed") | (~models.Q(closing_note="") & models.Q(closed_at__isnull=False)),
                name="supervision_closed_with_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.get_ground_display()}"
