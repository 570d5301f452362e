"""The measure board as a table to download (areas.exports): the page's rows, the page's role scope."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as gettext_now

from areas.exports import Table

from .selectors import AssignmentRow


def board_table(rows: list[AssignmentRow], *, today: date) -> Table:
    """The board's rows as judged on ``today`` (deadlines, working days left), which the title states."""
    levels = {
        "none": "",
        "reminder": gettext_now("即将到期"),
        "overdue": gettext_now("逾期"),
        "warning": gettext_now("预警"),
    }
    return Table(
        title=gettext_now("任务措施看板（截至 %(day)s）") % {"day": today.isoformat()},
        sheet_name=gettext_now("任务措施看板"),
        header=[
            gettext_now("编号"),
            gettext_now("章"),
            gettext_now("任务"),
            gettext_now("责任区域"),
            gettext_now("填报部门"),
            gettext_now("完成时限"),
            gettext_now("目标数量"),
            gettext_now("单位"),
            gettext_now("填报状态"),
            gettext_now("进展数值"),
            gettext_now("审核通过日期"),
            gettext_now("剩余工作日"),
            gettext_now("督办等级"),
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
