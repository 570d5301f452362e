"""Login throttling behind the reverse proxy the README recommends: by account and client address (axes),
and by address across accounts (liaocheng_air.views.LoginView), each client known by the address the proxy
saw (areas.client.client_address, ``TRUSTED_PROXY_COUNT``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from areas.client import client_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


def behind_proxy(client_ip: str, spoofed: str = "") -> dict[str, str]:
    """What gunicorn sees: the proxy's address, and X-Forwarded-For as the proxy appended to it."""
    forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def login(client: Client, username: str, password: str, meta: dict[str, str]) -> int:
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **meta).status_code


def test_the_client_address_is_the_one_the_trusted_proxy_saw(rf: Any, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(rf.get("/", **behind_proxy("203.0.113.7", spoofed="1.2.3.4"))) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: what the client writes in X-Forwarded-For is not believed
    assert client_address(rf.get("/", **behind_proxy("203.0.113.7"))) == PROXY


def test_an_attacker_behind_the_proxy_cannot_lock_an_account_out_for_everyone(
    client: Client, settings: Any, official_a: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, owner = behind_proxy("198.51.100.66"), behind_proxy("203.0.113.7")
    assert [login(client, "bob", "wrong", attacker) for _ in range(5)][-1] == 429
    assert login(Client(), "bob", PASSWORD, attacker) == 429  # locked for the attacker's address
    assert login(Client(), "bob", PASSWORD, owner) == 302  # the owner, elsewhere, logs in


def test_one_address_failing_across_many_accounts_is_refused_and_others_are_not(
    client: Client, settings: Any, official_a: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    sprayer, owner = behind_proxy("198.51.100.66"), behind_proxy("203.0.113.7")
    statuses = [login(client, f"user{n}", "Summer2025!", sprayer) for n in range(7)]
    assert statuses == [200] * 6 + [429]
    response = Client().post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD}, **sprayer)
    assert response.status_code == 429
    assert "此地址登录失败次数过多" in response.content.decode()
    assert login(Client(), "bob", PASSWORD, owner) == 302
