"""`python manage.py plan_load FILE`: check a plan file and store it (docs/plan-file.md).

A file with errors is refused whole: every error is printed with its JSON path, nothing is stored, and the
command exits non-zero. Loading the same file again changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from measures.plan_file import describe
from measures.plan_loader import PlanFileRefused, plan_file_load


class Command(BaseCommand):
    help = "Load a plan file (the format of fixtures/plan.json; docs/plan-file.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the plan file (JSON)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read: {error.strerror or error}") from None
        try:
            result = plan_file_load(content)
        except PlanFileRefused as refused:
            for error in refused.errors:
                self.stderr.write(f"{error.path}: {describe(error)}")
            raise CommandError(f"{path}: refused, {len(refused.errors)} error(s); nothing was stored") from None
        self.stdout.write(result.summary())
