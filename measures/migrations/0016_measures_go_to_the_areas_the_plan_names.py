"""Who is responsible, as the plan says (issue 11, item 3): the 主城区 lorry ban goes to 东昌府区 and the three
functional zones, the unified LDAR platform and the daily forecasts to the city, the emergency plan to the
city as well as every county.

Each corrected measure of the 2021-2025 plan names its areas; an area that gains the measure gets its
assignment (the plan's due date, the measure's departments); an area that loses it loses its assignment
only when nothing was filed on it: an assignment with completion forms, or carried over to a successor, is
kept as it is, with a history record saying why, for the bureau to settle. Every change leaves a history
record, so nothing filed is lost.
"""

import datetime

from django.db import migrations
from django.utils import timezone

PLAN = "liaocheng-air-2021-2025"
COUNTIES = ["371502", "371503", "371521", "371522", "371524", "371525", "371526", "371581"]
CORRECTIONS = {
    "m05-02-08": ["371502", "LC-ETDZ", "LC-HTZ", "LC-JBSC"],  # 将主城区划定为…禁行区
    "m06-01-07": ["371500"],  # 建立统一的LDAR信息管理平台
    "m10-03-01": ["371500"],  # 每日发布空气质量预报信息
    "m02-02-01": ["371500", *COUNTIES],  # 重污染天气应急预案：市级，及各县（市、区）
}
REASON = "数据更正：责任区域按原文（问题11）"
KEPT = "数据更正：原文不属于本区域，已有填报，保留待市局处理（问题11）"
PLAN_END_REASON = "原文未定完成时限，按规划期末"


def _stamp(historical, record, history_type, reason):
    values = {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}
    historical.objects.create(
        **values, history_date=timezone.now(), history_type=history_type, history_change_reason=reason
    )


def measures_go_to_their_areas(apps, schema_editor):
    plan = apps.get_model("targets", "Plan").objects.filter(code=PLAN).first()
    if plan is None:
        return
    measure_model = apps.get_model("measures", "Measure")
    assignment_model = apps.get_model("measures", "Assignment")
    area_model = apps.get_model("areas", "Area")
    historical_measure = apps.get_model("measures", "HistoricalMeasure")
    historical_assignment = apps.get_model("measures", "HistoricalAssignment")
    for code, area_codes in CORRECTIONS.items():
        measure = measure_model.objects.filter(plan=plan, code=code).first()
        if measure is None:
            continue
        areas = list(area_model.objects.filter(code__in=area_codes))
        measure.applies_to_all_areas = False
        measure.save(update_fields=["applies_to_all_areas"])
        measure.areas.set(areas)
        _stamp(historical_measure, measure, "~", REASON[:100])
        wanted = {area.pk for area in areas}
        for assignment in assignment_model.objects.filter(measure=measure).exclude(area_id__in=wanted):
            carried = assignment_model.objects.filter(carried_over_to=assignment).exists()
            if assignment.submissions.exists() or carried or assignment.carried_over_to_id is not None:
                _stamp(historical_assignment, assignment, "~", KEPT)
                continue
            _stamp(historical_assignment, assignment, "-", REASON)
            assignment.lead_departments.clear()
            assignment.delete()
        held = set(assignment_model.objects.filter(measure=measure).values_list("area_id", flat=True))
        at_plan_end = measure.deadline is None and measure.report_period == "once"
        departments = list(measure.departments.all())
        for area in areas:
            if area.pk in held:
                continue
            assignment = assignment_model.objects.create(
                measure=measure,
                area=area,
                deadline=datetime.date(plan.end_year, 12, 31) if at_plan_end else measure.deadline,
                deadline_reason=PLAN_END_REASON if at_plan_end else "",
                target_quantity=measure.quantity if measure.target_basis == "each_area" else None,
            )
            assignment.lead_departments.set(departments)
            _stamp(historical_assignment, assignment, "+", REASON)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0015_recurring_duties_get_due_rules"),
        ("areas", "0001_initial"),
    ]

    operations = [migrations.RunPython(measures_go_to_their_areas, migrations.RunPython.noop)]
