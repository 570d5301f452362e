"""Pages do without Redis: with the page cache refusing connections or hanging, public pages and the API
are built from the database (200, the same page), and after the first failure nobody waits on Redis again
for a while (liaocheng_air/cache.py)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from liaocheng_air import cache as resilient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def breaker_closed() -> Iterator[None]:
    resilient.BREAKER.reset()
    yield
    resilient.BREAKER.reset()


def without_csrf_token(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def redis_cache_at(settings: Any, port: int) -> None:
    settings.PUBLIC_PAGE_CACHE = True  # whole pages and the values every page reads come from it
    settings.CACHES = {
        "default": {
            "BACKEND": "liaocheng_air.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the socket is closed


class HungRedis:
    """Accepts connections and never answers, as a frozen Redis does; counts the connections."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = int(self.server.getsockname()[1])
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.accepted:
            connection.close()


def test_with_redis_refusing_connections_the_public_pages_are_built_from_the_database(
    client: Any, settings: Any, plan: Any
) -> None:
    fresh = client.get(reverse("progress:home"))
    redis_cache_at(settings, closed_port())
    for path in (reverse("progress:home"), reverse("progress:home"), "/api/v1/plans/", reverse("accounts:login")):
        assert client.get(path).status_code == 200
    assert resilient.BREAKER.is_open()
    assert without_csrf_token(client.get(reverse("progress:home")).content) == without_csrf_token(fresh.content)


def test_a_hung_redis_is_waited_on_once_and_then_left_alone(client: Any, settings: Any, plan: Any) -> None:
    hung = HungRedis()
    try:
        redis_cache_at(settings, hung.port)
        assert client.get(reverse("progress:home")).status_code == 200  # waits one socket timeout
        tried = len(hung.accepted)
        assert tried >= 1
        for _ in range(3):
            assert client.get(reverse("progress:home")).status_code == 200
        assert len(hung.accepted) == tried  # the breaker is open: no new connection to the hung server
    finally:
        hung.close()
