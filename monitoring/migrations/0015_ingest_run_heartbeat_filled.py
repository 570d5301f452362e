"""Runs stored before the lifecycle fields get their last sign of life from what they recorded (finished,
started or created), so that the reaper sees a run left queued or running before the upgrade."""

from django.db import migrations
from django.db.models.functions import Coalesce


def heartbeat_from_stored_times(apps, schema_editor):
    IngestRun = apps.get_model("monitoring", "IngestRun")
    IngestRun.objects.filter(heartbeat_at__isnull=True).update(
        heartbeat_at=Coalesce("finished_at", "started_at", "created_at")
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0014_ingest_run_lifecycle")]

    # Backwards there is nothing to undo: 0014's reverse drops the field.
    operations = [migrations.RunPython(heartbeat_from_stored_times, migrations.RunPython.noop)]
