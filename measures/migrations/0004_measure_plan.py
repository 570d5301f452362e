"""Every measure names its plan, and its code is unique within that plan only (issue 10): a successor plan
may reuse the codes of its predecessor without taking its measures over.

The plan of each stored measure, and of each of its history records, is its section's chapter's plan.
Going back restores the code's uniqueness across plans; it fails if two plans already share a code.
"""

import django.db.models.deletion
from django.db import migrations, models


def plans_from_sections(apps, schema_editor):
    section_plans = dict(
        apps.get_model("targets", "Section").objects.values_list("pk", "chapter__plan_id")
    )
    for model_name in ("Measure", "HistoricalMeasure"):
        model = apps.get_model("measures", model_name)
        pk = "history_id" if model_name == "HistoricalMeasure" else "pk"
        by_plan: dict[int, list[int]] = {}
        for row_pk, section_id in model.objects.values_list(pk, "section_id"):
            plan_id = section_plans.get(section_id)
            if plan_id is not None:
                by_plan.setdefault(plan_id, []).append(row_pk)
        for plan_id, row_pks in by_plan.items():
            model.objects.filter(**{f"{pk}__in": row_pks}).update(plan_id=plan_id)


class Migration(migrations.Migration):

    dependencies = [
        ("measures", "0003_area_moved_to_areas"),
        ("targets", "0006_scores_moved_to_progress"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmeasure",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="targets.plan",
                verbose_name="行动计划",
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="plan",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="measures",
                to="targets.plan",
                verbose_name="行动计划",
            ),
        ),
        migrations.RunPython(plans_from_sections, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="measure",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="measures",
                to="targets.plan",
                verbose_name="行动计划",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeasure",
            name="code",
            field=models.SlugField(help_text="在同一行动计划内唯一。", max_length=20, verbose_name="编号"),
        ),
        migrations.AlterField(
            model_name="measure",
            name="code",
            field=models.SlugField(help_text="在同一行动计划内唯一。", max_length=20, verbose_name="编号"),
        ),
        migrations.AddConstraint(
            model_name="measure",
            constraint=models.UniqueConstraint(fields=("plan", "code"), name="measure_code_unique_in_plan"),
        ),
    ]
