"""Every table of every page scrolls in its own box on a phone, instead of making the page wider than the
screen: each ``<table>`` in the templates stands in a ``<div class="table-scroll">`` (static/css: overflow-x
auto), or is a partial every page includes inside one. A browser walk at 390 px found a page 559 px wide
because one table of its three lacked the wrapper, which the browser tests' data did not make wide enough."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
WRAPPER = re.compile(r'<div class="table-scroll[^"]*"[^>]*>\s*$')
INCLUDED_WRAPPED = "progress/partials/target_table.html"


def unwrapped_tables() -> list[str]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", text):
            if not WRAPPER.search(text[: match.start()]):
                found.append(f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, match.start()) + 1}")
    return found


def test_every_table_scrolls_in_its_own_box() -> None:
    assert [place for place in unwrapped_tables() if not place.startswith(INCLUDED_WRAPPED)] == []


def test_the_partial_table_is_wrapped_wherever_it_is_included() -> None:
    includes = [
        (path, line)
        for path in TEMPLATES.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if INCLUDED_WRAPPED in line
    ]
    assert includes
    assert all('<div class="table-scroll">{% include "' + INCLUDED_WRAPPED in line for _path, line in includes)
