"""Documents the bureau hands out: requested by staff, made in the background from one stored run, archived
with their Word and PDF files, published for everyone. One service per user action."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as gettext_now

from areas.roles import is_bureau_staff

from .bulletin import bulletin_blocks, bulletin_figures
from .documents import Block, Heading, render_docx, render_pdf
from .evaluation import evaluation, evaluation_blocks
from .models import Document
from .selectors import latest_run
from .services import score_run_publish


def _require_staff(user: AbstractBaseUser | AnonymousUser) -> None:
    if not is_bureau_staff(user):
        raise PermissionDenied(gettext_now("只有市生态环境局工作人员可以执行此操作。"))


def _blocks(document: Document) -> list[Block]:
    """The document's content from its run (ValidationError when the run cannot give it)."""
    if document.kind == Document.Kind.EVALUATION:
        plan = document.run.plan
        if plan is None:
            raise ValidationError(
                gettext_now("%(year)s 年没有适用的规划，不能生成评估报告。") % {"year": document.year}
            )
        return evaluation_blocks(evaluation(plan=plan, year=document.year, run=document.run))
    return bulletin_blocks(bulletin_figures(year=document.year, month=document.month, run=document.run))


@transaction.atomic
def document_request(*, kind: str, year: int, month: int, language: str, user: AbstractBaseUser) -> Document:
    """Ask for a month's bulletin, or the evaluation of the year's plan as of its end (month 12), from the
    year's latest run; the caller queues its making (progress.tasks.document_make_enqueue). What the run
    cannot give (a month without complete data, a year without whole-year figures) is refused now."""
    _require_staff(user)
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": gettext_now("文件类别无效。")})
    if language not in Document.Language.values:
        raise ValidationError({"language": gettext_now("语言无效。")})
    run = latest_run(year, public=False)
    if run is None:
        raise ValidationError(gettext_now("%(year)s 年没有进展数据。") % {"year": year})
    document = Document(
        kind=kind,
        year=year,
        month=12 if kind == Document.Kind.EVALUATION else month,
        language=language,
        run=run,
        requested_by=user,
    )
    with translation.override(language):
        _blocks(document)  # refuses, with the reason, what the run cannot give
    document.save()
    return document


@transaction.atomic
def document_make(*, document_id: int) -> Document:
    """Make a queued document's Word and PDF files from its run (idempotent: a made document is left as it
    is). Figures the run cannot give fail the document with the reason; nothing half-made is kept."""
    document = Document.objects.select_for_update().select_related("run").get(pk=document_id)
    if document.state == Document.State.DONE:
        return document
    with translation.override(document.language):
        try:
            blocks = _blocks(document)
        except ValidationError as error:
            document.state = Document.State.FAILED
            document.error = "；".join(error.messages)
            document.save(update_fields=["state", "error"])
            return document
        title = blocks[0].text if isinstance(blocks[0], Heading) else ""
        word, pdf = render_docx(blocks), render_pdf(blocks, title=title)
    stem = f"{document.kind}-{document.year}-{document.month:02d}-{document.language}-{document.pk}"
    document.word.save(f"{stem}.docx", ContentFile(word), save=False)
    document.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    document.title, document.state, document.error, document.made_at = title, Document.State.DONE, "", timezone.now()
    document.save()
    return document


@transaction.atomic
def document_publish(*, document: Document, user: AbstractBaseUser) -> Document:
    """Publish a made document: listed and downloadable without login; its run becomes a publication."""
    _require_staff(user)
    document = Document.objects.select_for_update().select_related("run").get(pk=document.pk)
    if document.state != Document.State.DONE:
        raise ValidationError(gettext_now("文件尚未生成，不能发布。"))
    if document.published_at is None:
        document.published_at, document.published_by = timezone.now(), user
        document.save(update_fields=["published_at", "published_by"])
        score_run_publish(run=document.run, user=user)
    return document
