"""Zhenxing settings: one module, every value from the environment.

SQLite under ``var/`` when ``DATABASE_URL`` is unset (the demo and a single village), PostgreSQL
when it is set (a city or a province). Secrets may also come from ``<NAME>_FILE`` so they can live
in a mounted file instead of the process environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("ZHENXING_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("ZHENXING_VAR", PROJECT_DIR / "var")).resolve()


def env_str(name: str, default: str | None = None) -> str | None:
    """Read ``name``, or the contents of the file named by ``name_FILE``."""
    if name in os.environ:
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("ZHENXING_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only for a developer's own machine; never used when DEBUG is off.
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE (make demo generates one).")

# Master key for encrypted personal data (core.sensitive): URL-safe base64 of 32 bytes.
DATA_KEY = env_str("DATA_KEY") or ""

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before django.contrib.auth, so its createsuperuser/changepassword commands are ours.
    "zhenxing.core.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "zhenxing.core",
    "zhenxing.core.regions",
    "zhenxing.core.audit",
    "zhenxing.core.policy",
    "zhenxing.io",
    "zhenxing.registry",
    "zhenxing.economy",
    "zhenxing.party",
    "zhenxing.grid",
    "zhenxing.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhenxing.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhenxing.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhenxing.core.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhenxing.urls"
WSGI_APPLICATION = "zhenxing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhenxing.core.context_processors.shell",
            ],
        },
    },
]


def postgres_options() -> str:
    """Settings each PostgreSQL connection starts with (libpq ``options``).

    ``random_page_cost``, the planner's cost of a random page read (``PG_RANDOM_PAGE_COST``):
    PostgreSQL's default, 4.0, assumes spinning disks; with it the party dashboard's member
    structure scanned all 1.2 million persons (0.4 s) rather than look up its 21,000 members
    by key (0.15 s). On SSD, as servers here are, 1.1 is the usual setting; an operator on
    spinning disks sets 4."""
    value = env_str("PG_RANDOM_PAGE_COST") or "1.1"
    try:
        cost = float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"PG_RANDOM_PAGE_COST must be a number, not {value!r}") from exc
    if not 0 < cost <= 100:
        raise ImproperlyConfigured(f"PG_RANDOM_PAGE_COST must be above 0, not {value!r}")
    return f"-c random_page_cost={cost:g}"


DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = postgres_options()
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "zhenxing.sqlite3"),
            "OPTIONS": {
                # WAL lets the web process read while a job writes; IMMEDIATE avoids the
                # "database is locked" upgrade deadlock between two writers.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: this many failures for one username or one address within the window
# locks further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# Trusted reverse proxies in front of the app (nginx → gunicorn: 1). The client address for
# the audit log and the login throttle is then read from X-Forwarded-For; 0 trusts only
# REMOTE_ADDR.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and DEBUG serve straight from the app folders, so no collectstatic is needed there.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Pagination of list pages and API lists.
PAGE_SIZE = env_int("PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500)
# The deepest offset an API list accepts (documented in the schema); deeper reads filter first.
API_MAX_OFFSET = env_int("API_MAX_OFFSET", 10_000_000)
# API tokens expire this many days after they are issued.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)

# Background jobs: Django's tasks API on the database backend, so a county server needs no
# Redis. The worker is `zhenxing db_worker` (make demo starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The largest registry import: a whole county (about a million persons) in one file.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1_000_000)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 256 * 1024 * 1024)
# Uploads larger than this run in the worker with a progress bar; smaller ones at once.
IMPORT_BACKGROUND_BYTES = env_int("IMPORT_BACKGROUND_BYTES", 512 * 1024)
# 1: a large import reads and checks in a forked worker process while the importing process
# writes; 0: all in one process (see zhenxing.io.parallel).
IMPORT_WORKERS = env_int("IMPORT_WORKERS", 1 if (os.cpu_count() or 1) > 1 else 0)
# Uploaded files wait here for the worker, and are deleted once imported (they hold ID numbers).
IMPORT_DIR = Path(env_str("IMPORT_DIR") or VAR_DIR / "imports")
# Job progress and cancel requests pass between the web and worker processes through this
# cache: a file cache works on one server; set JOBS_CACHE_LOCATION to share one more widely.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": {
        "BACKEND": env_str("JOBS_CACHE_BACKEND")
        or "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("JOBS_CACHE_LOCATION") or str(VAR_DIR / "cache" / "jobs"),
        "TIMEOUT": 7 * 24 * 3600,
    },
}
NINJA_PAGINATION_PER_PAGE = PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = API_MAX_PAGE_SIZE

# Grid maps: an intranet tile server's URL template ({z}/{x}/{y}); empty draws grids and
# households on a plain background (the default: the intranet has no internet).
GRID_TILE_URL = env_str("GRID_TILE_URL", "") or ""
# The phone pages' offline cache: a new value makes every phone fetch the pages again.
PHONE_CACHE_VERSION = env_str("PHONE_CACHE_VERSION", "2026.12.1") or "2026.12.1"
