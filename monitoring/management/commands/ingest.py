"""`python manage.py ingest FILE [FILE ...]`: ingest hourly station files (docs/interfaces.md §2).

Does the work of the same Celery task as the upload page and the scheduled fetch, in this process
(``monitoring.tasks.ingest_file_in_process``: transient errors retried with a pause), so the summary is
printed when the file is done. Exits non-zero only when a file
cannot be read at all; rejected rows are reported, not fatal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from monitoring import services
from monitoring.models import Flavour, IngestRun
from monitoring.tasks import ingest_file_in_process


class Command(BaseCommand):
    help = "Ingest hourly station files (long, wide or CNEMC export; CSV in UTF-8/GBK or .xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--reviewed",
            action="store_true",
            help="the files hold reviewed (审核) data, which replace real-time values; default: real-time",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        flavour = Flavour.REVIEWED if options["reviewed"] else Flavour.REALTIME
        unreadable: list[str] = []
        for path in options["files"]:
            try:
                content = path.read_bytes()
            except OSError as exc:
                self.stderr.write(f"{path}: cannot be read: {exc.strerror or exc}")
                unreadable.append(str(path))
                continue
            try:
                run = services.ingest_run_create(
                    content=content, file_name=path.name, source=IngestRun.Source.COMMAND, flavour=flavour
                )
            except services.StoredFileError as error:
                self.stderr.write(f"{path}: {error}")
                unreadable.append(str(path))
                continue
            ingest_file_in_process(run.pk)
            run.refresh_from_db()
            if run.state != IngestRun.State.SUCCEEDED:
                self.stderr.write(f"{path}: failed (run {run.pk}): {run.error_message}")
                unreadable.append(str(path))
                continue
            line = (
                f"{path}: {run.detected_format}, {run.encoding}; read {run.values_read}, "
                f"stored {run.values_stored}, updated {run.values_updated}, unchanged {run.values_unchanged}, "
                f"rejected {run.values_rejected}"
            )
            if run.values_duplicate:
                line += f", duplicates ignored {run.values_duplicate}"
            if run.values_kept_reviewed:
                line += f", reviewed values kept {run.values_kept_reviewed}"
            if run.skipped_unregistered:
                line += f", rows of unregistered stations skipped {run.skipped_unregistered}"
            if run.values_flagged:
                line += f", above plausibility ceiling (flagged) {run.values_flagged}"
            if run.values_rejected:
                line += f"; rejected rows: {reverse('monitoring:run-rejected', args=[run.pk])}"
            self.stdout.write(line)
        if unreadable:
            raise CommandError(f"{len(unreadable)} file(s) could not be read: " + ", ".join(unreadable))
