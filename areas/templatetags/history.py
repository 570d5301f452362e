"""{{ record.history_change_reason|reason_shown }}: a stamped reason in the reader's language (areas.history)."""

from __future__ import annotations

from django import template

from areas.history import reason_shown as shown

register = template.Library()


@register.filter
def reason_shown(reason: str | None) -> str:
    return shown(reason)
