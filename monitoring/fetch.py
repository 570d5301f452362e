"""The scheduled fetch: pull new hourly station files from ``MONITORING_FETCH_SOURCE`` (a folder, an http(s)
directory listing, or an http(s) file pattern with ``{time:…}``) and queue those not ingested before.

``fetch_new_files`` is called by the beat task ``monitoring.tasks.fetch_new_files``, which passes it the
ingest task's enqueue helper.
"""

from __future__ import annotations

import hashlib
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .china_time import CHINA_TZ
from .models import IngestRun
from .services import StoredFileError, ingest_run_create

logger = logging.getLogger(__name__)

FETCHABLE_SUFFIXES = (".csv", ".xlsx")


STAMP_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})[T_ ]?(\d{2})")


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _stamp_in_name(name: str) -> datetime | None:
    match = STAMP_IN_NAME.search(name)
    if not match:
        return None
    try:
        return datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}:00").replace(tzinfo=CHINA_TZ)
    except ValueError:
        return None


class FileTooLarge(Exception):
    """A source file larger than ``STATION_FILE_MAX_BYTES``: it is not read, and the fetch goes on."""


def _http_get(url: str) -> bytes | None:
    """The body, or None when the server has no such file (404); at most ``STATION_FILE_MAX_BYTES`` are read
    (``FileTooLarge`` past them, whatever the server declares)."""
    if urlparse(url).scheme not in {"http", "https"}:
        raise ValueError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "liaocheng-air-fetch/1.0"})  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=settings.MONITORING_FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            limit = settings.STATION_FILE_MAX_BYTES
            body: bytes = response.read(limit + 1)
            if len(body) > limit:
                raise FileTooLarge(f"{url}: larger than {limit:,} bytes")
            return body
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def _get_within_limit(url: str) -> bytes | None:
    """``_http_get``, skipping (with a warning) a file past the size limit instead of stopping the fetch."""
    try:
        return _http_get(url)
    except FileTooLarge as error:
        logger.warning("monitoring fetch: %s; not read", error)
        return None


def _hours_back(now: datetime, hours: int) -> list[datetime]:
    last = now.astimezone(CHINA_TZ).replace(minute=0, second=0, microsecond=0)
    return [last - timedelta(hours=offset) for offset in range(hours + 1)]


def _candidate_files(source: str, *, now: datetime, lookback_hours: int) -> list[tuple[str, bytes]]:
    since = now - timedelta(hours=lookback_hours)
    if source.startswith(("http://", "https://")):
        if "{time" in source:
            found: list[tuple[str, bytes]] = []
            for stamp in _hours_back(now, lookback_hours):
                url = source.format(time=stamp)
                body = _get_within_limit(url)
                if body is not None:
                    found.append((Path(urlparse(url).path).name or "fetched.csv", body))
            return found
        listing = _http_get(source)
        if listing is None:
            raise FileNotFoundError(f"{source}: 404")
        parser = _LinkParser()
        parser.feed(listing.decode("utf-8", errors="replace"))
        files: list[tuple[str, bytes]] = []
        for href in parser.links:
            name = Path(urlparse(href).path).name
            if not name.lower().endswith(FETCHABLE_SUFFIXES):
                continue
            stamp = _stamp_in_name(name)
            if stamp is not None and stamp < since:
                continue
            body = _get_within_limit(urljoin(source, href))
            if body is not None:
                files.append((name, body))
        return files
    folder = Path(source)
    if not folder.is_dir():
        raise FileNotFoundError(f"MONITORING_FETCH_SOURCE folder {folder} does not exist")
    result = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or not path.name.lower().endswith(FETCHABLE_SUFFIXES):
            continue
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=CHINA_TZ)
        stamp = _stamp_in_name(path.name)
        if modified < since and (stamp is None or stamp < since):
            continue
        if path.stat().st_size > settings.STATION_FILE_MAX_BYTES:
            logger.warning(
                "monitoring fetch: %s is larger than %s bytes; not read", path, f"{settings.STATION_FILE_MAX_BYTES:,}"
            )
            continue
        result.append((path.name, path.read_bytes()))
    return result


def fetch_new_files(*, enqueue: Callable[[IngestRun], None], now: datetime | None = None) -> list[IngestRun]:
    """Pull files of the look-back window from MONITORING_FETCH_SOURCE; queue those not ingested before.

    A file whose SHA-256 matches a queued, running or succeeded run is skipped; a re-published file with
    late hours filled in has a new checksum and is ingested (its values update the stored ones). ``enqueue``
    hands each new run to the ingest (``tasks.ingest_file_enqueue``).
    """
    source = settings.MONITORING_FETCH_SOURCE
    if not source:
        logger.info("monitoring fetch: MONITORING_FETCH_SOURCE is not set; nothing to do")
        return []
    files = _candidate_files(source, now=now or timezone.now(), lookback_hours=settings.MONITORING_FETCH_LOOKBACK_HOURS)
    done = set(
        IngestRun.objects.filter(
            checksum__in=[hashlib.sha256(body).hexdigest() for _, body in files],
            state__in=[IngestRun.State.QUEUED, IngestRun.State.RUNNING, IngestRun.State.SUCCEEDED],
        ).values_list("checksum", flat=True)
    )
    created: list[IngestRun] = []
    with transaction.atomic():
        for name, body in files:
            checksum = hashlib.sha256(body).hexdigest()
            if checksum in done:
                continue
            done.add(checksum)
            try:
                run = ingest_run_create(content=body, file_name=name, source=IngestRun.Source.SCHEDULED)
            except StoredFileError as error:
                logger.error("monitoring fetch: %s: %s", name, error)
                continue
            enqueue(run)
            created.append(run)
    logger.info("monitoring fetch: %d file(s) seen, %d queued", len(files), len(created))
    return created
