"""Names of the plan's records in the reader's language.

The plan's records carry their Chinese name and an English one (``name`` / ``name_en``, ``title`` /
``title_en``). Pages show the English field when the active language is English and it is filled in,
otherwise the Chinese one; the models expose this as ``localized_name`` / ``localized_title``.
Units are Chinese words (公里, 万吨 …) or symbols (%, µg/m³): ``localized_unit`` shows a unit's catalogue
translation; the measures' units are put in the catalogue by ``measures.models.MEASURE_UNITS``.

This is the ground of the house (areas/, below every app), so every app's models can use it.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, pgettext


def english_active() -> bool:
    """True when the language of the current request (or thread) is English."""
    return (get_language() or "").lower().startswith("en")


def localized(obj: object, field: str) -> str:
    """``obj.<field>_en`` when English is active and that field is not empty, else ``obj.<field>``."""
    if english_active():
        english = getattr(obj, f"{field}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, field))


def localized_unit(unit: str) -> str:
    """A unit in the active language: its catalogue translation, or the unit itself (%, µg/m³, t)."""
    return gettext(unit) if unit else ""


def in_reader_language(chinese: str, english: str) -> str:
    """``english`` when English is active and it is not empty, else ``chinese``: for names kept as a pair
    outside the models (the AQI categories of ``monitoring.aqi.CATEGORIES``)."""
    return english if english and english_active() else chinese


def join_clauses(parts: list[str]) -> str:
    """Clauses of one message joined as the reader's language joins them (“；” in Chinese, “; ” in English)."""
    return pgettext("clause separator", "；").join(parts)
