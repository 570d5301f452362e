"""The ranking groups as Liaocheng publishes them (issue 11, item 4): 主城四区 (东昌府区 and the three
functional zones) and 七县市 (the seven other counties), for a database whose areas are already stored. A
fresh database gets them from fixtures/areas.json when `bootstrap` loads the areas.
"""

from django.db import migrations
from django.utils import timezone

GROUPS = [
    ("main-urban", "主城四区", "Four main urban units", 1, ["371502", "LC-ETDZ", "LC-HTZ", "LC-JBSC"]),
    (
        "seven-counties",
        "七县市",
        "Seven counties",
        2,
        ["371503", "371521", "371522", "371524", "371525", "371526", "371581"],
    ),
]


def groups_create(apps, schema_editor):
    area_model = apps.get_model("areas", "Area")
    group_model = apps.get_model("areas", "RankingGroup")
    historical = apps.get_model("areas", "HistoricalRankingGroup")
    areas = {area.code: area for area in area_model.objects.all()}
    if not areas:
        return
    for code, name, name_en, sort_order, members in GROUPS:
        if group_model.objects.filter(code=code).exists():
            continue
        group = group_model.objects.create(code=code, name=name, name_en=name_en, sort_order=sort_order)
        group.members.set([areas[member] for member in members if member in areas])
        historical.objects.create(
            id=group.pk,
            code=code,
            name=name,
            name_en=name_en,
            sort_order=sort_order,
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="排名分组：按聊城市发布的排名口径（问题11）",
        )


class Migration(migrations.Migration):
    dependencies = [("areas", "0002_ranking_groups")]

    operations = [migrations.RunPython(groups_create, migrations.RunPython.noop)]
