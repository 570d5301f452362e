"""Settings for the Liaocheng air-quality plan tracker.

One module for every environment; only environment variables differ.

With nothing configured this is the *embedded default* a newcomer gets from
``make run``: DEBUG on, SQLite in ``var/``, Celery tasks run eagerly in the web
process. Production sets ``DEBUG=0`` and at least ``SECRET_KEY``,
``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL`` (Redis) and
``ALLOWED_HOSTS``; the README lists every variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)
# With DEBUG on, Django's technical 404 page (URL patterns) instead of the product's (developers only).
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", default=False)

# A development key exists only while DEBUG is on; production must supply its
# own, so a forgotten variable stops start-up instead of running with a known key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the app refuses to start without its own secret key: "
            'generate one with `python -c "import secrets; print(secrets.token_urlsafe(50))"`.'
        )
    SECRET_KEY = "development-only-key-never-valid-with-debug-off"  # noqa: S105 - dev only, see above
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")):
    # Django's own measure of a guessable key (check security.W009), made a refusal: sessions, password
    # reset links and signed values all rest on it.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: it needs at least 50 characters, 5 of them different, and no 'django-insecure' "
        'prefix. Generate one with `python -c "import secrets; print(secrets.token_urlsafe(50))"`.'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "areas",
    "targets",
    "measures",
    "monitoring",
    "progress",
    "liaocheng_air",  # the bootstrap command, which loads every app
]

MIDDLEWARE = [
    # First: a request larger than its view accepts is refused before anything reads it.
    "liaocheng_air.middleware.RequestBodyLimitMiddleware",
    "liaocheng_air.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, users and views: an anonymous visitor's public page from the cache (areas/page_cache.py).
    "liaocheng_air.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liaocheng_air.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the user and the language: the product's 404 page under DEBUG too (make run).
    "liaocheng_air.middleware.ProductNotFoundPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns lock-outs into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaocheng_air.urls"
WSGI_APPLICATION = "liaocheng_air.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaocheng_air.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (PostgreSQL in production).
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# Persistent connections gave five times the request throughput in our measurements.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: pages (the ingest's progress bar) read while background work writes (make run).
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"}
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "progress:home"

# The reverse proxies in front that append the client's address to X-Forwarded-For (README "Production");
# 0: none, the client is REMOTE_ADDR (areas/client.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Login throttling, by account and by address separately: django-axes locks a username+address pair after
# 5 failures for an hour (so nobody can lock an account out from elsewhere), and one address is refused
# for an hour after LOGIN_ADDRESS_FAILURE_LIMIT failures across any accounts (password spraying;
# liaocheng_air.views.LoginView), high enough for an office sharing one address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "areas.client.client_address"
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Internationalisation: Chinese first, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded station files and evidence live outside the static area and are
# served only through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# A plan's close-out form has three fields for each unfinished assignment (58 measures x 8 counties).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Security settings that hold in production; development over plain HTTP keeps defaults.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
# Believe X-Forwarded-Proto only when a proxy that sets it (and strips the client's own) is in front:
# otherwise any client could claim HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The site loads nothing from anywhere else (plotly.js is vendored, the API docs come from the sidecar
# package): scripts, styles, images and requests from this origin only. Inline styles stay allowed for
# plotly.js, which adds its own style rules; no inline script anywhere (liaocheng_air.middleware).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "liaocheng-air@localhost")

CACHES = {
    "default": (
        {
            # Pages do without the cache when Redis is down or hangs (liaocheng_air/cache.py).
            "BACKEND": "liaocheng_air.cache.ResilientRedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "liaocheng-air"}
    )
}

# Whole public pages from the cache (areas/page_cache.py): kept this long, checked against the data version
# on every request, made again by the warm-up after each data change (PUBLIC_PAGES_WARM, below) and by beat
# every PUBLIC_PAGES_WARM_MINUTES;
# proxies and browsers may keep them PUBLIC_PAGE_MAX_AGE seconds.
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", 15 * 60))
# Each web process checks the data version in the cache at most this often, and keeps the pages it served
# last in its own memory, up to PUBLIC_PAGE_LOCAL_BYTES: a kept page then costs no cache round trip.
PUBLIC_PAGE_VERSION_RECHECK_SECONDS = float(os.environ.get("PUBLIC_PAGE_VERSION_RECHECK_SECONDS", 1.0))
PUBLIC_PAGE_LOCAL_BYTES = int(os.environ.get("PUBLIC_PAGE_LOCAL_BYTES", 32 * 1024 * 1024))
PUBLIC_PAGE_MAX_AGE = int(os.environ.get("PUBLIC_PAGE_MAX_AGE", 60))
PUBLIC_PAGES_WARM_MINUTES = 10

# Celery. Without a broker the embedded default runs every task eagerly, in process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
# Without a broker, work a request hands off runs in a background thread of the web process instead of
# inside the request (areas/background.py); `make run` turns it on.
BACKGROUND_THREAD = env_bool("BACKGROUND_THREAD", False)
# The warm-up of the public pages after a data change (liaocheng_air/public_pages.py) runs on a worker or the
# background thread; without either (a management command in the embedded default) it would run inside the
# command at each commit, so there the first visitor of each page makes it instead.
PUBLIC_PAGES_WARM = env_bool("PUBLIC_PAGES_WARM", not CELERY_TASK_ALWAYS_EAGER or BACKGROUND_THREAD)
if CELERY_TASK_ALWAYS_EAGER:
    # Celery builds a producer even for an eager task; kombu's in-memory transport gives it one without
    # looking for a broker on localhost (and without warning that no host name was supplied).
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps reconnecting to a broker that went away, however long it is gone.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Redis hands an unacknowledged message (acks_late) of a worker that died to another worker after this long:
# above the longest task's hard time limit, so a running task is never delivered twice, but not kombu's
# default hour. Live workers look for such messages every 10 seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 5 * 60),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_timeout": 5,
    "socket_connect_timeout": 5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 5}
# The periodic schedule, as code. Each entry's task is idempotent.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # DRF's own throttles, if any, count clients as client_address does
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 500,
}
# Per anonymous client: daily series longer than a year, years recomputed under another edition
# (monitoring/api/throttles.py).
API_EXPENSIVE_RATE = os.environ.get("API_EXPENSIVE_RATE", "30/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaocheng air-quality plan tracker API",
    "DESCRIPTION": "Stations, computed air-quality statistics (HJ 633-2012 / HJ 663-2013) and progress "
    "against Liaocheng's air-quality improvement action plans (the plans themselves at /api/v1/plans/).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package: no CDN, the docs work on an intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Two models have a "status": each enum keeps a stable name in the schema clients are generated from.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "progress.api.serializers.SNAPSHOT_STATUSES",
        "PlanStatusEnum": "targets.models.Plan.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One INFO line per eager task drowns `bootstrap --demo` output; failures still log.
        "celery.app.trace": {"level": "WARNING"},
    },
}

# Product settings.
SITE_NAME = _("聊城市空气质量改善行动计划跟踪")

# Measures workflow (measures/): evidence uploads, deadline reminders, escalation ladder.
MEASURES_EVIDENCE_MAX_BYTES = env_int("MEASURES_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
#: How many evidence files one form may carry (the request limit below allows that many at the most).
MEASURES_EVIDENCE_MAX_FILES = env_int("MEASURES_EVIDENCE_MAX_FILES", 10)

# Request bodies (liaocheng_air.middleware.RequestBodyLimitMiddleware): the largest a view accepts, refused
# with 413 before it is read. Every form and API call fits the default (a plan's close-out with a 2,000-
# character reason for each of 460 assignments is under 3 MB); the upload views get what their files need.
_MIB = 1024 * 1024
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 10 * _MIB)
STATION_FILE_MAX_BYTES = env_int("STATION_FILE_MAX_BYTES", 200 * _MIB)
_EVIDENCE_REQUEST_MAX_BYTES = MEASURES_EVIDENCE_MAX_BYTES * MEASURES_EVIDENCE_MAX_FILES + _MIB
REQUEST_BODY_LIMITS: dict[str, int] = {
    "monitoring:upload": STATION_FILE_MAX_BYTES + _MIB,
    "monitoring:dust-fall": 2 * _MIB,
    "monitoring:stations": 2 * _MIB,
    "measures:plan-upload": 6 * _MIB,
    "measures:assignment": _EVIDENCE_REQUEST_MAX_BYTES,
    "measures:submission": _EVIDENCE_REQUEST_MAX_BYTES,
    "measures:projects": _EVIDENCE_REQUEST_MAX_BYTES,
    "measures:project": _EVIDENCE_REQUEST_MAX_BYTES,
    "admin:*": 50 * _MIB,
}
MEASURES_DUE_SOON_WORKING_DAYS = env_int("MEASURES_DUE_SOON_WORKING_DAYS", 5)
MEASURES_WARNING_AFTER_WORKING_DAYS = env_int("MEASURES_WARNING_AFTER_WORKING_DAYS", 10)
# Daily reminder digest, 08:00 China time (idempotent per day: measures.DigestLog).
from celery.schedules import crontab  # noqa: E402 - only the beat schedule needs it

CELERY_BEAT_SCHEDULE["measures-daily-digest"] = {
    "task": "measures.tasks.send_daily_digest",
    "schedule": crontab(hour=8, minute=0),
}
CELERY_BEAT_SCHEDULE["public-pages-warm"] = {
    "task": "liaocheng_air.tasks.public_pages_warm",
    "schedule": PUBLIC_PAGES_WARM_MINUTES * 60,
}
CELERY_BEAT_SCHEDULE["measures-evidence-orphans-remove"] = {
    "task": "measures.tasks.evidence_orphans_remove",
    "schedule": crontab(hour=3, minute=30),
}

# Monitoring: hourly station data (docs/interfaces.md §2).
# Values above these 1-h concentrations are stored and used but flagged for review in the data-quality view.
# Defaults: the largest concentration of the item in HJ 633-2012 Table 1 (beyond it no sub-index is defined);
# µg/m³, CO mg/m³.
MONITORING_PLAUSIBILITY_CEILING: dict[str, float] = {
    "pm25": 500.0,
    "pm10": 600.0,
    "so2": 2620.0,
    "no2": 3840.0,
    "o3": 1200.0,
    "co": 150.0,
}
# A station without any value for this many hours is listed as a stale feed.
MONITORING_STALE_AFTER_HOURS = env_int("MONITORING_STALE_AFTER_HOURS", 6)
# Scheduled fetch: a folder, or an http(s) URL of a directory listing or of a file pattern with
# `{time:%Y-%m-%dT%H}` (China time, end of the hour). Empty: the beat job does nothing.
MONITORING_FETCH_SOURCE = os.environ.get("MONITORING_FETCH_SOURCE", "")
# Files of the last N hours are fetched again so hours published late (or re-published) are picked up;
# a file already ingested (same SHA-256) is not ingested twice.
MONITORING_FETCH_LOOKBACK_HOURS = env_int("MONITORING_FETCH_LOOKBACK_HOURS", 48)
MONITORING_FETCH_TIMEOUT_SECONDS = env_int("MONITORING_FETCH_TIMEOUT_SECONDS", 60)
# Ingest runs under faults (monitoring.services.ingest_runs_reap, every 5 minutes): a running run with no sign
# of life for longer than the lease (above the task's hard time limit, so its process is surely gone) and a
# queued run not taken up within the deadline (its message was lost) are queued again, at most
# INGEST_MAX_REQUEUES times, then failed with the reason; a committed run whose recompute was not started
# has it started again.
INGEST_RUN_LEASE_SECONDS = env_int("INGEST_RUN_LEASE_SECONDS", CELERY_TASK_TIME_LIMIT + 5 * 60)
INGEST_QUEUE_DEADLINE_SECONDS = env_int("INGEST_QUEUE_DEADLINE_SECONDS", 15 * 60)
INGEST_MAX_REQUEUES = env_int("INGEST_MAX_REQUEUES", 3)
CELERY_BEAT_SCHEDULE["monitoring-ingest-runs-reap"] = {
    "task": "monitoring.tasks.ingest_runs_reap",
    "schedule": timedelta(minutes=5),
}
CELERY_BEAT_SCHEDULE["monitoring-fetch-new-files"] = {
    "task": "monitoring.tasks.fetch_new_files",
    "schedule": timedelta(minutes=env_int("MONITORING_FETCH_EVERY_MINUTES", 20)),
}
# Nightly rebuild of this year's stored results (January: last year's too), 01:30 China time, before the
# progress scores at 02:30. Ingests recompute only what they change; this catches everything else.
from celery.schedules import crontab as _results_crontab  # noqa: E402 - only the beat schedule needs it

CELERY_BEAT_SCHEDULE["monitoring-results-recompute-nightly"] = {
    "task": "monitoring.tasks.results_recompute_nightly",
    "schedule": _results_crontab(hour=1, minute=30),
}

# Progress against the plan (progress/): scores are stored and recomputed, never computed on request.
# Off: a recompute waits for bureau staff to publish it before the public pages and API show it.
PROGRESS_AUTO_PUBLISH = env_bool("PROGRESS_AUTO_PUBLISH", True)
# Nightly recompute of this year's (and, in January, last year's) progress scores, 02:30 China time.
from celery.schedules import crontab as _crontab  # noqa: E402 - only the beat schedule needs it

CELERY_BEAT_SCHEDULE["progress-scores-recompute-nightly"] = {
    "task": "progress.tasks.scores_recompute",
    "schedule": _crontab(hour=2, minute=30),
}
