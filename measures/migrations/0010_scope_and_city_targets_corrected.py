"""Correct the stored 2021-2025 plan the way fixtures/plan.json now reads (issue 11, items 1 and 2).

- A threshold that defines what a measure covers was stored as a quantity to reach (the periodic page showed
  "限值：不高于 35 蒸吨/小时" and coloured what a county typed): it becomes the measure's scope and the
  measure, and every assignment of it, lose the quantity.
- A city total (renewables 500 万千瓦, coal cuts 56 / 55 万吨) or a city rate (coverage 65 %, dust fall 7 ...)
  was copied to every county in full: each county's target is cleared until the bureau sets its share.
- The share of new-energy vehicles in new-car sales is a city statistic: the city is assigned the target,
  the counties keep their assignments (to report their contribution) without a target.

Every assignment, completion form and piece of evidence stays; each changed assignment gets a history record
saying why. Only the plan loaded from the fixture is touched, and only where the stored value is still the
fixture's old one (a value the bureau changed since is left alone).
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

PLAN_CODE = "liaocheng-air-2021-2025"

# code: (old quantity, scope_text, scope_threshold, scope_unit, scope_comparison)
SCOPES = {
    "m04-02-04": ("30", "单机容量30万千瓦以下煤电机组", "30", "万千瓦", "at_most"),
    "m04-02-05": (
        "15",
        "30万千瓦及以上热电联产电厂供热半径15公里范围内的燃煤锅炉和落后燃煤小热电机组（含自备电厂）",
        "15",
        "公里",
        "at_most",
    ),
    "m04-02-06": ("35", "35蒸吨/小时及以下燃煤锅炉", "35", "蒸吨/小时", "at_most"),
    "m04-03-01": ("20", "20公里供热半径内", "20", "公里", "at_most"),
    "m04-03-02": ("10", "10公里供热半径内", "10", "公里", "at_most"),
    "m05-01-01": ("150", "大宗货物年运输量150万吨以上的大型工矿企业以及大型物流园区", "150", "万吨/年", "at_least"),
    "m05-01-02": ("150", "新建涉大宗货物年运输量150万吨以上的项目", "150", "万吨/年", "at_least"),
    "m05-04-01": ("10", "日均使用货车超过10辆的重点企业", "10", "辆/日", "more_than"),
    "m06-01-06": ("3000", "储油库和年销售汽油量大于3000吨的加油站", "3000", "吨/年", "more_than"),
}
BASES = {
    "m04-01-01": "city_total",
    "m04-02-01": "city_total",
    "m04-02-02": "city_total",
    "m05-02-06": "city_rate",
    "m06-01-02": "city_rate",
    "m06-01-03": "city_rate",
    "m07-01-01": "city_rate",
    "m07-02-01": "city_rate",
    "m09-01-01": "city_rate",
    "m05-02-07": "city_statistic",
}
SCOPE_REASON = "数据更正：范围界限不是目标（问题11）"
SHARE_REASON = "数据更正：全市目标不再整体下达到各区域，待市局分解（问题11）"
CITY_REASON = "数据更正：全市统计指标由市级承担（问题11）"


def _history(apps, assignment, reason, history_type="~"):
    """A history record of ``assignment`` as it now is, as django-simple-history writes one."""
    historical = apps.get_model("measures", "HistoricalAssignment")
    values = {field.attname: getattr(assignment, field.attname) for field in assignment._meta.concrete_fields}
    historical.objects.create(
        **values,
        history_date=timezone.now(),
        history_type=history_type,
        history_change_reason=reason,
        history_user_id=None,
    )


def _clear_targets(apps, assignments, reason):
    for assignment in assignments:
        if assignment.target_quantity is None:
            continue
        assignment.target_quantity = None
        assignment.save(update_fields=["target_quantity"])
        _history(apps, assignment, reason)


def correct(apps, schema_editor):
    plan = apps.get_model("targets", "Plan").objects.filter(code=PLAN_CODE).first()
    if plan is None:
        return
    measure_model = apps.get_model("measures", "Measure")
    assignment_model = apps.get_model("measures", "Assignment")
    measures = {m.code: m for m in measure_model.objects.filter(plan=plan)}

    for code, (old_quantity, text, threshold, unit, comparison) in SCOPES.items():
        measure = measures.get(code)
        if measure is None or measure.quantity is None or measure.quantity != Decimal(old_quantity):
            continue
        measure.scope_text, measure.scope_threshold = text, Decimal(threshold)
        measure.scope_unit, measure.scope_comparison = unit, comparison
        measure.quantity, measure.unit, measure.comparison = None, "", ""
        measure.save()
        _clear_targets(apps, assignment_model.objects.filter(measure=measure), SCOPE_REASON)

    for code, basis in BASES.items():
        measure = measures.get(code)
        if measure is None or measure.quantity is None or measure.target_basis != "each_area":
            continue
        measure.target_basis = basis
        measure.save(update_fields=["target_basis"])
        copies = assignment_model.objects.filter(measure=measure, target_quantity=measure.quantity).exclude(
            area_id=plan.area_id
        )
        _clear_targets(apps, copies, SHARE_REASON)
        if basis != "city_statistic":
            continue
        city_assignment = assignment_model.objects.filter(measure=measure, area_id=plan.area_id).first()
        if city_assignment is None:
            city_assignment = assignment_model.objects.create(
                measure=measure, area_id=plan.area_id, deadline=measure.deadline, target_quantity=measure.quantity
            )
            city_assignment.lead_departments.set(measure.departments.all())
            _history(apps, city_assignment, CITY_REASON, history_type="+")


class Migration(migrations.Migration):
    dependencies = [("measures", "0009_measure_scope_and_target_basis"), ("targets", "0008_plan_close_out")]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
