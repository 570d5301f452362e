"""ScoreRun, ProgressSnapshot and RankingEntry move here from targets, with their rows (issue 23).

As for the areas (areas.0001), the operations are written by hand:

1. ``targets.0005_score_tables_renamed`` renames the three tables to ``progress_*``; the foreign keys
   between them follow the rename.
2. This migration adds the three models to the state of ``progress`` on those tables, creating nothing,
   and hands their content types (permissions, admin log) from ``targets`` to ``progress``.
3. ``targets.0006_scores_moved_to_progress`` drops them from the state of ``targets``.

Every step reverses.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("scorerun", "progresssnapshot", "rankingentry")


def content_types_move(apps, from_app, to_app):
    """Relabel the moved models' content types, keeping their ids (permissions and log entries point at them)."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        # Present only if a migrate stopped between the two apps' steps and post_migrate ran; it then holds
        # nothing but its automatically created permissions.
        content_type.objects.filter(app_label=to_app, model=model).delete()
        content_type.objects.filter(app_label=from_app, model=model).update(app_label=to_app)


def content_types_to_progress(apps, schema_editor):
    content_types_move(apps, "targets", "progress")


def content_types_to_targets(apps, schema_editor):
    content_types_move(apps, "progress", "targets")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("areas", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("targets", "0005_score_tables_renamed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ScoreRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年份')),
                        ('as_of', models.DateField(blank=True, help_text='该年有日数据的最后一天；无数据时为空。', null=True, verbose_name='数据截至')),
                        ('computed_at', models.DateTimeField(auto_now_add=True, verbose_name='计算时间')),
                        ('flavour', models.CharField(blank=True, help_text='realtime / reviewed / mixed', max_length=10, verbose_name='数据类型')),
                        ('dust_deducted', models.BooleanField(default=True, verbose_name='已扣沙')),
                        ('data_updated_at', models.DateTimeField(blank=True, null=True, verbose_name='监测结果更新时间')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='发布时间')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人')),
                    ],
                    options={
                        'verbose_name': '进展计算批次',
                        'verbose_name_plural': '进展计算批次',
                        'ordering': ['-year', '-computed_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='RankingEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.PositiveSmallIntegerField(default=0, verbose_name='月份')),
                        ('composite_index', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='综合指数')),
                        ('composite_index_rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='综合指数排名')),
                        ('pm25', models.DecimalField(blank=True, decimal_places=0, max_digits=6, null=True, verbose_name='PM2.5')),
                        ('pm25_rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='PM2.5排名')),
                        ('improvement', models.DecimalField(blank=True, decimal_places=1, max_digits=7, null=True, verbose_name='综合指数改善率(%)')),
                        ('improvement_rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='改善率排名')),
                        ('measures_on_time', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='措施按时完成率(%)')),
                        ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='综合得分')),
                        ('score_rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='得分排名')),
                        ('worse_than_city', models.BooleanField(default=False, verbose_name='差于全市')),
                        ('worse_than_last_year', models.BooleanField(default=False, verbose_name='差于去年同期')),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.area', verbose_name='区域')),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rankings', to='progress.scorerun', verbose_name='计算批次')),
                    ],
                    options={
                        'verbose_name': '县区排名',
                        'verbose_name_plural': '县区排名',
                    },
                ),
                migrations.CreateModel(
                    name='ProgressSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.PositiveSmallIntegerField(default=0, help_text='0 表示年初至今（累计）。', verbose_name='月份')),
                        ('indicator', models.CharField(max_length=40, verbose_name='指标代码')),
                        ('actual', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='实际值')),
                        ('goal', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='年度目标')),
                        ('last_year', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='去年同期')),
                        ('change_percent', models.DecimalField(blank=True, decimal_places=1, max_digits=8, null=True, verbose_name='同比变化(%)')),
                        ('status', models.CharField(blank=True, choices=[('achieved', '已达标'), ('on_track', '进度正常'), ('at_risk', '存在风险'), ('off_track', '进度滞后'), ('insufficient_data', '数据不足')], max_length=20, verbose_name='状态')),
                        ('valid_days', models.PositiveSmallIntegerField(default=0, verbose_name='有效监测天数')),
                        ('allowance_days', models.IntegerField(blank=True, null=True, verbose_name='剩余可超标天数')),
                        ('allowance_mean', models.DecimalField(blank=True, decimal_places=1, max_digits=8, null=True, verbose_name='剩余日均浓度控制值')),
                        ('out_of_reach', models.BooleanField(default=False, verbose_name='已无法达标')),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.area', verbose_name='区域')),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='snapshots', to='progress.scorerun', verbose_name='计算批次')),
                    ],
                    options={
                        'verbose_name': '目标进展',
                        'verbose_name_plural': '目标进展',
                    },
                ),
                migrations.AddIndex(
                    model_name='scorerun',
                    index=models.Index(fields=['year', 'published_at'], name='score_run_year_published'),
                ),
                migrations.AddConstraint(
                    model_name='rankingentry',
                    constraint=models.UniqueConstraint(fields=('run', 'area', 'month'), name='one_ranking_entry_per_run_area_month'),
                ),
                migrations.AddConstraint(
                    model_name='progresssnapshot',
                    constraint=models.UniqueConstraint(fields=('run', 'area', 'month', 'indicator'), name='one_progress_snapshot_per_run_area_month_indicator'),
                ),
                migrations.AddConstraint(
                    model_name='progresssnapshot',
                    constraint=models.CheckConstraint(condition=models.Q(('month__lte', 12)), name='progress_snapshot_month_0_to_12'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_progress, content_types_to_targets),
    ]
