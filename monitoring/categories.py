"""The AQI categories' names in the reader's language: one way for every page, chart and download (the
categories themselves, with their colours, are ``monitoring.aqi.CATEGORIES``, HJ 633 Table 2)."""

from __future__ import annotations

from areas.localization import in_reader_language

from .aqi import CATEGORIES


def category_name(level: int) -> str:
    """The name of category ``level`` (1 优 … 6 严重污染) in the reader's language."""
    category = CATEGORIES[level - 1]
    return in_reader_language(category.name_zh, category.name_en)


def category_names() -> list[tuple[int, str]]:
    """(level, name) of every category, best first."""
    return [(category.level, category_name(category.level)) for category in CATEGORIES]
