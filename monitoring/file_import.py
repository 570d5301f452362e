"""What the monitoring registry imports share: a file refused whole with every error's place, and the
command step that reads a file, imports it and reports either the summary or every error."""

from __future__ import annotations

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
