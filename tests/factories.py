"""factory_boy factories for the objects tests build."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from areas.models import Area, CountyOfficial

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


# --- measures workflow (tests/measures) ---------------------------------------------------------


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.Department"
        django_get_or_create = ("name",)

    name = "交通运输部门"
    name_en = "Transport departments"


class DepartmentOfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.DepartmentOfficial"

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)


def city_area() -> Area:
    area, _ = Area.objects.get_or_create(
        code="371500", defaults={"name": "聊城市", "name_en": "Liaocheng", "kind": Area.Kind.CITY}
    )
    return area


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "targets.Plan"
        django_get_or_create = ("code",)

    code = "lc-air-2021-2025"
    name = "聊城市“十四五”空气质量改善行动计划"
    name_en = "Liaocheng air-quality improvement action plan 2021-2025"
    start_year = 2021
    end_year = 2025
    status = "draft_for_comments"
    area = factory.LazyFunction(city_area)


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "targets.Chapter"
        django_get_or_create = ("plan", "number")

    plan = factory.SubFactory(PlanFactory)
    number = 3
    title = "推进产业结构优化调整"
    title_en = "Industrial structure"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "targets.Section"
        django_get_or_create = ("chapter", "number")

    chapter = factory.SubFactory(ChapterFactory)
    number = 1
    title = "淘汰落后产能"
    title_en = "Phase out outdated capacity"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.Measure"

    code = factory.Sequence(lambda n: f"M{n:03d}")
    section = factory.SubFactory(SectionFactory)
    plan = factory.LazyAttribute(lambda o: o.section.chapter.plan)
    title = factory.Sequence(lambda n: f"任务措施{n}")
    title_en = factory.Sequence(lambda n: f"Measure {n}")
    source_text = "原文。"
    kind = "milestone"
    deadline = None
    applies_to_all_areas = True


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.Assignment"

    measure = factory.SubFactory(MeasureFactory)
    area = factory.LazyFunction(lambda: area_by_code("371502"))
    deadline = factory.LazyAttribute(lambda o: o.measure.deadline)
    target_quantity = factory.LazyAttribute(lambda o: o.measure.target_for(o.area))
