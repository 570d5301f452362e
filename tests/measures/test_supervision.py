"""Special supervision (专项督导), the top of the escalation ladder (issue 11, item 7): the bureau opens it on a
ground the plan names, records its finding and a rectification task with a due date, the area reports, and
the bureau closes it; every step is in the history; each side sees and does only its own part."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from areas.models import Area
from measures import services_supervision as supervision_services
from measures.models import Supervision

pytestmark = pytest.mark.django_db
NOW = "2026-12-07 10:00 +0800"


@pytest.fixture
def opened(bureau):
    with time_machine.travel(NOW, tick=False):
        return supervision_services.supervision_open(
            area=Area.objects.get(code="371502"),
            ground=Supervision.Ground.WORSENING,
            reason="PM2.5 同比上升 18%，12 项任务列入预警名单。",
            user=bureau,
        )


def test_the_whole_cycle_is_recorded_step_by_step(opened, bureau, official_a):
    with time_machine.travel(NOW, tick=False):
        supervision_services.supervision_record_finding(
            supervision=opened,
            finding="施工工地扬尘管控不到位。",
            rectification="全部规模以上工地安装在线监测。",
            due=date(2027, 1, 31),
            user=bureau,
        )
        supervision_services.supervision_report(supervision=opened, report="已完成 23 个工地的安装。", user=official_a)
        closed = supervision_services.supervision_close(
            supervision=opened, note="现场核查属实，同意销号。", user=bureau
        )
    assert closed.state == "closed"
    assert closed.closed_at is not None
    steps = list(closed.history.order_by("history_date", "history_id").values_list("state", "history_user_id"))
    assert steps == [
        ("open", bureau.pk),
        ("rectifying", bureau.pk),
        ("reported", official_a.pk),
        ("closed", bureau.pk),
    ]
    reasons = list(
        closed.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["列入专项督导", "记录督导发现，下达整改任务", "报送整改情况", "整改验收，销号"]


def test_each_side_does_only_its_own_part(opened, bureau, official_a, official_b):
    with pytest.raises(PermissionDenied):
        supervision_services.supervision_open(
            area=Area.objects.get(code="371502"), ground="poor_work", reason="理由", user=official_a
        )
    with pytest.raises(PermissionDenied):
        supervision_services.supervision_record_finding(
            supervision=opened, finding="问题", rectification="整改", due=date(2027, 1, 31), user=official_a
        )
    with time_machine.travel(NOW, tick=False):
        supervision_services.supervision_record_finding(
            supervision=opened, finding="问题", rectification="整改", due=date(2027, 1, 31), user=bureau
        )
    with pytest.raises(PermissionDenied):
        supervision_services.supervision_report(supervision=opened, report="已整改", user=official_b)
    with pytest.raises(PermissionDenied):
        supervision_services.supervision_report(supervision=opened, report="已整改", user=bureau)


def test_steps_out_of_order_and_empty_or_past_input_are_refused(opened, bureau, official_a):
    with pytest.raises(ValidationError, match="已立项"):
        supervision_services.supervision_close(supervision=opened, note="销号", user=bureau)
    with pytest.raises(ValidationError, match="已立项"):
        supervision_services.supervision_report(supervision=opened, report="已整改", user=official_a)
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError) as past:
            supervision_services.supervision_record_finding(
                supervision=opened, finding="问题", rectification="整改", due=date(2026, 12, 1), user=bureau
            )
        assert past.value.message_dict == {"due": ["整改时限不能早于今天（2026-12-01）。"]}
        with pytest.raises(ValidationError) as empty:
            supervision_services.supervision_record_finding(
                supervision=opened, finding=" ", rectification="整改", due=date(2027, 1, 31), user=bureau
            )
        assert empty.value.message_dict == {"finding": ["请填写督导发现的问题。"]}
    with pytest.raises(ValidationError) as city:
        supervision_services.supervision_open(
            area=Area.objects.get(code="371500"), ground="poor_work", reason="理由", user=bureau
        )
    assert "县（市、区）和功能区" in city.value.message_dict["area"][0]
    opened.refresh_from_db()
    assert opened.state == "open"


def test_a_county_sees_only_its_own_supervisions_and_reports_on_the_page(
    client, opened, bureau, official_a, official_b
):
    with time_machine.travel(NOW, tick=False):
        supervision_services.supervision_record_finding(
            supervision=opened, finding="问题", rectification="整改", due=date(2026, 12, 9), user=bureau
        )
    url = reverse("measures:supervision", args=[opened.pk])
    client.force_login(official_b)
    assert client.get(url).status_code == 404
    assert f'data-supervision="{opened.pk}"' not in client.get(reverse("measures:supervisions")).content.decode()
    client.force_login(official_a)
    with time_machine.travel(NOW, tick=False):
        page = client.get(url).content.decode()
    assert 'id="report-form"' in page
    assert 'id="finding-form"' not in page
    assert "即将到期" in page  # due in 2 working days
    refused = client.post(reverse("measures:supervision-step", args=[opened.pk, "report"]), {"report": ""})
    assert refused.status_code == 400
    client.post(reverse("measures:supervision-step", args=[opened.pk, "report"]), {"report": "已整改到位。"})
    opened.refresh_from_db()
    assert (opened.state, opened.rectification_report) == ("reported", "已整改到位。")


def test_staff_open_a_supervision_from_a_county_page(client, bureau):
    client.force_login(bureau)
    county_page = client.get(reverse("progress:county", args=["371581"])).content.decode()
    assert f"{reverse('measures:supervisions')}?area=371581" in county_page
    form = client.get(reverse("measures:supervisions"), {"area": "371581"}).content.decode()
    assert '<option value="371581" selected>' in form
    response = client.post(
        reverse("measures:supervisions"), {"area": "371581", "ground": "worsening", "reason": "综合指数同比恶化。"}
    )
    supervision = Supervision.objects.get(area__code="371581")
    assert response.url == reverse("measures:supervision", args=[supervision.pk])
    assert (supervision.ground, supervision.opened_by) == ("worsening", bureau)
