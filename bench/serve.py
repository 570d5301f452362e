"""Benchmark (not a test): how fast the public pages and API are served, against a static file, under load.

    make bench-serve
    .venv/bin/python bench/serve.py --duration 10 --during-recompute

The production shape of issue 15: gunicorn with 2 sync workers, PostgreSQL, the Redis cache, DEBUG off, the
demo data, and wrk (Debian's package) with 32 connections on loopback. Each page is measured against a static
file served by the same processes in the same run, so the figures are shares of what this machine can serve
at all rather than absolute numbers that change with the machine.

1. The database of BENCH_SERVE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/liaocheng_air_serve)
   is created, migrated and given the demo data (`bootstrap --demo`) the first time; ``--fresh`` rebuilds it.
2. The static files are collected, Redis database 13 (BENCH_SERVE_CACHE_URL) is emptied and gunicorn starts.
3. Each page is requested once (what the warm-up after a recompute does), then wrk runs for ``--duration``
   seconds on the static file and on each page, one after another.
4. With ``--during-recompute`` the public home is measured again while an ingest of a month of new hourly
   values for every station (``manage.py ingest``, with the recompute it starts) and then a full recompute of
   every stored result (``manage.py recompute``) run beside it.

It prints req/s, p50 and p99 per page and each page's share of the static file's req/s, and whether issue
15's targets are met: the home at least 0.8 of the static file with a p99 at most twice the static file's,
the others at least 0.5, no error responses; with ``--paint`` a phone's first contentful paint within
1.5 s; during the ingest and recompute, no error, 0.4 of the static file and a p99 within 500 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/liaocheng_air_serve"
# Not 14: CI uses that one as its broker.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/13"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    share: float  # the least share of the static file's req/s issue 15 asks for (0: measured, no target)


@dataclass(frozen=True)
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def _environment(database_url: str, cache_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CELERY_BROKER_URL", None)  # the recompute runs its tasks in process
    env |= {
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "liaocheng_air.settings",
        "VAR_DIR": str(ROOT / "var" / "bench-serve"),
        # The load tool is one client: the per-client limit of the expensive API queries would turn the
        # benchmark into a measure of 429 answers.
        "API_EXPENSIVE_RATE": "1000000/minute",
    }
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _database(url: str, *, fresh: bool) -> bool:
    """Create the database if missing (or ``fresh``); True when it is new and needs the demo data."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    admin = psycopg2.connect(dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        name = sql.Identifier(config["NAME"])
        if fresh:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        new = cursor.fetchone() is None
        if new:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    admin.close()
    return new


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before serving")
        try:
            urllib.request.urlopen(base + "/static/favicon.svg", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def _static_path(base: str) -> str:
    """The hashed name of the stylesheet, as the pages link it (what a browser fetches)."""
    page = urllib.request.urlopen(base + "/methodology/", timeout=30).read().decode()
    found = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', page)
    if found is None:
        raise SystemExit("no hashed stylesheet in the page: are the static files collected with DEBUG off?")
    return found.group(1)


def _wrk(url: str, *, duration: int, connections: int) -> Measurement:
    result = subprocess.run(
        ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout

    def latency(percentile: str) -> float:
        found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
        if found is None:
            raise SystemExit(f"wrk printed no {percentile}% latency:\n{text}")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    if rate is None:
        raise SystemExit(f"wrk printed no rate:\n{text}")
    return Measurement(float(rate.group(1)), latency("50"), latency("99"), failed)


def _targets(base: str) -> tuple[int, list[Target]]:
    import json

    progress = json.loads(urllib.request.urlopen(base + "/api/v1/progress/?format=json", timeout=60).read())
    year = progress.get("year") or time.localtime().tm_year - 1
    counties = json.loads(urllib.request.urlopen(base + "/api/v1/stations/?format=json", timeout=60).read())
    county = next((s["county_code"] for s in counties.get("results", counties) if s.get("county_code")), "371502")
    return year, [
        Target("public home", "/", 0.8),
        Target("county page", f"/counties/{county}/", 0.5),
        Target("annual statistics API", f"/api/v1/city/annual/{year}/", 0.5),
        Target("progress API", "/api/v1/progress/", 0.5),
        Target("a year of daily values", f"/api/v1/city/daily/?start={year}-01-01&end={year}-12-31", 0.5),
        Target("plan page", "/plan/", 0),
        Target("methodology page", "/methodology/", 0),
    ]


def _ingest_and_recompute(env: dict[str, str], base: str, year: int) -> subprocess.Popen[bytes]:
    """Start an ingest of a month of new hourly values for every station (its own recompute follows it, in
    process), then a full recompute of every stored result, one after the other in the background."""
    import json

    import numpy as np

    from monitoring.aqi import DISPLAY_NAMES
    from monitoring.synthetic import synthetic_hourly_wide

    stations = json.loads(urllib.request.urlopen(base + "/api/v1/stations/?format=json", timeout=60).read())
    codes = [s["code"] for s in stations.get("results", stations)]
    wide = synthetic_hourly_wide(
        codes, start=date(year, 1, 1), end=date(year, 1, 31), seed=int(np.random.default_rng().integers(1 << 30))
    )
    wide = wide.rename(columns={"station": "station_code", **DISPLAY_NAMES})  # the demo's wide file
    wide["time"] = wide["time"].dt.strftime("%Y-%m-%dT%H:%M+08:00")
    path = Path(env["VAR_DIR"]) / "bench-month.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    wide.to_csv(path, index=False, float_format="%g")
    script = f"{PYTHON} manage.py ingest {path} && {PYTHON} manage.py recompute"
    return subprocess.Popen(["sh", "-c", script], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


# Lighthouse's "slow 4G" (the mobile throttling of its reports): 150 ms round trip, 1.6 Mbit/s down,
# 750 kbit/s up.
PHONE_NETWORK = {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _first_paint(base: str, path: str) -> tuple[float, float, float]:
    """First contentful paint, DOMContentLoaded and load of ``path`` in Chromium on a throttled phone
    network, a phone-sized window, empty browser cache (ms)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=BROWSER_ARGS
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        session.send("Network.emulateNetworkConditions", {"offline": False, **PHONE_NETWORK})
        page.goto(base + path, wait_until="load")
        timing = page.evaluate(
            """() => {
                const paint = performance.getEntriesByName("first-contentful-paint")[0];
                const nav = performance.getEntriesByType("navigation")[0];
                return [paint ? paint.startTime : -1, nav.domContentLoadedEventEnd, nav.loadEventEnd];
            }"""
        )
        browser.close()
    return float(timing[0]), float(timing[1]), float(timing[2])


def _print_row(name: str, measured: Measurement, static: Measurement) -> None:
    share = measured.requests_per_second / static.requests_per_second
    print(
        f"{name:<34} {measured.requests_per_second:>9.0f} {measured.p50_ms:>8.1f} {measured.p99_ms:>8.1f}"
        f" {share:>6.2f} {measured.errors:>7}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark database")
    parser.add_argument("--paint", action="store_true", help="also time a phone's first paint (Chromium)")
    parser.add_argument(
        "--during-recompute", action="store_true", help="also load the home during an ingest and a recompute"
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    sys.path.insert(0, str(ROOT))
    env = _environment(
        os.environ.get("BENCH_SERVE_DATABASE_URL", DEFAULT_URL),
        os.environ.get("BENCH_SERVE_CACHE_URL", DEFAULT_CACHE_URL),
    )
    if _database(env["DATABASE_URL"], fresh=options.fresh):
        print("building the benchmark database (migrate, bootstrap --demo): a few minutes, once", flush=True)
        _manage(env, "migrate", "--noinput")
        _manage(env, "bootstrap", "--demo")
    else:
        _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput")
    import redis

    redis.Redis.from_url(env["CACHE_URL"]).flushdb()

    base = f"http://{HOST}:{options.port}"
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "liaocheng_air.wsgi", "--workers=2", f"--bind={HOST}:{options.port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_until_up(base, server)
        static = Target("static file (the yardstick)", _static_path(base), 0)
        year, targets = _targets(base)
        # The first request of each fills the cache, as the warm-up does; the next ones reach both workers,
        # whose first request loads the URL map and the translations.
        for target in targets:
            for _ in range(4):
                urllib.request.urlopen(base + target.path, timeout=120).read()
        print(
            f"{options.connections} connections, {options.duration} s per page, gunicorn 2 sync workers, DEBUG off\n"
            f"{'page':<34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'share':>6} {'errors':>7}",
            flush=True,
        )
        reference = _wrk(base + static.path, duration=options.duration, connections=options.connections)
        _print_row(static.name, reference, reference)
        missed: list[str] = []
        for target in targets:
            measured = _wrk(base + target.path, duration=options.duration, connections=options.connections)
            _print_row(target.name, measured, reference)
            share = measured.requests_per_second / reference.requests_per_second
            if measured.errors or share < target.share:
                missed.append(f"{target.name}: {share:.2f} of the static file, {measured.errors} errors")
            if target.path == "/" and measured.p99_ms > 2 * reference.p99_ms:
                missed.append(f"{target.name}: p99 {measured.p99_ms:.0f} ms, over twice the static file's")
        if options.paint:
            for path in ("/", targets[1].path):  # the home and a county page
                paint, ready, loaded = _first_paint(base, path)
                print(
                    f"phone on slow 4G, {path}: first contentful paint {paint:.0f} ms,"
                    f" DOMContentLoaded {ready:.0f} ms, load (charts drawn) {loaded:.0f} ms",
                    flush=True,
                )
                if paint > 1500:
                    missed.append(f"first contentful paint of {path} on slow 4G: {paint:.0f} ms")
        if options.during_recompute:
            background = _ingest_and_recompute(env, base, year)
            time.sleep(1)
            measured = _wrk(base + "/", duration=options.duration, connections=options.connections)
            _print_row("public home, ingest + recompute", measured, reference)
            still_running = background.poll() is None
            background.wait()
            if not still_running:
                print("(the ingest and recompute ended before the measurement did)")
            if background.returncode:
                missed.append("the ingest and recompute beside the load failed")
            # Two cores: the ingest, the recompute and PostgreSQL take about one of them, so at best half the
            # static file's rate measured alone is left; and each change of the figures makes each worker
            # build the page once more. The bar: no error, 0.4 of the static file, p99 within 500 ms.
            share = measured.requests_per_second / reference.requests_per_second
            if measured.errors or share < 0.4 or measured.p99_ms > 500:
                missed.append(
                    f"public home during an ingest and a recompute: {share:.2f}, p99 {measured.p99_ms:.0f} ms"
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    print("targets met" if not missed else "targets missed:\n  " + "\n  ".join(missed))
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
