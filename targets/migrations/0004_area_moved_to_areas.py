"""Area and CountyOfficial leave targets: the foreign keys name areas.Area and the two models leave the
state of targets (state only; see areas.0001 for the whole move)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("areas", "0001_initial"),
        ("measures", "0003_area_moved_to_areas"),
        ("monitoring", "0007_area_moved_to_areas"),
        ("targets", "0003_area_tables_renamed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='target',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='areas.area', verbose_name='区域'),
                ),
                migrations.AlterField(
                    model_name='plan',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='areas.area', verbose_name='区域'),
                ),
                migrations.AlterField(
                    model_name='progresssnapshot',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.area', verbose_name='区域'),
                ),
                migrations.AlterField(
                    model_name='rankingentry',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.area', verbose_name='区域'),
                ),
                migrations.AlterField(
                    model_name='historicaltarget',
                    name='area',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.area', verbose_name='区域'),
                ),
                migrations.DeleteModel(
                    name='CountyOfficial',
                ),
                migrations.DeleteModel(
                    name='Area',
                ),
            ],
            database_operations=[],
        ),
    ]
