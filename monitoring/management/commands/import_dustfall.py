"""`python manage.py import_dustfall FILE.csv`: the monthly dust-fall values of the monitoring points
(interfaces.md §6: point_code,point_name,area_code,month,value); all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring import services_dustfall


class Command(BaseCommand):
    help = "Import monthly dust-fall values (point_code,point_name,area_code,month,value); all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8 with or without BOM")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        try:
            result = services_dustfall.dust_fall_import(content=content)
        except services_dustfall.DustFallImportError as exc:
            raise CommandError(f"{path}: nothing imported.\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"{path}: {result.points_created} point(s) created; values {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged"
        )
