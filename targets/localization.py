"""Names of the plan's records in the reader's language.

The plan's records carry their Chinese name and an English one (``name`` / ``name_en``, ``title`` /
``title_en``). Pages show the English field when the active language is English and it is filled in,
otherwise the Chinese one; the models expose this as ``localized_name`` / ``localized_title``.
Units of the plan's measures are Chinese words (公里, 万吨 …): they are in the translation catalogue
through ``MEASURE_UNITS`` and shown with ``localized_unit``.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, gettext_noop


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


# The units the plan's measures use (fixtures/plan.json), so that makemessages puts them in the catalogue.
MEASURE_UNITS = (
    gettext_noop("公里"),
    gettext_noop("万千瓦"),
    gettext_noop("万吨"),
    gettext_noop("万吨/年"),
    gettext_noop("台"),
    gettext_noop("蒸吨/小时"),
    gettext_noop("辆/日"),
    gettext_noop("吨/年"),
    gettext_noop("吨/月·平方公里"),
)


def localized_unit(unit: str) -> str:
    """A unit in the active language: its catalogue translation, or the unit itself (%, µg/m³, t)."""
    return gettext(unit) if unit else ""
