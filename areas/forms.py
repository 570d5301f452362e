"""What every app's pages do with a form: put a service's refusal on the form it came from."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def errors_to_form(form: Any, error: ValidationError) -> None:
    """A service's ValidationError on the form: each field's errors on that field when the form has it,
    the rest (and an error without fields) on the form as a whole, keeping its code (e.g. "conflict")."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)
