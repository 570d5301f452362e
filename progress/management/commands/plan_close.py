"""`python manage.py plan_close CODE --reason TEXT [--successor CODE] [--outcomes FILE.csv]`: close a plan.

Every assignment the plan leaves unfinished needs an outcome, given in a CSV file with the columns
``measure,area,outcome,carried_to,reason`` (outcome: carried_over, completed_late or not_completed;
carried_to: the successor's measure code for a carry-over; reason: required for not_completed).
``--template`` prints that file for the plan's unfinished assignments, to fill in. A close-out with any
error is refused whole, every error printed with its CSV line, and nothing is stored.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from measures.services_closeout import OutcomeChoice, unfinished_assignments
from progress.closeout import plan_close
from targets.selectors import plan_by_code

# ``department``: the reporting department of a department's city-wide report, empty when the area reports.
COLUMNS = ("measure", "area", "department", "outcome", "carried_to", "reason")


def read_choices(content: str) -> list[OutcomeChoice]:
    reader = csv.DictReader(io.StringIO(content))
    missing = [c for c in ("measure", "area", "outcome") if c not in (reader.fieldnames or [])]
    if missing:
        raise CommandError(f"the outcomes file lacks the column(s) {', '.join(missing)} (expected {','.join(COLUMNS)})")
    return [
        OutcomeChoice(
            measure=row["measure"] or "",
            area=row["area"] or "",
            department=row.get("department") or "",
            outcome=(row["outcome"] or "").strip(),
            carried_to=row.get("carried_to") or "",
            reason=row.get("reason") or "",
            place=f"line {reader.line_num}",
        )
        for row in reader
    ]


class Command(BaseCommand):
    help = "Close a plan: its status, the outcome of every unfinished assignment, its figures of record."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the plan's code, e.g. liaocheng-air-2021-2025")
        parser.add_argument("--reason", default="", help="why and on what authority the plan is closed")
        parser.add_argument("--successor", default="", help="the code of the plan that carries work over")
        parser.add_argument("--outcomes", type=Path, help="CSV: measure,area,department,outcome,carried_to,reason")
        parser.add_argument(
            "--template", action="store_true", help="print the outcomes CSV of the unfinished assignments and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plan_by_code(options["code"])
        if plan is None:
            raise CommandError(f"no plan has the code {options['code']!r}")
        if options["template"]:
            writer = csv.writer(self.stdout)
            writer.writerow(COLUMNS)
            for assignment in unfinished_assignments(plan):
                department = assignment.department.name if assignment.department else ""
                writer.writerow([assignment.measure.code, assignment.area.code, department, "", "", ""])
            return
        successor = None
        if options["successor"]:
            successor = plan_by_code(options["successor"])
            if successor is None:
                raise CommandError(f"no plan has the code {options['successor']!r} (--successor)")
        choices: list[OutcomeChoice] = []
        if options["outcomes"] is not None:
            try:
                choices = read_choices(options["outcomes"].read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{options['outcomes']}: cannot be read: {error}") from None
        try:
            closed = plan_close(plan=plan, reason=options["reason"], choices=choices, successor=successor, user=None)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(f"{plan.code}: not closed, {len(error.messages)} error(s); nothing was stored") from None
        self.stdout.write(
            f"{plan.code} closed: {len(closed.outcomes)} unfinished assignment(s) given an outcome, "
            f"{len(closed.figures_of_record)} year(s) of figures of record"
        )
