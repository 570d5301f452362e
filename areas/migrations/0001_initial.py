"""Area and CountyOfficial move here from targets, with their rows (issue 22).

Django cannot detect a move between apps (ticket #24686), so the operations are written by hand:

1. ``targets.0003_area_tables_renamed`` renames the tables to ``areas_area`` / ``areas_countyofficial``;
   the foreign keys of every other table follow the rename (PostgreSQL keeps them by table identity,
   SQLite rewrites them).
2. This migration adds the two models to the state of ``areas`` on those tables, creating nothing, and
   hands their content types (and so their permissions and admin log) from ``targets`` to ``areas``.
3. ``measures.0003``, ``monitoring.0007`` and ``targets.0004`` point their foreign keys at ``areas.Area``
   in the state only; ``targets.0004`` then drops the two models from the state of ``targets``.

Every step reverses.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("area", "countyofficial")


def content_types_move(apps, from_app, to_app):
    """Relabel the moved models' content types, keeping their ids (permissions and log entries point at them)."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        # Present only if a migrate stopped between the two apps' steps and post_migrate ran; it then holds
        # nothing but its automatically created permissions.
        content_type.objects.filter(app_label=to_app, model=model).delete()
        content_type.objects.filter(app_label=from_app, model=model).update(app_label=to_app)


def content_types_to_areas(apps, schema_editor):
    content_types_move(apps, "targets", "areas")


def content_types_to_targets(apps, schema_editor):
    content_types_move(apps, "areas", "targets")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("targets", "0003_area_tables_renamed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Area',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(help_text='GB/T 2260 行政区划代码；功能区无官方代码，使用内部代码。', max_length=12, unique=True, verbose_name='代码')),
                        ('name', models.CharField(max_length=50, verbose_name='名称')),
                        ('name_en', models.CharField(max_length=80, verbose_name='英文名称')),
                        ('kind', models.CharField(choices=[('city', '市'), ('county', '县（市、区）'), ('zone', '功能区')], max_length=10, verbose_name='类别')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='areas.area', verbose_name='上级')),
                    ],
                    options={
                        'verbose_name': '区域',
                        'verbose_name_plural': '区域',
                        'ordering': ['sort_order', 'code'],
                    },
                ),
                migrations.CreateModel(
                    name='CountyOfficial',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='officials', to='areas.area', verbose_name='所属区域')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='county_official', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
                    ],
                    options={
                        'verbose_name': '县区填报人员',
                        'verbose_name_plural': '县区填报人员',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_areas, content_types_to_targets),
    ]
