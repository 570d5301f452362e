"""ScoreRun, ProgressSnapshot and RankingEntry leave the state of targets (state only; see progress.0001 for
the whole move)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("progress", "0001_initial"),
        ("targets", "0005_score_tables_renamed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ProgressSnapshot"),
                migrations.DeleteModel(name="RankingEntry"),
                migrations.DeleteModel(name="ScoreRun"),
            ],
            database_operations=[],
        ),
    ]
