from django.db import migrations, models


class Migration(migrations.Migration):
    """Each stored month and year says which Grade-II limits its composite index divides by. Every row
    stored so far was computed with GB 3095-2012's (PM2.5/35), which the default records; 0013 brings the
    rows that end on or after 2026-03-01 onto GB 3095-2026 phase one."""

    dependencies = [("monitoring", "0011_dust_fall")]

    operations = [
        migrations.AddField(
            model_name=model,
            name="composite_limits",
            field=models.CharField(
                default="GB3095-2012",
                help_text="综合指数所除的二级浓度限值：GB3095-2012、GB3095-2026-I（第一阶段）……",
                max_length=16,
                verbose_name="综合指数所用限值",
            ),
            preserve_default=False,
        )
        for model in ("areaperiod", "stationperiod")
    ]
