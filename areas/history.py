"""Who changed a record and why, for django-simple-history: the one way every service stamps a change.

simple-history reads two attributes of the instance being saved: ``_history_user`` and ``_change_reason``.
Every service sets them through ``history_stamp`` just before ``save()``. In areas/, the ground every app
stands on, so that every app stamps the same way.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from .localization import english_active

# How a stamped reason joins its fixed label to the words a person typed ("调整完成时限：" + reason).
REASON_SEPARATOR = "："
# Catalogue contexts of labels stamped alone (the review actions: measures.services.TRANSITION_MESSAGES).
LABEL_CONTEXTS = ("review action",)


def _label_translated(label: str) -> str:
    for context in LABEL_CONTEXTS:
        translated = pgettext(context, label)
        if translated != label:
            return translated
    return gettext(label)


def history_stamp(record: Model, user: AbstractBaseUser | AnonymousUser | None, reason: str = "") -> None:
    """The next save of ``record`` is recorded as made by ``user`` (none for a command or an anonymous
    request) for ``reason`` (none when empty)."""
    record._history_user = user if user is not None and user.is_authenticated else None  # type: ignore[attr-defined]
    record._change_reason = reason or None  # type: ignore[attr-defined]


def reason_shown(reason: str | None) -> str:
    """A stamped reason (or a stored message) in the reader's language: the fixed label the product wrote (a
    catalogue message, alone or as "label：%(reason)s" / "label：%s") is translated; what a person typed, or
    the error text, after it is shown as it was written."""
    if not reason:
        return ""
    whole = _label_translated(reason)
    if whole != reason:
        return str(capfirst(whole))
    label, separator, typed = reason.partition(REASON_SEPARATOR)
    if not separator:
        return reason
    for placeholder, values in (("%(reason)s", {"reason": typed}), ("%s", typed)):
        with_placeholder = f"{label}{REASON_SEPARATOR}{placeholder}"
        translated = gettext(with_placeholder)
        if translated != with_placeholder:
            return translated % values
    alone = _label_translated(label)
    if alone != label:
        return f"{capfirst(alone)}{': ' if english_active() else REASON_SEPARATOR}{typed}"
    return reason
