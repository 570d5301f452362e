"""The foreign keys to Area now name areas.Area (state only: the table is the same one, renamed by
targets.0003; see areas.0001 for the whole move)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("areas", "0001_initial"),
        ("measures", "0002_assignments_submissions_projects_evidence"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='assignment',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='areas.area', verbose_name='责任区域'),
                ),
                migrations.AlterField(
                    model_name='historicalassignment',
                    name='area',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.area', verbose_name='责任区域'),
                ),
                migrations.AlterField(
                    model_name='historicalmeasure_areas',
                    name='area',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.area'),
                ),
                migrations.AlterField(
                    model_name='historicalreductionproject',
                    name='area',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.area', verbose_name='所属区域'),
                ),
                migrations.AlterField(
                    model_name='measure',
                    name='areas',
                    field=models.ManyToManyField(blank=True, help_text='仅当不适用于全部县（市、区）时填写。', related_name='measures', to='areas.area', verbose_name='适用区域'),
                ),
                migrations.AlterField(
                    model_name='reductionproject',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reduction_projects', to='areas.area', verbose_name='所属区域'),
                ),
            ],
            database_operations=[],
        ),
    ]
