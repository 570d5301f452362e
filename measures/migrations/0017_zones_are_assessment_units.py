"""The three functional zones are assessment units (issue 11, item 3): every measure that applies to all
assessment units is assigned to each zone as it is to a county (the plan's due date, or the plan's end for
an undated one-off task; the plan's figure where it binds each area; the measure's departments). Nothing
stored changes; each new assignment has a history record.
"""

import datetime

from django.db import migrations
from django.utils import timezone

REASON = "数据更正：功能区作为考核单位（问题11）"
PLAN_END_REASON = "原文未定完成时限，按规划期末"


def zones_get_assignments(apps, schema_editor):
    area_model = apps.get_model("areas", "Area")
    measure_model = apps.get_model("measures", "Measure")
    assignment_model = apps.get_model("measures", "Assignment")
    historical = apps.get_model("measures", "HistoricalAssignment")
    zones = list(area_model.objects.filter(kind="zone"))
    if not zones:
        return
    now = timezone.now()
    for measure in measure_model.objects.filter(applies_to_all_areas=True).select_related("plan"):
        held = set(assignment_model.objects.filter(measure=measure).values_list("area_id", flat=True))
        at_plan_end = measure.deadline is None and measure.report_period == "once"
        departments = list(measure.departments.all())
        for zone in zones:
            if zone.pk in held:
                continue
            assignment = assignment_model.objects.create(
                measure=measure,
                area=zone,
                deadline=datetime.date(measure.plan.end_year, 12, 31) if at_plan_end else measure.deadline,
                deadline_reason=PLAN_END_REASON if at_plan_end else "",
                target_quantity=measure.quantity if measure.target_basis == "each_area" else None,
            )
            assignment.lead_departments.set(departments)
            values = {field.attname: getattr(assignment, field.attname) for field in assignment._meta.concrete_fields}
            historical.objects.create(**values, history_date=now, history_type="+", history_change_reason=REASON)


class Migration(migrations.Migration):
    dependencies = [("measures", "0016_measures_go_to_the_areas_the_plan_names")]

    operations = [migrations.RunPython(zones_get_assignments, migrations.RunPython.noop)]
