"""Every run stored before 0011 compared with last year's figures as computed under their own rules: that
figure is last year's official one, so it is kept as such too. Reversible (the column is emptied)."""

from django.db import migrations
from django.db.models import F


def forward(apps, schema_editor):
    apps.get_model("progress", "ProgressSnapshot").objects.update(last_year_official=F("last_year"))


def backward(apps, schema_editor):
    apps.get_model("progress", "ProgressSnapshot").objects.update(last_year_official=None)


class Migration(migrations.Migration):
    dependencies = [("progress", "0011_like_for_like_comparisons")]

    operations = [migrations.RunPython(forward, backward)]
