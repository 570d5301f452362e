"""A plan is a draft for comments, in force, or closed (issue 10); "adopted" (正式印发) becomes "in force"."""

from django.db import migrations, models


def adopted_to_in_force(apps, schema_editor):
    apps.get_model("targets", "Plan").objects.filter(status="adopted").update(status="in_force")


def in_force_to_adopted(apps, schema_editor):
    # A closed plan was in force before; the old states have no "closed".
    apps.get_model("targets", "Plan").objects.filter(status__in=["in_force", "closed"]).update(status="adopted")


class Migration(migrations.Migration):

    dependencies = [
        ("targets", "0006_scores_moved_to_progress"),
    ]

    operations = [
        migrations.AlterField(
            model_name="plan",
            name="status",
            field=models.CharField(
                choices=[("draft_for_comments", "征求意见稿"), ("in_force", "实施中"), ("closed", "已收官")],
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.RunPython(adopted_to_in_force, in_force_to_adopted),
    ]
