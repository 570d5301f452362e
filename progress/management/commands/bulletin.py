"""`python manage.py bulletin --month YYYY-MM --output FILE.docx|FILE.pdf [--lang en]`: the monthly bulletin
(docs/interfaces.md §6) from the year's latest run; a month without complete data is refused (exit non-zero)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from progress.bulletin import bulletin_blocks, bulletin_figures
from progress.documents import render_docx, render_pdf


class Command(BaseCommand):
    help = "Write the monthly air-quality bulletin (月度通报) as Word (.docx) or PDF (.pdf)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="the month, YYYY-MM")
        parser.add_argument("--output", required=True, type=Path, help="FILE.docx or FILE.pdf")
        parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"], help="the document's language")

    def handle(self, *args: Any, **options: Any) -> None:
        match = re.fullmatch(r"(\d{4})-(\d{2})", options["month"])
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise CommandError(f"--month {options['month']!r}: expected YYYY-MM, e.g. 2025-11")
        output: Path = options["output"]
        suffix = output.suffix.lower()
        if suffix not in (".docx", ".pdf"):
            raise CommandError(f"--output {output}: the file must end in .docx or .pdf")
        year, month = int(match.group(1)), int(match.group(2))
        with translation.override(options["lang"]):
            try:
                figures = bulletin_figures(year=year, month=month)
            except ValidationError as error:
                raise CommandError("；".join(error.messages)) from None
            blocks = bulletin_blocks(figures)
            content = render_docx(blocks) if suffix == ".docx" else render_pdf(blocks, title=str(blocks[0].text))  # type: ignore[union-attr]
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: cannot be written: {error}") from None
        self.stdout.write(
            f"{output}: bulletin for {year}-{month:02d} from the run computed {figures.run.computed_at:%Y-%m-%d %H:%M}"
        )
