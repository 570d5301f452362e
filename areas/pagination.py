"""Long lists in pages of a fixed size: one way for every page that lists more than a screen (the measure
board, the audit log). ``?page=N`` picks the page; a number out of range gives the last page, anything else
the first, so that a link kept from yesterday still opens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


@dataclass(frozen=True)
class Pages:
    page: Page[Any]
    query: str
    """The request's query string without ``page``: the pager's links add their own."""


class Pageable(Protocol):
    """A list read a page at a time (the audit log): Django's Paginator asks for the count and one slice."""

    def count(self) -> int: ...

    def __getitem__(self, index: slice) -> Sequence[Any]: ...


def paginate(request: HttpRequest, items: Sequence[Any] | Pageable, *, per_page: int) -> Pages:
    query = request.GET.copy()
    query.pop("page", None)
    # The stubs want a Sized iterable; Paginator itself needs only count() (or len) and slicing.
    paginator: Paginator[Any] = Paginator(cast(Any, items), per_page)
    return Pages(page=paginator.get_page(request.GET.get("page")), query=query.urlencode())
