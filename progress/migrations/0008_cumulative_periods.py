"""Runs store 1–M月 (1 January to the end of each complete month) beside the months and the year to date:
the periods a monthly bulletin quotes. Stored runs gain them at their next recompute. Backwards, the
cumulative rows (which the older schema cannot hold) are deleted first; they are recomputed from the
stored daily results going forwards again."""

from django.db import migrations, models


def cumulative_rows_delete(apps, schema_editor):
    apps.get_model("progress", "ProgressSnapshot").objects.filter(cumulative=True).delete()
    apps.get_model("progress", "RankingEntry").objects.filter(cumulative=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0003_ranking_groups_as_liaocheng_publishes_them'),
        ('progress', '0007_publications_and_editions_of_stored_runs'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='progresssnapshot',
            name='one_progress_snapshot_per_run_area_month_indicator',
        ),
        migrations.RemoveConstraint(
            model_name='rankingentry',
            name='one_ranking_entry_per_run_area_month',
        ),
        migrations.RemoveConstraint(
            model_name='rankingentry',
            name='one_group_ranking_entry_per_run_area_month',
        ),
        migrations.AddField(
            model_name='progresssnapshot',
            name='cumulative',
            field=models.BooleanField(default=False, help_text='是：1 月 1 日至该月末（1–N月）；否：该月本身（月份为 0 时为年初至今）。', verbose_name='1至当月累计'),
        ),
        migrations.AddField(
            model_name='rankingentry',
            name='cumulative',
            field=models.BooleanField(default=False, help_text='是：1 月 1 日至该月末（1–N月）。', verbose_name='1至当月累计'),
        ),
        migrations.RunPython(migrations.RunPython.noop, cumulative_rows_delete),
        migrations.AddConstraint(
            model_name='progresssnapshot',
            constraint=models.UniqueConstraint(fields=('run', 'area', 'month', 'cumulative', 'indicator'), name='one_progress_snapshot_per_run_area_period_indicator'),
        ),
        migrations.AddConstraint(
            model_name='progresssnapshot',
            constraint=models.CheckConstraint(condition=models.Q(('cumulative', True), ('month', 0), _negated=True), name='progress_snapshot_cumulative_has_a_month'),
        ),
        migrations.AddConstraint(
            model_name='rankingentry',
            constraint=models.UniqueConstraint(condition=models.Q(('group__isnull', True)), fields=('run', 'area', 'month', 'cumulative'), name='one_ranking_entry_per_run_area_period'),
        ),
        migrations.AddConstraint(
            model_name='rankingentry',
            constraint=models.UniqueConstraint(condition=models.Q(('group__isnull', False)), fields=('run', 'area', 'month', 'cumulative', 'group'), name='one_group_ranking_entry_per_run_area_period'),
        ),
    ]
