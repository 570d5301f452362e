"""Each score run names the plan it was measured against (issue 10).

Existing runs get the plan governing their year, by the rule of targets.selectors.plans_for_years (the plan
whose period holds the year; in force, then closed, then draft; then the later start). Runs of a year no
plan holds were measured against the nearest plan's targets: they keep every row and their figures, but
lose the goals, statuses and allowances that came from another plan's targets (a recompute stores the
same). Reversing changes nothing (0002 reversed drops the column).
"""

from django.db import migrations

STATUS_PRECEDENCE = ("in_force", "closed", "draft_for_comments")


def governing_plan(year, plans):
    holding = [p for p in plans if p.start_year <= year <= p.end_year]
    if not holding:
        return None
    return min(holding, key=lambda p: (STATUS_PRECEDENCE.index(p.status), -p.start_year))


def runs_plan_set(apps, schema_editor):
    plan_model = apps.get_model("targets", "Plan")
    run_model = apps.get_model("progress", "ScoreRun")
    snapshot_model = apps.get_model("progress", "ProgressSnapshot")
    plans = list(plan_model.objects.all())
    for year in run_model.objects.values_list("year", flat=True).distinct():
        plan = governing_plan(year, plans)
        runs = run_model.objects.filter(year=year)
        runs.update(plan=plan)
        if plan is None:
            snapshot_model.objects.filter(run__in=runs).update(
                goal=None, status="", allowance_days=None, allowance_mean=None, out_of_reach=False
            )


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_score_run_plan"),
        ("targets", "0007_plan_status_in_force_closed"),
    ]

    operations = [migrations.RunPython(runs_plan_set, migrations.RunPython.noop)]
