"""Request bodies larger than their view accepts are refused before anything reads them (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from liaocheng_air.middleware import request_body_limit

MIB = 1024 * 1024


def test_each_upload_view_has_its_own_limit_and_everything_else_the_default(settings: Any) -> None:
    assert request_body_limit("/") == settings.REQUEST_BODY_MAX_BYTES == 10 * MIB
    assert request_body_limit("/no/such/page/") == 10 * MIB
    assert request_body_limit("/monitoring/ingest/") == settings.STATION_FILE_MAX_BYTES + MIB
    assert request_body_limit("/measures/submissions/7/") == 20 * MIB * 10 + MIB
    assert request_body_limit("/monitoring/dust-fall/") == 2 * MIB
    assert request_body_limit("/admin/progress/document/1/change/") == 50 * MIB


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "declared"),
    [("/", 3 * 1024 * MIB), ("/accounts/login/", 11 * MIB), ("/monitoring/dust-fall/", 3 * MIB)],
)
def test_a_body_past_the_limit_gets_413_before_it_is_read(client: Any, path: str, declared: int) -> None:
    # The declared length is huge, the body sent is tiny: the answer comes from the header alone.
    response = client.post(path, data=b"x", content_type="application/octet-stream", CONTENT_LENGTH=str(declared))
    assert response.status_code == 413
    text = response.content.decode()
    assert "请求内容过大" in text
    assert "Request body too large" in text


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_view(client: Any) -> None:
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200  # the login form with its error, not 413


@pytest.mark.django_db
def test_the_station_upload_form_names_the_file_size_limit(client: Any, bureau: Any) -> None:
    client.force_login(bureau)
    with override_settings(STATION_FILE_MAX_BYTES=10):
        upload = SimpleUploadedFile("hours.csv", b"station_code,time,pollutant,value\n", content_type="text/csv")
        response = client.post("/monitoring/ingest/", {"file": upload, "flavour": 1})
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()


def test_one_form_carries_at_most_the_configured_number_of_evidence_files(settings: Any) -> None:
    from django import forms

    from measures.forms import MultipleFileField

    settings.MEASURES_EVIDENCE_MAX_FILES = 2
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4") for i in range(3)]
    with pytest.raises(forms.ValidationError, match="一次最多上传 2 个文件（本次 3 个）"):
        MultipleFileField().clean(files)
    assert len(MultipleFileField().clean(files[:2])) == 2
