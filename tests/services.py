"""Tests that need a real service skip on a laptop without it and fail in CI (CI=true)."""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(service: str, available: bool, how: str) -> None:
    """Skip (laptop) or fail (CI) the calling test when ``service`` is not available."""
    if available:
        return
    message = f"{service} is not available: {how}"
    if running_in_ci():
        pytest.fail(f"CI must run this test: {message}", pytrace=False)
    pytest.skip(message)


def tcp_reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


CHROMIUM = "/usr/bin/chromium"


def chromium_available() -> bool:
    return shutil.which(CHROMIUM) is not None
