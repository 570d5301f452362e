"""A measure's scope on the pages (issue 11): the plan's words in Chinese, its threshold in English; never a
target to meet."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from measures.models import Measure


def test_the_scope_is_the_plans_words_in_chinese_and_its_threshold_in_english(client, plan, bureau):
    boilers = Measure.objects.get(plan=plan, code="m04-02-06")
    lorries = Measure.objects.get(plan=plan, code="m05-04-01")
    with translation.override("zh-hans"):
        assert boilers.localized_scope == "35蒸吨/小时及以下燃煤锅炉"
    with translation.override("en"):
        assert boilers.localized_scope == "35 steam t/h or less"
        assert lorries.localized_scope.startswith("more than 10 ")
    client.force_login(bureau)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("measures:list"), {"plan": plan.code}).content.decode()
    assert "Scope: 35 steam t/h or less" in page
    assert 'title="35蒸吨/小时及以下燃煤锅炉"' in page
