"""Key projects belong to a plan and count in the year their reduction takes effect (issue 10).

Three steps, so that PostgreSQL never updates rows and alters the table in one transaction: 0006 adds
the columns (the plan nullable), 0007 fills them for existing projects, 0008 makes the plan required and
adds the constraints.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('measures', '0005_assignment_outcome'),
        ('targets', '0008_plan_close_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='reductionproject',
            name='reduction_project_unique_in_area',
        ),
        migrations.RemoveConstraint(
            model_name='reductionproject',
            name='reduction_verified_has_date',
        ),
        migrations.AddField(
            model_name='historicalreductionproject',
            name='effective_on',
            field=models.DateField(blank=True, help_text='工程建成投运、减排开始发挥作用的日期：核定减排量计入该日期所在年份，须在规划期内。', null=True, verbose_name='减排生效日期'),
        ),
        migrations.AddField(
            model_name='historicalreductionproject',
            name='plan',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='工程计入的规划：计划完成时间所在年份适用的规划。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='targets.plan', verbose_name='行动计划'),
        ),
        migrations.AddField(
            model_name='reductionproject',
            name='effective_on',
            field=models.DateField(blank=True, help_text='工程建成投运、减排开始发挥作用的日期：核定减排量计入该日期所在年份，须在规划期内。', null=True, verbose_name='减排生效日期'),
        ),
        migrations.AddField(
            model_name='reductionproject',
            name='plan',
            field=models.ForeignKey(help_text='工程计入的规划：计划完成时间所在年份适用的规划。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reduction_projects', to='targets.plan', verbose_name='行动计划'),
        ),
    ]
