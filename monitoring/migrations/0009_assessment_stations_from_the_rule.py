"""Which stations assess which area becomes data (issue 11, item 5): stored stations get the memberships the
rule gave them until now (HJ 663-2013 §6.1.4 and the project rule): the city is assessed on the national
stations, a county on its own national, provincial and county stations; township micro-stations assess no
area. Each membership is recorded in the history with the reason.
"""

from django.db import migrations
from django.utils import timezone

CITY_CODE = "371500"
REASON = "初始评价站点：按 HJ 663-2013 §6.1.4 和项目规则（问题11）"


def memberships_from_the_rule(apps, schema_editor):
    station_model = apps.get_model("monitoring", "Station")
    area_model = apps.get_model("areas", "Area")
    membership_model = apps.get_model("monitoring", "AssessmentStation")
    historical = apps.get_model("monitoring", "HistoricalAssessmentStation")
    city = area_model.objects.filter(code=CITY_CODE).first()
    now = timezone.now()
    for station in station_model.objects.all():
        area_ids = []
        if station.network == "national" and city is not None:
            area_ids.append(city.pk)
        if station.network in ("national", "provincial", "county") and station.area_id not in area_ids:
            area_ids.append(station.area_id)
        for area_id in area_ids:
            membership, created = membership_model.objects.get_or_create(area_id=area_id, station=station)
            if created:
                historical.objects.create(
                    id=membership.pk,
                    area_id=area_id,
                    station_id=station.pk,
                    history_date=now,
                    history_type="+",
                    history_change_reason=REASON,
                )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0008_assessment_stations")]

    operations = [migrations.RunPython(memberships_from_the_rule, migrations.RunPython.noop)]
