"""The measure board as a table to download (areas.exports): the page's rows, the page's role scope."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from areas.exports import Table

from .selectors import AssignmentRow


def board_table(rows: list[AssignmentRow], *, today: date) -> Table:
    """The board's rows as judged on ``today`` (deadlines, working days left), which the title states."""
    levels = {"none": "", "reminder": _("即将到期"), "overdue": _("逾期"), "warning": _("预警")}
    return Table(
        title=_("任务措施看板（截至 %(day)s）") % {"day": today.isoformat()},
        sheet_name=_("任务措施看板"),
        header=[
            _("编号"),
            _("章"),
            _("任务"),
            _("责任区域"),
            _("填报部门"),
            _("完成时限"),
            _("目标数量"),
            _("单位"),
            _("填报状态"),
            _("进展数值"),
            _("审核通过日期"),
            _("剩余工作日"),
            _("督办等级"),
        ],
        rows=[
            [
                row.assignment.measure.code,
                row.assignment.measure.section.chapter.number,
                row.assignment.measure.title,
                row.assignment.area.name,
                row.assignment.department.name if row.assignment.department else "",
                row.assignment.deadline,
                row.assignment.target_quantity,
                row.assignment.measure.unit,
                row.state_label,
                row.latest.progress_value if row.latest else None,
                row.approved_on,
                row.deadline.working_days_left,
                levels[row.level],
            ]
            for row in rows
        ],
        column_widths=(10, 5, 40, 12, 16, 12, 10, 10, 10, 10, 12, 10, 10),
    )
