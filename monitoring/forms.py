"""Forms of the monitoring pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from areas.selectors import assessment_units_query
from areas.widgets import IsoDateInput

from . import formats
from .models import Flavour

ACCEPTED_SUFFIXES = (".csv", ".txt", ".xlsx")


class IngestUploadForm(forms.Form):
    file = forms.FileField(
        label=_("小时数据文件"),
        help_text=_("长表、宽表或 CNEMC 小时数据导出；CSV（UTF-8 或 GBK）或 .xlsx。"),
    )
    flavour = forms.TypedChoiceField(label=_("数据类型"), choices=Flavour.choices, coerce=int, initial=Flavour.REALTIME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = gettext_now(
            "每个文件最多 %(size)s MB、%(columns)s 列、%(rows)s 行；.xlsx 解压后最多 %(xlsx)s MB（约 15 万行），"
            "更大的数据请用 CSV。"
        ) % {
            "size": f"{settings.STATION_FILE_MAX_BYTES / (1024 * 1024):g}",
            "columns": f"{formats.MAX_COLUMNS:,}",
            "rows": f"{formats.MAX_ROWS:,}",
            "xlsx": f"{formats.XLSX_MAX_UNCOMPRESSED_BYTES / (1024 * 1024):g}",
        }
        self.fields["file"].help_text = f"{self.fields['file'].help_text} {limits}"

    def clean_file(self) -> forms.Field:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(
                _("不支持的文件类型“%(name)s”：请上传 .csv 或 .xlsx 文件。"), params={"name": upload.name}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件为空。"))
        if upload.size > settings.STATION_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大（%(size)s MB）：每个文件最多 %(limit)s MB，请按月或按站点拆分后上传。"),
                params={
                    "size": f"{upload.size / (1024 * 1024):.1f}",
                    "limit": f"{settings.STATION_FILE_MAX_BYTES / (1024 * 1024):g}",
                },
            )
        return upload


class AssessmentUnitChoice(forms.ModelChoiceField):
    """An assessment unit (county or zone) by its code, named in the reader's language."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=assessment_units_query(), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Area) -> str:  # type: ignore[override]
        return str(obj.localized_name)


class DustDayForm(forms.Form):
    """Mark a dust-affected day (扣沙, 环办监测〔2016〕120号) for the city or one assessment unit."""

    date = forms.DateField(label=_("日期"), widget=IsoDateInput())
    area = AssessmentUnitChoice(
        label=_("范围"),
        required=False,
        empty_label=_("全市（所有站点和区域）"),
        help_text=_("全市标记用于市和各县区的统计；只影响一个县（市、区）或功能区时选择它：只用于它和位于其中的站点。"),
    )
    reason = forms.CharField(
        label=_("依据"),
        max_length=300,
        help_text=_("例如：沙尘天气过程，省生态环境监测中心确认文件编号。"),
    )


class DustDayUnmarkForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    area = AssessmentUnitChoice(required=False, widget=forms.HiddenInput)


class AssessmentStationsForm(forms.Form):
    """Which stations assess one area (township micro-stations are not offered: they assess no area)."""

    stations = forms.MultipleChoiceField(
        label=_("评价站点"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    reason = forms.CharField(
        label=_("调整理由"),
        max_length=300,
        help_text=_("例如：依据省厅考核办法，东昌府区以辖区内县控点评价。"),
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["stations"].choices = choices  # type: ignore[attr-defined]
