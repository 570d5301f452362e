"""Undo a wrong reason (issue 11): between measures.0012 and this migration, assigning a plan wrote
"原文未定完成时限，按规划期末" also on recurring duties and prohibitions, which have no due date of their own
(they fall due per reporting period). An assignment without a due date loses that reason; nothing else moves.
"""

from django.db import migrations

PLAN_END_REASON = "原文未定完成时限，按规划期末"


def reason_cleared(apps, schema_editor):
    assignment_model = apps.get_model("measures", "Assignment")
    assignment_model.objects.filter(deadline__isnull=True, deadline_reason=PLAN_END_REASON).update(deadline_reason="")


class Migration(migrations.Migration):
    dependencies = [("measures", "0012_undated_tasks_fall_due_at_plan_end")]

    operations = [migrations.RunPython(reason_cleared, migrations.RunPython.noop)]
