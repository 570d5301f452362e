"""Long lists in pages of a fixed size: one way for every page that lists more than a screen (the measure
board, the audit log). ``?page=N`` picks the page; a number out of range gives the last page, anything else
the first, so that a link kept from yesterday still opens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


@dataclass(frozen=True)
class Pages:
    page: Page[Any]
    query: str
    """The request's query string without ``page``: the pager's links add their own."""


def paginate(request: HttpRequest, items: Sequence[Any], *, per_page: int) -> Pages:
    query = request.GET.copy()
    query.pop("page", None)
    return Pages(page=Paginator(items, per_page).get_page(request.GET.get("page")), query=query.urlencode())
