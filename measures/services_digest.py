"""The daily reminder digest: what is due soon or overdue, per recipient, sent once a day."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as gettext_now

from areas.models import CountyOfficial

from .models import Assignment, DepartmentOfficial, DigestLog
from .selectors import AssignmentRow, DueLists, assignment_rows, due_lists


def _lines(title: str, rows: list[AssignmentRow], *, with_area: bool) -> list[str]:
    if not rows:
        return []
    out = [f"{title}（{len(rows)}）"]
    for row in rows:
        a = row.assignment
        reporter = f"{a.area.name} · {a.department.name}" if a.department else a.area.name
        area = f"[{reporter}] " if with_area else ""
        out.append(f"  - {area}{a.measure.code} {a.measure.title}，{gettext_now('完成时限')} {a.deadline:%Y-%m-%d}")
    return out


def digest_body(due: DueLists, *, with_area: bool) -> str:
    lines = [
        *_lines(gettext_now("预警名单（严重逾期）"), due.warning, with_area=with_area),
        *_lines(gettext_now("逾期"), due.overdue, with_area=with_area),
        *_lines(gettext_now("即将到期"), due.due_soon, with_area=with_area),
    ]
    return "\n".join(lines)


def _send_once(*, day: date, user: object, subject: str, body: str, items: int) -> bool:
    """Record then send inside one transaction: a failed send leaves no record and is retried."""
    email = getattr(user, "email", "")
    if not email or DigestLog.objects.filter(day=day, user=user).exists():
        return False
    try:
        with transaction.atomic():
            DigestLog.objects.create(day=day, user=user, email=email, items=items)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except IntegrityError:
        return False  # a concurrent run recorded it first
    return True


def digest_send(*, day: date | None = None) -> int:
    day = day or timezone.localdate()
    rows = assignment_rows(Assignment.objects.select_related("measure", "area", "department"), today=day)
    by_area: dict[int, list[AssignmentRow]] = {}
    by_department: dict[int, list[AssignmentRow]] = {}
    for row in rows:
        if row.assignment.department_id is None:
            by_area.setdefault(row.assignment.area_id, []).append(row)
        else:
            by_department.setdefault(row.assignment.department_id, []).append(row)
    sent = 0
    subject_day = day.strftime("%Y-%m-%d")
    reporters = [
        (official.user, official.area.name, by_area.get(official.area_id, []))
        for official in CountyOfficial.objects.select_related("user", "area").filter(user__is_active=True)
    ] + [
        (official.user, official.department.name, by_department.get(official.department_id, []))
        for official in DepartmentOfficial.objects.select_related("user", "department").filter(user__is_active=True)
    ]
    for user, name, own in reporters:
        due = due_lists(own)
        if due.count == 0:
            continue
        subject = gettext_now("【任务提醒】%(area)s %(day)s：逾期 %(overdue)s 项，即将到期 %(soon)s 项") % {
            "area": name,
            "day": subject_day,
            "overdue": len(due.overdue) + len(due.warning),
            "soon": len(due.due_soon),
        }
        sent += _send_once(day=day, user=user, subject=subject, body=digest_body(due, with_area=False), items=due.count)
    due_all = due_lists(rows)
    if due_all.count:
        subject = gettext_now(
            "【任务提醒】全市 %(day)s：预警 %(warning)s 项，逾期 %(overdue)s 项，即将到期 %(soon)s 项"
        ) % {
            "day": subject_day,
            "warning": len(due_all.warning),
            "overdue": len(due_all.overdue),
            "soon": len(due_all.due_soon),
        }
        body = digest_body(due_all, with_area=True)
        for staff in get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk"):
            sent += _send_once(day=day, user=staff, subject=subject, body=body, items=due_all.count)
    return sent
