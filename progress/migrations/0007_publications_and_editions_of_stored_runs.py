"""Stored runs: a run a member of staff published (``published_by`` set) is a publication, kept for good;
each run records the editions of the rules its dates fall under (2012 before 2026-03-01, 2026 from then),
as ``monitoring.statistics.Period.edition`` gives them. Nothing else changes."""

import datetime

from django.db import migrations

EDITION_2026_START = datetime.date(2026, 3, 1)


def _edition(day):
    return "2026" if day >= EDITION_2026_START else "2012"


def runs_complete(apps, schema_editor):
    run_model = apps.get_model("progress", "ScoreRun")
    run_model.objects.filter(published_by__isnull=False).update(publication=True)
    for run in run_model.objects.filter(as_of__isnull=False, editions=""):
        first, last = _edition(datetime.date(run.year, 1, 1)), _edition(run.as_of)
        run.editions = first if first == last else f"{first}+{last}"
        run.save(update_fields=["editions"])


class Migration(migrations.Migration):
    dependencies = [("progress", "0006_score_run_publication")]

    operations = [migrations.RunPython(runs_complete, migrations.RunPython.noop)]
