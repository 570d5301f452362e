"""One anonymous client cannot make the server compute without end: long daily series and years recomputed
under another edition are limited per client address; what the pages ask for is not."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


@pytest.fixture
def three_a_minute(settings: Any) -> None:
    settings.API_EXPENSIVE_RATE = "3/minute"
    settings.TRUSTED_PROXY_COUNT = 1


def from_client(address: str) -> dict[str, str]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/city/daily/?start=2016-01-01&end=2025-12-31",
        "/api/v1/city/annual/2025/?rules=2012",
    ],
)
def test_expensive_queries_are_limited_per_client(client: Any, three_a_minute: None, path: str) -> None:
    statuses = [client.get(path, **from_client("198.51.100.66")).status_code for _ in range(4)]
    assert statuses[:3] != [429] * 3
    assert statuses[3] == 429
    assert client.get(path, **from_client("203.0.113.7")).status_code != 429  # another client is not held back
    spoofed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.66"}
    assert client.get(path, **spoofed).status_code == 429  # what the client writes itself is not believed


def test_what_the_pages_ask_for_is_not_limited(client: Any, three_a_minute: None) -> None:
    path = "/api/v1/city/daily/?start=2025-01-01&end=2025-12-31"
    assert all(client.get(path, **from_client("198.51.100.66")).status_code != 429 for _ in range(6))
