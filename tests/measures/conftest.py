"""Objects the measures tests share: an assignment for county A and one for county B, uploads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import AssignmentFactory, MeasureFactory, area_by_code

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def pdf(name: str = "report.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


@pytest.fixture
def measure(db: Any) -> Any:
    return MeasureFactory(
        code="M-DUST",
        title="建筑工地扬尘治理",
        deadline=date(2024, 6, 30),
        quantity=Decimal(100),
        unit="%",
        comparison="at_least",
    )


@pytest.fixture
def assignment_a(measure: Any, official_a: Any) -> Any:
    return AssignmentFactory(measure=measure, area=area_by_code("371502"), target_quantity=Decimal(100))


@pytest.fixture
def assignment_b(measure: Any, official_b: Any) -> Any:
    return AssignmentFactory(measure=measure, area=area_by_code("371581"), target_quantity=Decimal(100))
