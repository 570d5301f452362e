"""Departments are reporters (issue 11, item 3): the departments the plan charges with a measure across the
city report on it city-wide. Marks the fixture's reporting departments on the 2021-2025 measures (only where
the department is already one of the measure's departments) and gives each an assignment to the plan's area
(the city): the plan's due date, or the plan's end for an undated one-off task; no area target; the measure's
departments as lead departments. Nothing stored changes; each new assignment has a history record.
"""

import datetime

from django.db import migrations
from django.utils import timezone

REASON = "数据更正：部门作为填报单位（问题11）"
PLAN_END_REASON = "原文未定完成时限，按规划期末"

# "公安机关交通管理部门不予办理迁入手续" (七(二)); "生态环境、自然资源、住房城乡建设、交通运输、水利等部门在各自职责范围内
# 对非道路移动机械排气污染防治实施监管" (七(三)): the ecology department is the bureau, which reviews the reports.
REPORTING = {
    "m05-02-02": ["公安机关交通管理部门"],
    "m05-03-01": ["自然资源部门", "住房城乡建设部门", "交通运输部门", "水利部门"],
    "m05-03-02": ["自然资源部门", "住房城乡建设部门", "交通运输部门", "水利部门"],
}


def departments_report(apps, schema_editor):
    measure_model = apps.get_model("measures", "Measure")
    assignment_model = apps.get_model("measures", "Assignment")
    historical = apps.get_model("measures", "HistoricalAssignment")
    now = timezone.now()
    for measure in measure_model.objects.filter(code__in=REPORTING, plan__code="liaocheng-air-2021-2025").select_related("plan"):
        named = {d.name: d for d in measure.departments.all()}
        reporting = [named[name] for name in REPORTING[measure.code] if name in named]
        measure.reporting_departments.add(*reporting)
        if measure.plan.area_id is None:
            continue
        held = set(
            assignment_model.objects.filter(measure=measure, department__isnull=False).values_list(
                "department_id", flat=True
            )
        )
        at_plan_end = measure.deadline is None and measure.report_period == "once"
        for department in reporting:
            if department.pk in held:
                continue
            assignment = assignment_model.objects.create(
                measure=measure,
                area_id=measure.plan.area_id,
                department=department,
                deadline=datetime.date(measure.plan.end_year, 12, 31) if at_plan_end else measure.deadline,
                deadline_reason=PLAN_END_REASON if at_plan_end else "",
                target_quantity=None,
            )
            assignment.lead_departments.set(named.values())
            values = {field.attname: getattr(assignment, field.attname) for field in assignment._meta.concrete_fields}
            historical.objects.create(**values, history_date=now, history_type="+", history_change_reason=REASON)


def departments_stop_reporting(apps, schema_editor):
    """Back: the department assignments go, with the history records this migration wrote, unless a form
    was filled on one (then the reverse stops)."""
    assignment_model = apps.get_model("measures", "Assignment")
    submission_model = apps.get_model("measures", "Submission")
    held = assignment_model.objects.filter(department__isnull=False)
    if submission_model.objects.filter(assignment__in=held).exists():
        raise RuntimeError("Department assignments hold completion forms; they cannot be removed.")
    ids = list(held.values_list("pk", flat=True))
    apps.get_model("measures", "HistoricalAssignment").objects.filter(id__in=ids).delete()
    held.delete()
    apps.get_model("measures", "Measure").reporting_departments.through.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0020_department_reporters")]

    operations = [migrations.RunPython(departments_report, departments_stop_reporting)]
