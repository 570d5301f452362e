"""The domain-maths modules listed in the Makefile's PURE_MODULES import no Django."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pure_modules() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^PURE_MODULES := (.+)$", makefile, flags=re.MULTILINE)
    assert match, "Makefile has no PURE_MODULES line"
    return [path.removesuffix(".py").replace("/", ".") for path in match.group(1).split()]


@pytest.mark.parametrize("module", pure_modules())
def test_pure_module_imports_no_django(module):
    # Import from a fresh interpreter without settings: a Django import would show in sys.modules.
    code = (
        f"import sys, {module}; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{module} imports Django (or failed to import): {result.stderr}"
