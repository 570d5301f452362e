"""`python manage.py evaluation --plan CODE --year YYYY --output FILE.docx|FILE.pdf [--lang en]`: a plan's
evaluation as of the end of a year (docs/interfaces.md §6); refused for a year without whole-year figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from progress.documents import Heading, render_docx, render_pdf
from progress.evaluation import evaluation, evaluation_blocks
from targets.selectors import plan_by_code


class Command(BaseCommand):
    help = "Write a plan's evaluation report (中期 / 终期评估) as Word (.docx) or PDF (.pdf)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="the plan's code, e.g. liaocheng-air-2021-2025")
        parser.add_argument("--year", required=True, type=int, help="as of the end of this year")
        parser.add_argument("--output", required=True, type=Path, help="FILE.docx or FILE.pdf")
        parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"], help="the document's language")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plan_by_code(options["plan"])
        if plan is None:
            raise CommandError(f"no plan has the code {options['plan']!r}")
        output: Path = options["output"]
        suffix = output.suffix.lower()
        if suffix not in (".docx", ".pdf"):
            raise CommandError(f"--output {output}: the file must end in .docx or .pdf")
        with translation.override(options["lang"]):
            try:
                blocks = evaluation_blocks(evaluation(plan=plan, year=options["year"]))
            except ValidationError as error:
                raise CommandError("；".join(error.messages)) from None
            title = blocks[0].text if isinstance(blocks[0], Heading) else ""
            content = render_docx(blocks) if suffix == ".docx" else render_pdf(blocks, title=title)
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: cannot be written: {error}") from None
        self.stdout.write(f"{output}: {title}")
