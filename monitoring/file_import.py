"""What the monitoring registry imports share: reading a UTF-8 CSV with its header, a file refused whole
with every error's place, and the command step that reads a file, imports it and reports either the
summary or every error."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError


class FileRefused(Exception):
    """The file has errors; nothing was imported. ``errors`` name the line (and field) of each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def import_file(path: Path, importer: Callable[[bytes], str]) -> str:
    """Read ``path`` and import it with ``importer`` (which returns a one-line summary); a file that cannot
    be read or is refused becomes a CommandError listing every error (the command exits non-zero)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror or exc}") from exc
    try:
        return f"{path}: {importer(content)}"
    except FileRefused as exc:
        raise CommandError(f"{path}: nothing imported.\n" + "\n".join(exc.errors)) from exc


def csv_rows(content: bytes, required: tuple[str, ...]) -> tuple[csv.DictReader[str] | None, list[str]]:
    """A dict reader over a UTF-8 CSV (a BOM allowed) whose header names are stripped, and the required
    columns the header lacks. The reader is None when the bytes are not UTF-8 text (an .xlsx is a zip: its
    bytes can decode, but it is no CSV)."""
    if content.startswith(b"PK\x03\x04") or b"\x00" in content:
        return None, list(required)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, list(required)
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    return reader, [name for name in required if name not in header]
