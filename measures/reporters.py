"""Who reports on an assignment: the area's government, or a department for its city-wide report.

Bureau staff review every form and fill the city's own; a county official reports for one area
(areas.roles); a department official (``DepartmentOfficial``) reports for one department: its own city-wide
assignments (``Assignment.department``), and follows the area forms of the measures it leads once they are
handed in, never an area's draft or a form returned to it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from areas.models import Area
from areas.roles import official_area, reports_for

from .models import Department, DepartmentOfficial

# The states of an area's form a department following the measure may see: what the area has handed in.
HANDED_IN_STATES = ("submitted", "approved")


def official_department_id(user: AbstractBaseUser | AnonymousUser) -> int | None:
    """The department a department official is bound to, or None for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        binding: DepartmentOfficial = user.department_official  # type: ignore[union-attr]
    except DepartmentOfficial.DoesNotExist:
        return None
    return binding.department_id


def official_department(user: AbstractBaseUser | AnonymousUser) -> Department | None:
    """The department itself (see ``official_department_id``)."""
    if official_department_id(user) is None:
        return None
    return user.department_official.department  # type: ignore[union-attr, no-any-return]


def reports_on(user: AbstractBaseUser | AnonymousUser, area: Area, department_id: int | None = None) -> bool:
    """Whether ``user`` fills in the forms of the assignment to ``area`` reported by ``department_id`` (None:
    by the area itself, areas.roles.reports_for)."""
    if department_id is not None:
        return official_department_id(user) == department_id
    return reports_for(user, area)


def is_reporter(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A county or department official: someone with a task list of their own."""
    return official_area(user) is not None or official_department_id(user) is not None
