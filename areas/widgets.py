"""Form widgets every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms


class IsoDateInput(forms.DateInput):
    """A browser date picker: its value is always an ISO date (YYYY-MM-DD), whatever the page's language
    (Chinese formatting gave "2026/10/31", which the picker rejects and shows as empty)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
