"""Special supervision (专项督导), the top of the escalation ladder: one atomic service per step.

open (bureau: a ground the plan names and what happened) → finding (bureau: what the supervision found, the
rectification task and its due date) → report (the area's reporter: how it rectified) → close (bureau: the
closing note, 销号). The bureau may also send a report back by recording a new finding. Every step is a
history record with who did it and why (``areas.history.history_stamp``).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_noop

from areas.history import history_stamp
from areas.models import Area

from .models import Supervision
from .services import User, require_reporter_of, require_staff


def _required(field: str, value: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _locked(supervision: Supervision, *states: str) -> Supervision:
    current = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if current.state not in states:
        raise ValidationError(
            gettext_now("该督导当前为“%(state)s”，不能执行此操作。") % {"state": current.get_state_display()}
        )
    return current


@transaction.atomic
def supervision_open(*, area: Area, ground: str, reason: str, user: User) -> Supervision:
    """The bureau puts an assessment unit under special supervision on one of the plan's grounds."""
    require_staff(user)
    if not area.is_assessment_unit:
        raise ValidationError({"area": gettext_now("专项督导的对象是县（市、区）和功能区。")})
    if ground not in Supervision.Ground.values:
        raise ValidationError({"ground": gettext_now("请选择规划列出的督导事由。")})
    supervision = Supervision(
        area=area,
        ground=ground,
        reason=_required("reason", reason, gettext_now("请说明列入专项督导的具体情况。")),
        opened_by=user,
    )
    supervision.full_clean()
    history_stamp(supervision, user, gettext_noop("列入专项督导"))
    supervision.save()
    return supervision


@transaction.atomic
def supervision_record_finding(
    *, supervision: Supervision, finding: str, rectification: str, due: date | None, user: User
) -> Supervision:
    """The bureau records what the supervision found and sets the rectification task and its due date (again
    after a report that does not suffice: the report is kept in the history)."""
    require_staff(user)
    current = _locked(supervision, Supervision.State.OPEN, Supervision.State.RECTIFYING, Supervision.State.REPORTED)
    current.finding = _required("finding", finding, gettext_now("请填写督导发现的问题。"))
    current.rectification = _required("rectification", rectification, gettext_now("请填写整改任务。"))
    if due is None:
        raise ValidationError({"due": gettext_now("整改任务须有整改时限。")})
    if due < timezone.localdate():
        raise ValidationError({"due": gettext_now("整改时限不能早于今天（%(day)s）。") % {"day": due.isoformat()}})
    current.rectification_due = due
    current.state = Supervision.State.RECTIFYING
    history_stamp(current, user, gettext_noop("记录督导发现，下达整改任务"))
    current.save()
    return current


@transaction.atomic
def supervision_report(*, supervision: Supervision, report: str, user: User) -> Supervision:
    """The area's reporter reports how the rectification was done."""
    require_reporter_of(user, supervision.area)  # a unit's own officials: staff report only for the city
    current = _locked(supervision, Supervision.State.RECTIFYING)
    current.rectification_report = _required("report", report, gettext_now("请填写整改情况。"))
    current.state = Supervision.State.REPORTED
    history_stamp(current, user, gettext_noop("报送整改情况"))
    current.save()
    return current


@transaction.atomic
def supervision_close(*, supervision: Supervision, note: str, user: User) -> Supervision:
    """The bureau closes a supervision whose rectification it accepts (销号)."""
    require_staff(user)
    current = _locked(supervision, Supervision.State.REPORTED)
    current.closing_note = _required("note", note, gettext_now("请填写销号意见。"))
    current.state = Supervision.State.CLOSED
    current.closed_at = timezone.now()
    history_stamp(current, user, gettext_noop("整改验收，销号"))
    current.save()
    return current
