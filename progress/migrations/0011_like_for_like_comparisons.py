from django.db import migrations, models


class Migration(migrations.Migration):
    """Runs say which limits their composite index divides by and whether last year was recomputed under
    this year's rules; snapshots keep last year's official figure beside the comparison base. Every run
    stored so far was computed with GB 3095-2012's limits and compared with last year's official figures,
    which the defaults and 0012 record."""

    dependencies = [("progress", "0010_evaluation_documents")]

    operations = [
        migrations.AddField(
            model_name="scorerun",
            name="composite_limits",
            field=models.CharField(
                blank=True,
                default="GB3095-2012",
                help_text="年初至今综合指数所除的二级浓度限值：GB3095-2012 或 GB3095-2026-I（第一阶段）。",
                max_length=16,
                verbose_name="综合指数所用限值",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="scorerun",
            name="last_year_restated",
            field=models.BooleanField(
                default=False,
                help_text="是：去年同期按今年同日适用的评价标准重新计算（同口径比较）；按当时标准的数值并列保存。",
                verbose_name="去年同期按今年标准重算",
            ),
        ),
        migrations.AddField(
            model_name="progresssnapshot",
            name="last_year_official",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="去年同期按当时适用的标准计算、当时发布的数值。",
                max_digits=12,
                null=True,
                verbose_name="去年同期（当时标准）",
            ),
        ),
        migrations.AlterField(
            model_name="progresssnapshot",
            name="last_year",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="同口径：按今年同日适用的评价标准计算（ScoreRun.last_year_restated）；同比变化据此计算。",
                max_digits=12,
                null=True,
                verbose_name="去年同期",
            ),
        ),
    ]
