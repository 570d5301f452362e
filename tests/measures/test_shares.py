"""Issue 11, item 1: a city total is split into county shares by the bureau; each county sees and is judged
on its own share, never the city's figure (the real plan: m04-01-01, 500 万千瓦 of renewables)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from measures import services
from measures.models import Assignment, Measure

SHARES = {
    "371502": "80",
    "371503": "70",
    "371521": "60",
    "371522": "60",
    "371524": "50",
    "371525": "60",
    "371526": "50",
    "371581": "50",
}


@pytest.fixture
def renewables(plan):
    return Measure.objects.get(plan=plan, code="m04-01-01")


def shares_post(**changes: str) -> dict[str, str]:
    return {**{f"share_{code}": value for code, value in SHARES.items()}, "reason": "依据各县资源条件分解"} | changes


def test_the_bureau_splits_the_city_total_and_each_county_sees_only_its_share(
    client, renewables, bureau, official_a, official_b
):
    url = reverse("measures:shares", args=[renewables.pk])
    client.force_login(bureau)
    page = client.get(url).content.decode()
    assert "500" in page
    assert "11 个区域未确定" in page

    response = client.post(url, shares_post(share_371581="40"))
    assert response.status_code == 302
    targets = dict(Assignment.objects.filter(measure=renewables).values_list("area__code", "target_quantity"))
    zones_left_unset = {"LC-ETDZ": None, "LC-HTZ": None, "LC-JBSC": None}
    assert (
        targets == {code: Decimal(value) for code, value in SHARES.items()} | {"371581": Decimal(40)} | zones_left_unset
    )
    page = client.get(url).content.decode()
    assert 'data-total="470"' in page
    assert 'data-unallocated="30"' in page
    assert "尚有 30 万千瓦 未分解" in page
    linqing = Assignment.objects.get(measure=renewables, area__code="371581")
    latest = linqing.history.first()
    assert (latest.history_user, latest.history_change_reason) == (bureau, "确定份额：依据各县资源条件分解")

    client.force_login(official_b)
    own = client.get(reverse("measures:assignment", args=[linqing.pk])).content.decode()
    assert 'data-target="40"' in own
    assert "500" in own
    dongchangfu = Assignment.objects.get(measure=renewables, area__code="371502")
    assert client.get(reverse("measures:assignment", args=[dongchangfu.pk])).status_code == 404
    mine = client.get(reverse("measures:mine")).content.decode()
    assert 'data-target="40"' in mine
    assert 'data-target="80"' not in mine


def test_shares_over_the_city_total_are_shown_as_such(client, renewables, bureau):
    client.force_login(bureau)
    url = reverse("measures:shares", args=[renewables.pk])
    client.post(url, shares_post(share_371502="110"))
    page = client.get(url).content.decode()
    assert "超出全市目标 10 万千瓦" in page


def test_a_bad_share_is_refused_with_its_area_and_nothing_is_stored(client, renewables, bureau):
    client.force_login(bureau)
    url = reverse("measures:shares", args=[renewables.pk])
    response = client.post(url, shares_post(share_371522="-5", share_371526="很多", reason=""))
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"share_371522", "share_371526", "reason"}
    assert not Assignment.objects.filter(measure=renewables, target_quantity__isnull=False).exists()


def test_a_rate_target_over_100_percent_is_refused_by_the_service_naming_the_area(plan, bureau):
    coverage = Measure.objects.get(plan=plan, code="m09-01-01")
    with pytest.raises(ValidationError) as refused:
        services.measure_shares_set(
            measure=coverage, shares={"371502": Decimal(70), "371503": Decimal(120)}, reason="分别确定", user=bureau
        )
    assert list(refused.value.message_dict) == ["share_371503"]
    assert "茌平区" in refused.value.message_dict["share_371503"][0]
    assert not Assignment.objects.filter(measure=coverage, target_quantity__isnull=False).exists()


def test_only_the_bureau_splits_and_only_a_city_total_or_rate(client, plan, renewables, official_a, bureau):
    url = reverse("measures:shares", args=[renewables.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(official_a)
    assert client.post(url, shares_post()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.measure_shares_set(measure=renewables, shares={"371502": Decimal(1)}, reason="x", user=official_a)
    assert not Assignment.objects.filter(measure=renewables, target_quantity__isnull=False).exists()
    buses = Measure.objects.get(plan=plan, code="m05-02-05")  # 100 % for every county: the plan's own
    client.force_login(bureau)
    assert client.get(reverse("measures:shares", args=[buses.pk])).status_code == 404
