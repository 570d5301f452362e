"""Each score run names the plan it was measured against (issue 10); filled in by 0003.

Two migrations, not one: on PostgreSQL a migration may not update a table's rows and then build the new
column's index and foreign key in the same transaction ("pending trigger events").
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0001_initial"),
        ("targets", "0007_plan_status_in_force_closed"),
    ]

    operations = [
        migrations.AddField(
            model_name="scorerun",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                help_text="该年所适用的规划（targets.selectors.plans_for_years）；为空表示该年没有适用的规划，不设目标。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="score_runs",
                to="targets.plan",
                verbose_name="所依据的规划",
            ),
        ),
    ]
