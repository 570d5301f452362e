"""Documents (issue 12, items 1 and 4): staff ask for a bulletin, it is made in the background from one
run and archived with it; published, anyone downloads it; a later recompute leaves it as it was."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from progress import services
from progress.models import Document, ScoreRun
from targets import services as target_services
from tests.progress.conftest import COUNTY_A, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stored")]


@pytest.fixture
def run(plan):
    target_services.county_targets_ensure(plan=plan)
    (run,) = services.scores_recompute(years=[2025], today=TODAY)
    return run


def ask(client, month="2025-03", language="zh-hans"):
    return client.post(reverse("progress:documents"), {"month": month, "language": language})


def pdf_text(content: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))


def test_staff_make_a_bulletin_publish_it_and_the_public_downloads_it(
    client, bureau, run, django_capture_on_commit_callbacks
):
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client).status_code == 302
    document = Document.objects.get()
    assert (document.state, document.run, document.title) == ("done", run, "聊城市环境空气质量月度通报（2025年3月）")
    page = client.get(reverse("progress:documents")).content.decode()
    assert f'data-document="{document.pk}" data-state="done"' in page
    client.logout()
    # Not published yet: nothing for the public.
    assert client.get(reverse("progress:document-download", args=[document.pk, "pdf"])).status_code == 404
    assert f'data-document="{document.pk}"' not in client.get(reverse("progress:documents-public")).content.decode()
    client.force_login(bureau)
    client.post(reverse("progress:document-publish", args=[document.pk]))
    client.logout()
    assert f'data-document="{document.pk}"' in client.get(reverse("progress:documents-public")).content.decode()
    response = client.get(reverse("progress:document-download", args=[document.pk, "pdf"]))
    assert response.status_code == 200
    assert "优良天数比例64.4%，同比减少35.6个百分点" in pdf_text(b"".join(response.streaming_content))
    run.refresh_from_db()
    assert run.publication  # the published document's run is a publication


def test_a_later_recompute_leaves_the_document_and_its_run_as_they_were(
    client, bureau, run, stored, django_capture_on_commit_callbacks
):
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    document = Document.objects.get()
    before = document.pdf.read()
    stored.loc[(stored["area"] == COUNTY_A) & (stored["date"].astype(str) >= "2025-01-01"), "pm25"] = 70
    services.scores_recompute(years=[2025], today=TODAY)
    services.scores_recompute(years=[2025], today=TODAY)
    document.refresh_from_db()
    assert ScoreRun.objects.filter(pk=run.pk).exists()  # kept: the document quotes it
    assert document.pdf.open("rb").read() == before
    assert ScoreRun.objects.filter(year=2025).count() == 2  # the document's run and the newest


def test_a_month_without_data_is_refused_on_the_page_and_nothing_is_queued(client, bureau, run):
    client.force_login(bureau)
    response = ask(client, month="2025-06")
    assert response.status_code == 400
    assert "2025年6月的监测数据不完整（数据截至 2025-03-31），不能生成月度通报。" in response.content.decode()
    assert ask(client, month="2025-13").status_code == 400
    assert not Document.objects.exists()


def test_only_staff_ask_for_or_publish_documents(client, official_a, run, bureau, django_capture_on_commit_callbacks):
    client.force_login(official_a)
    assert ask(client).status_code == 403
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    document = Document.objects.get()
    client.force_login(official_a)
    assert client.post(reverse("progress:document-publish", args=[document.pk])).status_code == 403
    assert client.get(reverse("progress:document-download", args=[document.pk, "docx"])).status_code == 404
    document.refresh_from_db()
    assert document.published_at is None


def test_staff_make_the_final_evaluation_on_the_page(client, bureau, plan, django_capture_on_commit_callbacks):
    from datetime import date

    services.scores_recompute(years=[2025], today=date(2026, 4, 1))
    client.force_login(bureau)
    response = client.post(reverse("progress:documents"), {"kind": "evaluation", "year": "2024", "language": "zh-hans"})
    assert response.status_code == 400
    assert "2024 年没有进展数据" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("progress:documents"), {"kind": "evaluation", "year": "2025", "language": "zh-hans"}
        )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.state, document.month) == ("evaluation", "done", 12)
    assert document.title.endswith("终期评估报告（截至2025年底）")
    assert "一、全市目标完成情况" in pdf_text(document.pdf.read())


def test_a_published_document_is_marked_when_newer_figures_differ(client, plan):
    """Issue 12: the archived bulletin stays as it was; the public list says when the figures changed since."""
    from datetime import date

    from progress import selectors, services
    from progress.models import Document, ProgressSnapshot, ScoreRun

    (run,) = services.scores_recompute(years=[2025], today=date(2025, 4, 1))
    document = Document.objects.create(kind="bulletin", year=2025, month=3, run=run, state="done", title="3月通报")
    document.published_at = run.published_at
    document.save()
    assert selectors.document_revision(document, public=True) is None
    html = client.get("/documents/").content.decode()
    assert "data-revised-by" not in html
    # A later recompute whose 1-3月 PM2.5 differs (reviewed data arrived): the list says what changed.
    (newer,) = services.scores_recompute(years=[2025], today=date(2025, 4, 1))
    ProgressSnapshot.objects.filter(run=newer, area__code="371500", indicator="pm25", month=3, cumulative=True).update(
        actual=51
    )
    revision = selectors.document_revision(document, public=True)
    assert revision is not None
    assert revision.run == newer
    assert [(c.indicator, c.published, c.now) for c in revision.changes] == [("pm25", 50, 51)]
    html = client.get("/documents/").content.decode()
    assert f'data-revised-by="{newer.pk}"' in html
    assert "PM2.5 50 → 51" in html
    assert ScoreRun.objects.filter(pk=run.pk).exists()  # the run the document quotes is kept
