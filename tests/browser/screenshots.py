"""Screenshots of the journeys, for people to look at. Taking them costs the browser tests about a fifth
of their time and no assertion reads them, so they are written to test-artifacts/ only when asked for:

    TEST_SCREENSHOTS=1 .venv/bin/pytest tests/browser
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    if os.environ.get("TEST_SCREENSHOTS") != "1":
        return
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)
