"""The English interface: a complete catalogue, and key pages whose labels are all English.

The catalogue is read with a small parser here (no polib), so the check needs neither GNU gettext
nor any extra package; the compiled ``django.mo`` is committed and must say what the ``.po`` says.
"""

from __future__ import annotations

import ast
import gettext
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from areas.models import Area
from measures.models import Department, Measure
from progress import services
from targets import services as target_services
from targets.models import Chapter
from tests.progress.conftest import TODAY, install_daily_results

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# --- the catalogue ---------------------------------------------------------------------------------


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [value for key, value in self.fields.items() if key.startswith("msgstr")]


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file: flags (``#,``) and fields (msgctxt, msgid, msgid_plural, msgstr, msgstr[n])."""
    entries: list[Entry] = []
    entry = Entry()
    current = ""
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if entry.fields:
                entries.append(entry)
            entry, current = Entry(), ""
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry.fields[current] += ast.literal_eval(line)
        else:
            current, _, literal = line.partition(" ")
            entry.fields[current] = ast.literal_eval(literal)
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return parse_po((CATALOGUE / "django.po").read_text(encoding="utf-8"))


def test_po_parser_reads_plural_and_continued_entries():
    text = '#, fuzzy, python-format\nmsgid ""\n"a %(n)s"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[1] ""\n'
    (entry,) = parse_po(text)
    assert entry.flags == {"fuzzy", "python-format"}
    assert entry.msgid == "a %(n)s"
    assert entry.translations == ["x", ""]


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue):
    messages = catalogue[1:]  # the first entry is the header
    assert len(messages) > 500
    assert not [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not [e.msgid for e in messages if not all(e.translations)]


def test_english_translations_contain_no_chinese(catalogue):
    assert not [e.msgid for e in catalogue[1:] if any(CJK.search(t) for t in e.translations)]


def test_translations_keep_every_placeholder(catalogue):
    placeholder = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdf]|\{\w*\}")
    for entry in catalogue[1:]:
        expected = sorted(placeholder.findall(entry.msgid))
        for translated in entry.translations:
            assert sorted(placeholder.findall(translated)) == expected, entry.msgid


def test_committed_mo_matches_the_po(catalogue):
    """Fresh machines have no gettext to compile the .po: the committed .mo must be up to date."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue[1:]:
        key = entry.msgid if "msgctxt" not in entry.fields else f"{entry.fields['msgctxt']}\x04{entry.msgid}"
        if "msgid_plural" in entry.fields:
            assert compiled.ngettext(key, entry.fields["msgid_plural"], 1) == entry.fields["msgstr[0]"], key
            assert compiled.ngettext(key, entry.fields["msgid_plural"], 2) == entry.fields["msgstr[1]"], key
        else:
            assert compiled.gettext(key) == entry.fields["msgstr"], key


# --- names of the plan's records ---------------------------------------------------------------------


@pytest.mark.django_db
def test_records_show_their_english_name_only_in_english(plan):
    county = Area.objects.get(code="371502")
    measure = Measure.objects.order_by("code").first()
    with translation.override("en"):
        assert county.localized_name == "Dongchangfu"
        assert plan.localized_name == plan.name_en
        assert measure.localized_title == measure.title_en
    with translation.override("zh-hans"):
        assert county.localized_name == "东昌府区"
        assert measure.localized_title == measure.title


@pytest.mark.django_db
def test_a_record_without_an_english_name_keeps_its_chinese_one():
    department = Department.objects.create(name="聊城市某局", name_en="")
    with translation.override("en"):
        assert department.localized_name == "聊城市某局"


def test_measure_units_are_translated():
    from areas.localization import localized_unit

    with translation.override("en"):
        assert localized_unit("公里") == "km"
        assert localized_unit("%") == "%"
        assert localized_unit("") == ""


# --- pages in English --------------------------------------------------------------------------------


class LabelText(HTMLParser):
    """Text of the page's labels: navigation, title, headings, table headers, form labels and buttons.

    Data the bureau enters or that has no English form (station names in <option>, the plan's own
    sentences, the language switch's "中文") is not a label and is left out.
    """

    LABELS = frozenset({"title", "nav", "h1", "h2", "h3", "th", "label", "button", "dt"})
    SKIPPED = frozenset({"option", "script", "style"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "input", "img", "meta", "link", "hr"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        skip = tag in self.SKIPPED or "language-switch" in classes or "source-text" in classes
        self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if any(skip for _, skip in self.stack):
            return
        if any(tag in self.LABELS for tag, _ in self.stack) and data.strip():
            self.found.append(data.strip())


def labels_of(html: str) -> list[str]:
    parser = LabelText()
    parser.feed(html)
    return parser.found


def chinese_labels(html: str) -> list[str]:
    return [text for text in labels_of(html) if CJK.search(text)]


def test_label_parser_finds_chinese_headings_and_skips_data():
    html = (
        "<h2>进展</h2><label>Area <select><option>区政府</option></select></label>"
        "<th>年份</th><p>正文</p><form class='language-switch'><button>中文</button></form>"
    )
    assert chinese_labels(html) == ["进展", "年份"]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def computed(plan, monkeypatch):
    """Stored progress for 2025 (literal daily results), so the cards, ranking and charts render."""
    cache.clear()  # the public summary is cached per language; start from this test's figures
    install_daily_results(monkeypatch)
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    return run


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["progress:home", "progress:methodology", "progress:plan", "accounts:login"])
def test_public_pages_in_english_have_no_chinese_labels(english, computed, name):
    response = english.get(reverse(name))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    assert len(labels_of(html)) > 5
    assert chinese_labels(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["progress:dashboard", "measures:board", "measures:list", "measures:plan-upload"])
def test_bureau_pages_in_english_have_no_chinese_labels(english, computed, bureau, name):
    english.force_login(bureau)
    response = english.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert chinese_labels(html) == []


def chart_texts(html: str) -> list[str]:
    """Titles, axis titles and legend names of the page's Plotly charts (json_script "page-charts")."""
    match = re.search(r'<script id="page-charts" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page has no charts"
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"text", "name"} and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(match.group(1)))
    return found


@pytest.mark.django_db
def test_chart_titles_and_legends_are_english(english, computed, bureau):
    english.force_login(bureau)
    texts = chart_texts(english.get(reverse("progress:dashboard") + "?calendar_year=2025").content.decode())
    assert "Daily AQI category" in texts
    assert "Yearly milestone" in texts
    assert [text for text in texts if CJK.search(text)] == []


@pytest.mark.django_db
def test_english_pages_name_counties_and_chapters_in_english(english, computed, bureau):
    english.force_login(bureau)
    board = english.get(reverse("measures:board")).content.decode()
    assert "Dongchangfu" in board
    assert "东昌府区" not in board
    chapter = Chapter.objects.get(number=2)
    assert chapter.title_en in board
    home = english.get(reverse("progress:home")).content.decode()
    assert "Liaocheng 14th Five-Year Air Quality Improvement Action Plan" in home
    assert "Linqing" in home
    assert "临清市" not in home


@pytest.mark.django_db
def test_chinese_pages_keep_the_chinese_names(client, computed, bureau):
    client.force_login(bureau)
    board = client.get(reverse("measures:board")).content.decode()
    assert "东昌府区" in board
    assert "任务措施看板" in board
