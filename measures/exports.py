"""Excel export of the measure board (same rows, same role scope as the page)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import AssignmentRow


def board_xlsx(rows: list[AssignmentRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("任务措施看板")
    sheet.append(
        [
            _("编号"),
            _("章"),
            _("任务"),
            _("责任区域"),
            _("完成时限"),
            _("目标数量"),
            _("单位"),
            _("填报状态"),
            _("进展数值"),
            _("审核通过日期"),
            _("剩余工作日"),
            _("督办等级"),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    levels = {"none": "", "reminder": _("即将到期"), "overdue": _("逾期"), "warning": _("预警")}
    for row in rows:
        a = row.assignment
        sheet.append(
            [
                a.measure.code,
                a.measure.section.chapter.number,
                a.measure.title,
                a.area.name,
                a.deadline,
                a.target_quantity,
                a.measure.unit,
                row.state_label,
                row.latest.progress_value if row.latest else None,
                row.approved_on,
                row.deadline.working_days_left,
                levels[row.level],
            ]
        )
    for column, width in zip("ABCDEFGHIJKL", (10, 5, 40, 12, 12, 10, 10, 10, 10, 12, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
