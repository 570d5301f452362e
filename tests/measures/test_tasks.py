"""The daily digest: one e-mail per recipient per day, what is due and overdue."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail

from measures.models import DigestLog
from measures.tasks import send_daily_digest
from tests.factories import AssignmentFactory, MeasureFactory, area_by_code

# These tests build their own small world with factories, on a database without the preloaded plan.
pytestmark = pytest.mark.usefixtures("no_plan")


def test_daily_digest_goes_to_each_countys_officials_and_the_bureau_once_a_day(official_a, official_b, bureau):
    AssignmentFactory(measure=MeasureFactory(code="M-LATE", deadline=date(2024, 2, 2)), area=area_by_code("371502"))
    AssignmentFactory(measure=MeasureFactory(code="M-FAR", deadline=date(2024, 12, 31)), area=area_by_code("371581"))
    with time_machine.travel("2024-02-08 08:00 +0800", tick=False):
        assert send_daily_digest.delay().get() == 2
        assert send_daily_digest.delay().get() == 0  # idempotent per day
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["alice@example.org", "bob@example.org"]
    bob = next(m for m in mail.outbox if m.to == ["bob@example.org"])
    assert "M-LATE" in bob.body
    assert "逾期 1 项" in bob.subject
    assert DigestLog.objects.filter(day=date(2024, 2, 8)).count() == 2
    with time_machine.travel("2024-02-09 08:00 +0800", tick=False):
        assert send_daily_digest.delay().get() == 2  # a new day, a new digest


def test_digest_beat_entry_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["measures-daily-digest"]["task"] == "measures.tasks.send_daily_digest"
