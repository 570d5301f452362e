"""Values every template needs: the site name, whether demo data are loaded, the plan the footer names."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from targets.selectors import demo_data_loaded, site_plan


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.SITE_NAME, "DEMO_DATA_LOADED": demo_data_loaded(), "SITE_PLAN": site_plan()}
