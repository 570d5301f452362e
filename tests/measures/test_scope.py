"""A measure's scope on the pages: the plan's words in Chinese; in English the plan file's English, else the
threshold; never a target to meet."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from measures.models import Measure


def test_the_scope_is_the_plans_words_in_chinese_and_the_files_english_in_english(client, plan, bureau):
    boilers = Measure.objects.get(plan=plan, code="m04-02-06")
    yards = Measure.objects.get(plan=plan, code="m07-01-04")  # no threshold: words only
    with translation.override("zh-hans"):
        assert boilers.localized_scope == "35蒸吨/小时及以下燃煤锅炉"
    with translation.override("en"):
        assert boilers.localized_scope == "coal-fired boilers of 35 t/h (steam) or less"
        assert yards.localized_scope == "large open yards of coal, ore and other bulk materials"
        # A file without the English: the threshold, or the plan's words when there is none.
        boilers.scope_text_en = yards.scope_text_en = ""
        assert boilers.localized_scope == "35 steam t/h or less"
        assert yards.localized_scope == "大型煤炭、矿石等物料堆场"
    client.force_login(bureau)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("measures:list"), {"plan": plan.code}).content.decode()
    assert "Scope: coal-fired boilers of 35 t/h (steam) or less" in page
    assert 'title="35蒸吨/小时及以下燃煤锅炉"' in page
