"""Forms of the measures workflow. They parse and check input; services do the writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from areas.limits import NARRATIVE_MAX_CHARS, REASON_MAX_CHARS
from areas.widgets import IsoDateInput

from .models import Measure, ReductionProject, Submission, Supervision
from .services import ProjectData, SubmissionData, check_progress, plain_number


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django docs, “Uploading multiple files”)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        # Empty files are refused by the service with the file's name; let them through here.
        files = [d for d in data if d] if isinstance(data, list | tuple) else ([data] if data else [])
        limit = settings.MEASURES_EVIDENCE_MAX_FILES
        if len(files) > limit:
            raise forms.ValidationError(
                _("一次最多上传 %(limit)s 个文件（本次 %(count)s 个）：请分次上传。"),
                params={"limit": limit, "count": len(files)},
            )
        return files


class SubmissionForm(forms.Form):
    period = forms.CharField(label=_("填报期"), max_length=7, required=False)
    work_status = forms.ChoiceField(label=_("完成情况"), choices=Submission.WorkStatus.choices)
    progress_value = forms.DecimalField(label=_("进展数值"), max_digits=14, decimal_places=2, required=False)
    completed_on = forms.DateField(
        label=_("完成日期"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("“已完成”时填写：工作实际完成的日期，以佐证材料为准。是否按时按此日期判断。"),
    )
    narrative = forms.CharField(
        label=_("工作进展说明"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=NARRATIVE_MAX_CHARS,
    )
    evidence = MultipleFileField(
        label=_("佐证材料"), help_text=_("PDF、JPEG/PNG 图片、Excel（xlsx/xls）、Word（docx/doc）；可多选。")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, measure: Measure, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        if measure.unit:
            self.fields["progress_value"].label = _("进展数值（%(unit)s）") % {"unit": measure.localized_unit}
        if measure.report_period == Measure.ReportPeriod.ONCE or not new:
            del self.fields["period"]
        else:
            self.fields["period"].required = True
            self.fields["period"].help_text = (
                _("月份，格式 YYYY-MM") if measure.report_period == Measure.ReportPeriod.MONTH else _("年份，格式 YYYY")
            )

    def clean_progress_value(self) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get("progress_value")
        try:
            check_progress(value, self.measure.unit)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["progress_value"]) from exc
        return value

    def to_data(self) -> SubmissionData:
        return SubmissionData(
            work_status=self.cleaned_data["work_status"],
            progress_value=self.cleaned_data.get("progress_value"),
            narrative=self.cleaned_data.get("narrative", ""),
            completed_on=self.cleaned_data.get("completed_on"),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=REASON_MAX_CHARS
    )


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("新的完成时限"), widget=IsoDateInput())
    reason = forms.CharField(label=_("调整理由"), max_length=300)


class SharesForm(forms.Form):
    """One target per area of a city total or rate (``share_<area code>``), and why they are set."""

    reason = forms.CharField(label=_("理由"), max_length=300, help_text=_("例如：依据各县（市、区）资源条件分解。"))

    def __init__(self, *args: Any, table: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        unit = table.measure.localized_unit
        for row in table.rows:
            area = row.assignment.area
            self.fields[f"share_{area.code}"] = forms.DecimalField(
                label=f"{area.localized_name}（{unit}）" if unit else area.localized_name,
                max_digits=14,
                decimal_places=2,
                min_value=0,
                required=False,
                # 80, not 80.00: the figure as the bureau writes it.
                initial=plain_number(row.assignment.target_quantity),
            )
        self.order_fields([*(f"share_{r.assignment.area.code}" for r in table.rows), "reason"])

    def shares(self) -> dict[str, Decimal | None]:
        return {
            name.removeprefix("share_"): value for name, value in self.cleaned_data.items() if name.startswith("share_")
        }

    def share_fields(self) -> list[tuple[Any, Any]]:
        """(row of the table, its bound field), in the table's order."""
        return [(row, self[f"share_{row.assignment.area.code}"]) for row in self.table.rows]


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("工程名称"), max_length=200)
    enterprise = forms.CharField(label=_("企业名称"), max_length=200)
    pollutant = forms.ChoiceField(label=_("污染物"), choices=ReductionProject.Pollutant.choices)
    expected_tonnes = forms.DecimalField(label=_("预计减排量（吨）"), max_digits=12, decimal_places=2, min_value=0)
    planned_completion = forms.DateField(label=_("计划完成时间"), widget=IsoDateInput())
    verified_tonnes = forms.DecimalField(
        label=_("核定减排量（吨）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    verified_on = forms.DateField(label=_("核定日期"), required=False, widget=IsoDateInput())
    effective_on = forms.DateField(
        label=_("减排生效日期"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("工程建成投运、减排开始发挥作用的日期：核定减排量计入该日期所在年份。"),
    )
    narrative = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NARRATIVE_MAX_CHARS
    )
    evidence = MultipleFileField(label=_("佐证材料"), help_text=_("核查报告、监测报告等（PDF、图片、Excel、Word）。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if len({data.get(f) is None for f in ("verified_tonnes", "verified_on", "effective_on")}) > 1:
            self.add_error("verified_on", _("核定减排量、核定日期和减排生效日期须同时填写。"))
        return data

    def to_data(self) -> ProjectData:
        d = self.cleaned_data
        return ProjectData(
            name=d["name"],
            enterprise=d["enterprise"],
            pollutant=d["pollutant"],
            expected_tonnes=d["expected_tonnes"],
            planned_completion=d["planned_completion"],
            verified_tonnes=d.get("verified_tonnes"),
            verified_on=d.get("verified_on"),
            effective_on=d.get("effective_on"),
            narrative=d.get("narrative", ""),
        )


PLAN_FILE_MAX_BYTES = 5 * 1024 * 1024


class PlanFileForm(forms.Form):
    """A plan file to load (docs/plan-file.md); its content is checked by the loader."""

    file = forms.FileField(label=_("行动计划文件"), help_text=_("JSON 格式，字段说明见 docs/plan-file.md。"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".json"):
            raise ValidationError(_("不支持的文件类型“%(name)s”：请上传 .json 文件。"), params={"name": upload.name})
        if upload.size == 0:
            raise ValidationError(_("文件为空。"))
        if upload.size > PLAN_FILE_MAX_BYTES:
            raise ValidationError(_("文件超过 5 MB。"))
        return upload


class SupervisionOpenForm(forms.Form):
    """Put an assessment unit under special supervision (专项督导) on one of the plan's grounds."""

    area = forms.ChoiceField(label=_("督导区域"), choices=())
    ground = forms.ChoiceField(label=_("督导事由"), choices=Supervision.Ground.choices)
    reason = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX_CHARS)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]


class SupervisionFindingForm(forms.Form):
    finding = forms.CharField(
        label=_("督导发现的问题"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NARRATIVE_MAX_CHARS
    )
    rectification = forms.CharField(
        label=_("整改任务"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NARRATIVE_MAX_CHARS
    )
    due = forms.DateField(label=_("整改时限"), widget=IsoDateInput())


class SupervisionReportForm(forms.Form):
    report = forms.CharField(
        label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=NARRATIVE_MAX_CHARS
    )


class SupervisionCloseForm(forms.Form):
    note = forms.CharField(label=_("销号意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX_CHARS)
