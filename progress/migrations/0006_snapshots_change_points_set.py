"""Stored snapshots of the ratio figures get their change on last year in percentage points: the
difference of the two stored ratios (both reported with one decimal, so the difference is exact)."""

from django.db import migrations
from django.db.models import F

RATIO_FIGURES = ("good_day_ratio", "heavy_day_ratio")


def change_points_set(apps, schema_editor):
    snapshot = apps.get_model("progress", "ProgressSnapshot")
    snapshot.objects.filter(
        indicator__in=RATIO_FIGURES, actual__isnull=False, last_year__isnull=False, change_points__isnull=True
    ).update(change_points=F("actual") - F("last_year"))


class Migration(migrations.Migration):
    dependencies = [("progress", "0005_snapshot_change_points")]

    operations = [migrations.RunPython(change_points_set, migrations.RunPython.noop)]
