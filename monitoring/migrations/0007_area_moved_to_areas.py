"""The foreign keys to Area now name areas.Area (state only: the table is the same one, renamed by
targets.0003; see areas.0001 for the whole move)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("areas", "0001_initial"),
        ("monitoring", "0006_ingestrun_results_stored"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='areaday',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='air_days', to='areas.area', verbose_name='区域'),
                ),
                migrations.AlterField(
                    model_name='areaperiod',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='air_periods', to='areas.area', verbose_name='区域'),
                ),
                migrations.AlterField(
                    model_name='station',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stations', to='areas.area', verbose_name='所属县（市、区）'),
                ),
            ],
            database_operations=[],
        ),
    ]
