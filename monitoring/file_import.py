"""What the monitoring registry imports share: a file refused whole with every error's place, and the
command that reads a file, imports it and reports either the counts or every error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class FileRefused(Exception):
    """The file has errors; nothing was imported. ``errors`` name the line (and field) of each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class ImportFileCommand(BaseCommand):
    """``manage.py <command> FILE.csv``: all or nothing; a refused file exits non-zero listing every error."""

    def import_content(self, content: bytes) -> str:
        """Import the file's bytes; return the one-line summary (raise FileRefused on errors)."""
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8 with or without BOM")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        try:
            summary = self.import_content(content)
        except FileRefused as exc:
            raise CommandError(f"{path}: nothing imported.\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"{path}: {summary}")
