"""The mark of demo data on every download (areas.exports.title_mark_register), as every page has its banner."""

from __future__ import annotations

from django.utils.translation import gettext as gettext_now

from targets.selectors import demo_data_loaded


def demo_export_mark() -> str:
    return gettext_now("演示数据（合成），并非聊城市的真实数据") if demo_data_loaded() else ""
