"""Who changed a record and why, for django-simple-history: the one way every service stamps a change.

simple-history reads two attributes of the instance being saved: ``_history_user`` and ``_change_reason``.
Every service sets them through ``history_stamp`` just before ``save()``. In areas/, the ground every app
stands on, so that every app stamps the same way.

A reason the product writes is stored in the source language (Chinese: the catalogue's message, marked with
``gettext_noop`` or written under ``source_language()``), whatever the language of the person acting, and
``reason_shown`` puts it in each reader's language. Reasons stored in English before that rule are read back
to their source through the catalogue.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model
from django.utils import translation
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


@contextmanager
def source_language() -> Iterator[None]:
    """Inside, ``gettext`` and ``pgettext`` return the catalogue's source messages: a reason made from
    lazy labels is stored in the source language."""
    with translation.override(None):
        yield


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
    if not english_active():
        reason = _source_of_english(reason)
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


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.cache
def _english_catalogue() -> tuple[dict[str, str], tuple[tuple[re.Pattern[str], str], ...]]:
    """The English catalogue read backwards: each English message of a Chinese source -> that source, and the
    messages with one placeholder as patterns (the typed part captured)."""
    whole: dict[str, str] = {}
    templated: list[tuple[re.Pattern[str], str]] = []
    for key, english in translation.trans_real.translation("en")._catalog.items():
        if not isinstance(key, str) or not isinstance(english, str) or not english:
            continue
        source = key.rpartition("\x04")[2]  # a message with a context is stored as "context\x04message"
        if not _CJK.search(source):
            continue
        placeholders = _PLACEHOLDER.findall(english)
        if not placeholders:
            whole.setdefault(english, source)
        elif len(placeholders) == 1 and len(_PLACEHOLDER.findall(source)) == 1 and english.find("%") >= 3:
            # A label followed by what was typed ("Deadline changed: %(reason)s"), never a bare placeholder.
            parts = _PLACEHOLDER.split(english)
            pattern = re.escape(parts[0]) + "(?P<typed>.*)" + re.escape(parts[-1])
            templated.append((re.compile(pattern, re.DOTALL), source))
    return whole, tuple(templated)


def _source_of_english(reason: str) -> str:
    """A reason stored in English (before reasons were stored in the source language) as its source; any
    other text unchanged."""
    whole, templated = _english_catalogue()
    if reason in whole:
        return whole[reason]
    for pattern, source in templated:
        if match := pattern.fullmatch(reason):
            return _PLACEHOLDER.sub(lambda _: match["typed"], source, count=1)
    label, separator, typed = reason.partition(": ")
    if separator and label in whole:
        return f"{whole[label]}{REASON_SEPARATOR}{typed}"
    return reason
