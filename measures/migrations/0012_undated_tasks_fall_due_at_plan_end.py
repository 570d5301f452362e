"""A one-off task the plan gives no date ("推进…关停整合", "完成…") falls due at the end of the plan's period
(issue 11, item 6): stored assignments without a due date get 31 December of the plan's last year, with the
reason and a history record. Recurring duties and prohibitions are left as they are (they fall due per
reporting period); a due date the bureau set is never touched.
"""

import datetime

from django.db import migrations
from django.utils import timezone

PLAN_END_REASON = "原文未定完成时限，按规划期末"


def undated_tasks_due_at_plan_end(apps, schema_editor):
    assignment_model = apps.get_model("measures", "Assignment")
    historical = apps.get_model("measures", "HistoricalAssignment")
    undated = assignment_model.objects.filter(
        deadline__isnull=True, measure__deadline__isnull=True, measure__report_period="once"
    ).select_related("measure__plan")
    for assignment in undated:
        assignment.deadline = datetime.date(assignment.measure.plan.end_year, 12, 31)
        assignment.deadline_reason = PLAN_END_REASON
        assignment.save(update_fields=["deadline", "deadline_reason"])
        values = {field.attname: getattr(assignment, field.attname) for field in assignment._meta.concrete_fields}
        historical.objects.create(
            **values,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=f"数据更正：{PLAN_END_REASON}（问题11）",
            history_user_id=None,
        )


class Migration(migrations.Migration):
    dependencies = [("measures", "0011_submission_completed_on")]

    operations = [migrations.RunPython(undated_tasks_due_at_plan_end, migrations.RunPython.noop)]
