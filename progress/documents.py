"""Documents as blocks (headings, paragraphs, tables, charts) and their two files: Word (python-docx: bureaus edit
before sending) and PDF (ReportLab). Chinese renders on a machine with only Python: the Word file names an
East Asian font (w:eastAsia) that Word and WPS have, and the PDF uses ReportLab's built-in CID font
STSong-Light (Adobe-GB1), which needs no font file and which every PDF reader maps to a Song face; text
extracted from the PDF is the Chinese that was written."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image as PdfImage
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    """0: the document's title; 1: a section."""


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class TableBlock:
    header: list[str]
    rows: list[list[str]]
    title: str = ""
    widths: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class ImageBlock:
    """A chart as a PNG (``progress/document_charts.py``) with its caption, which carries all its words."""

    png: bytes
    caption: str
    width_mm: float = 160.0


Block = Heading | Paragraph | TableBlock | ImageBlock

# The East Asian face Word and WPS use for the text; the Latin face for digits and units.
WORD_EAST_ASIAN_FONT = "宋体"
WORD_LATIN_FONT = "Times New Roman"
PDF_FONT = "STSong-Light"

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"


def _word_font(run_or_style: object, size: float | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = WORD_LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    element = run_or_style.element  # type: ignore[attr-defined]
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), WORD_EAST_ASIAN_FONT)


def render_docx(blocks: Sequence[Block]) -> bytes:
    document = WordDocument()
    _word_font(document.styles["Normal"], 12)
    for block in blocks:
        if isinstance(block, Heading):
            paragraph = document.add_heading(level=block.level)
            run = paragraph.add_run(block.text)
            _word_font(run, 18 if block.level == 0 else 14)
            if block.level == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Paragraph):
            if block.text:
                _word_font(document.add_paragraph().add_run(block.text))
        elif isinstance(block, ImageBlock):
            _word_font(document.add_paragraph().add_run(block.caption), 10.5)
            document.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
        else:
            if block.title:
                _word_font(document.add_paragraph().add_run(block.title))
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                run = cell.paragraphs[0].add_run(text)
                run.bold = True
                _word_font(run, 10.5)
            for values in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, values, strict=True):
                    _word_font(cell.paragraphs[0].add_run(text), 10.5)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf_font() -> str:
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def render_pdf(blocks: Sequence[Block], *, title: str = "") -> bytes:
    font = _pdf_font()
    # wordWrap="CJK": Chinese lines break between any two characters, as Chinese typesetting does.
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK", spaceAfter=6)
    styles = {
        0: ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1, spaceAfter=12),
        1: ParagraphStyle("section", parent=body, fontSize=13, leading=20, spaceBefore=8),
    }
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0)
    story: list[object] = []
    for block in blocks:
        if isinstance(block, Heading):
            story.append(PdfParagraph(escape(block.text), styles.get(block.level, styles[1])))
        elif isinstance(block, Paragraph):
            if block.text:
                story.append(PdfParagraph(escape(block.text), body))
        elif isinstance(block, ImageBlock):
            story.append(PdfParagraph(escape(block.caption), body))
            image = PdfImage(io.BytesIO(block.png))
            scale = block.width_mm * mm / image.drawWidth
            image.drawWidth, image.drawHeight = image.drawWidth * scale, image.drawHeight * scale
            image.hAlign = "LEFT"
            story += [image, Spacer(1, 4 * mm)]
        else:
            if block.title:
                story.append(PdfParagraph(escape(block.title), body))
            data = [[PdfParagraph(escape(text), cell) for text in row] for row in [block.header, *block.rows]]
            table = Table(data, repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f5")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story += [table, Spacer(1, 4 * mm)]
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm
    )
    document.title = title
    document.build(story)  # type: ignore[arg-type]
    return out.getvalue()
