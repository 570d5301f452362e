"""factory_boy factories for the objects tests build."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from targets.models import Area, CountyOfficial

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class BureauStaffFactory(UserFactory):
    is_staff = True


def area_by_code(code: str) -> Area:
    area, _ = Area.objects.get_or_create(
        code=code,
        defaults={"name": code, "name_en": code, "kind": Area.Kind.COUNTY},
    )
    return area


class CountyOfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountyOfficial

    class Params:
        area_code = "371502"

    user = factory.SubFactory(UserFactory)
    area = factory.LazyAttribute(lambda o: area_by_code(o.area_code))

