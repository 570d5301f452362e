"""Demo users for `bootstrap --demo`: one bureau staff member and officials of two counties.

Demo passwords are printed by the command and only ever created with --demo; they are not a
production mechanism (a production deployment never runs --demo).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from areas.models import Area, CountyOfficial

from .models import DemoDataset


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    area_code: str | None


DEMO_BUREAU_USERNAME = "bureau"

DEMO_LOGINS = (
    DemoLogin(DEMO_BUREAU_USERNAME, "bureau-demo-2025", "市生态环境局工作人员 / bureau staff", None),
    DemoLogin("dongchangfu", "dongchangfu-demo-2025", "东昌府区填报人员 / Dongchangfu official", "371502"),
    DemoLogin("linqing", "linqing-demo-2025", "临清市填报人员 / Linqing official", "371581"),
)


@transaction.atomic
def demo_users_load() -> dict[str, AbstractUser]:
    """Create (or reset the passwords of) the demo users; returns them by username."""
    user_model = get_user_model()
    users: dict[str, AbstractUser] = {}
    for login in DEMO_LOGINS:
        user, _ = user_model.objects.get_or_create(username=login.username)
        user.is_staff = login.area_code is None
        user.is_active = True
        user.set_password(login.password)
        user.save()
        if login.area_code:
            CountyOfficial.objects.update_or_create(
                user=user, defaults={"area": Area.objects.get(code=login.area_code)}
            )
        users[login.username] = user
    return users


def demo_dataset_mark(description: str) -> None:
    """Record that demo data are loaded, so every page shows the demo banner."""
    DemoDataset.objects.get_or_create(description=description)
