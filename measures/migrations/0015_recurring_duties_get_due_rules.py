"""Recurring duties and prohibitions fall due per reporting period (issue 11, item 6): stored measures get the
project's due rules as the plan file now states them: a monthly period by the 5th working day of the next
month, a yearly one by 31 December of its year, and a duty "before each ozone season" (每年臭氧污染高发季前)
by 30 April. A rule the bureau already set is never touched; each change leaves a history record.
"""

from django.db import migrations
from django.utils import timezone

OZONE_SEASON = "臭氧污染高发季前"


def duties_get_due_rules(apps, schema_editor):
    measure_model = apps.get_model("measures", "Measure")
    historical = apps.get_model("measures", "HistoricalMeasure")
    monthly = measure_model.objects.filter(report_period="month", monthly_due_working_day__isnull=True)
    yearly = measure_model.objects.filter(report_period="year", yearly_due_month__isnull=True)
    for measure in [*monthly, *yearly]:
        if measure.report_period == "month":
            measure.monthly_due_working_day = 5
            fields = ["monthly_due_working_day"]
        else:
            ozone = OZONE_SEASON in measure.source_text
            measure.yearly_due_month, measure.yearly_due_day = (4, 30) if ozone else (12, 31)
            fields = ["yearly_due_month", "yearly_due_day"]
        measure.save(update_fields=fields)
        values = {field.attname: getattr(measure, field.attname) for field in measure._meta.concrete_fields}
        historical.objects.create(
            **values,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason="数据更正：按项目规则补定报送截止日（问题11）",
            history_user_id=None,
        )


class Migration(migrations.Migration):
    dependencies = [("measures", "0014_recurring_duty_due_rules")]

    operations = [migrations.RunPython(duties_get_due_rules, migrations.RunPython.noop)]
