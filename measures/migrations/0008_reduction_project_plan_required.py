"""The plan of a key project is required; the constraints that name it and the effective date (see 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("measures", "0007_reduction_projects_plan_set")]

    operations = [
        migrations.AlterField(
            model_name="reductionproject",
            name="plan",
            field=models.ForeignKey(
                help_text="工程计入的规划：计划完成时间所在年份适用的规划。",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reduction_projects",
                to="targets.plan",
                verbose_name="行动计划",
            ),
        ),
        migrations.AddConstraint(
            model_name='reductionproject',
            constraint=models.UniqueConstraint(fields=('plan', 'area', 'name', 'pollutant'), name='reduction_project_unique_in_plan_area'),
        ),
        migrations.AddConstraint(
            model_name='reductionproject',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('effective_on__isnull', True), ('verified_on__isnull', True), ('verified_tonnes__isnull', True)), models.Q(('effective_on__isnull', False), ('verified_on__isnull', False), ('verified_tonnes__isnull', False)), _connector='OR'), name='reduction_verified_has_dates'),
        ),
    ]
