"""The score tables take the names of their new app, progress (step 1 of the move: progress.0001).

A rename keeps every row, and the foreign keys between the three tables follow it.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("targets", "0004_area_moved_to_areas"),
    ]

    operations = [
        migrations.AlterModelTable(name="scorerun", table="progress_scorerun"),
        migrations.AlterModelTable(name="progresssnapshot", table="progress_progresssnapshot"),
        migrations.AlterModelTable(name="rankingentry", table="progress_rankingentry"),
    ]
