"""`python manage.py import_stations FILE.csv`: create or update stations by code (interfaces.md §1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring import services


class Command(BaseCommand):
    help = "Import the station registry from CSV (code,name,county_code,network,latitude,longitude); all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8 with or without BOM")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        try:
            result = services.stations_import(content=content)
        except services.StationImportError as exc:
            raise CommandError(f"{path}: nothing imported.\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"{path}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")
