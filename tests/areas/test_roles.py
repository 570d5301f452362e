"""Who may see what (areas/roles.py): bureau staff, a county official's one area, everyone else nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from areas import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@roles.bureau_staff_required
def staff_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def request_as(user: Any) -> HttpRequest:
    request = RequestFactory().get("/staff-only/")
    request.user = user
    return request


def test_bureau_staff_are_bound_to_no_area(bureau: Any) -> None:
    assert roles.is_bureau_staff(bureau)
    assert roles.official_area(bureau) is None


def test_an_official_sees_only_the_area_bound_to_them(official_a: Any) -> None:
    assert not roles.is_bureau_staff(official_a)
    own = roles.official_area(official_a)
    assert own is not None
    assert own.code == "371502"


@pytest.mark.parametrize("who", ["anonymous", "unbound user", "inactive staff"])
def test_anyone_else_sees_no_internal_record(who: str) -> None:
    user = {
        "anonymous": lambda: AnonymousUser(),
        "unbound user": lambda: UserFactory(),
        "inactive staff": lambda: UserFactory(is_staff=True, is_active=False),
    }[who]()
    assert not roles.is_bureau_staff(user)
    assert roles.official_area(user) is None


def test_a_staff_page_serves_staff_refuses_officials_and_sends_the_anonymous_to_log_in(
    bureau: Any, official_a: Any
) -> None:
    assert staff_page(request_as(bureau)).status_code == 200
    with pytest.raises(PermissionDenied):
        staff_page(request_as(official_a))
    response = staff_page(request_as(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff-only/")
