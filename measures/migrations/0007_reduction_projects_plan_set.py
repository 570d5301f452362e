"""Existing key projects get their plan and their effective date (see 0006).

The plan is the one governing the year of the project's planned completion (the rule of
targets.selectors.plans_for_years: the plan whose period holds the year; in force, then closed, then draft;
then the later start), else the latest plan. A verified project's reduction is taken to have taken effect
on its verification date, the one date stored until now; staff can correct it.
"""

from django.db import migrations

STATUS_PRECEDENCE = ("in_force", "closed", "draft_for_comments")


def plan_for(year, plans):
    holding = [p for p in plans if p.start_year <= year <= p.end_year]
    if holding:
        return min(holding, key=lambda p: (STATUS_PRECEDENCE.index(p.status), -p.start_year))
    return max(plans, key=lambda p: (p.start_year, p.end_year)) if plans else None


def projects_plan_set(apps, schema_editor):
    plans = list(apps.get_model("targets", "Plan").objects.all())
    project_model = apps.get_model("measures", "ReductionProject")
    for project in project_model.objects.filter(plan__isnull=True):
        plan = plan_for(project.planned_completion.year, plans)
        if plan is None:
            raise RuntimeError(f"key project {project.pk} ({project.name}): no plan is stored to hold it; load one")
        project.plan = plan
        if project.verified_on is not None and project.effective_on is None:
            project.effective_on = project.verified_on
        project.save(update_fields=["plan", "effective_on"])


class Migration(migrations.Migration):
    dependencies = [("measures", "0006_reduction_project_plan")]

    operations = [migrations.RunPython(projects_plan_set, migrations.RunPython.noop)]
