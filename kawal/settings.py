"""Kawal Kopdes settings, read from the environment.

Demo mode (the default) runs on SQLite with a generated secret key. Production mode is
`DEBUG=0` and requires `SECRET_KEY`, `ALLOWED_HOSTS` and, in practice, a PostgreSQL
`DATABASE_URL`; it passes `manage.py check --deploy` without warnings.
"""

import importlib.util
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KAWAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0 (production mode).")
    # Demo mode: generate once and keep it, so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Ours, in the order of the import direction (lower never imports higher).
    "kawal.core",
    "kawal.regions",
    "kawal.accounts",
    "kawal.cooperatives",
    "kawal.followups",
    "kawal.formation",
    "kawal.readiness",
    "kawal.potential",
    "kawal.taskforce",
    "kawal.mentoring",
    "kawal.operations",
    "kawal.business",
    "kawal.budget",
    "kawal.training",
    "kawal.events",
    "kawal.reports",
    "kawal.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kawal.core.scope.AccessMiddleware",
    "kawal.core.middleware.SecurityHeadersMiddleware",
    # Axes must be last: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kawal.urls"
WSGI_APPLICATION = "kawal.wsgi.application"
ASGI_APPLICATION = "kawal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kawal.core.context_processors.kawal",
            ],
            "builtins": [
                "kawal.core.templatetags.kawal",
                "template_partials.templatetags.partials",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'kawal.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # The dashboards' aggregates over 80,000 KMP cross the JIT cost threshold, and compiling
    # them took longer (~0.5 s) than running them (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the task worker and the web process write without blocking readers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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
CSRF_FAILURE_VIEW = "kawal.core.views.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username after repeated failures, for a cool-off period.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Per username and address together, so one office behind one NAT address is not locked out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Behind a reverse proxy (nginx → gunicorn) set KAWAL_TRUSTED_PROXY_COUNT to the number of
# proxies in front: the client address is then taken from X-Forwarded-For as the outermost
# trusted proxy wrote it. 0 (default): the connecting address, X-Forwarded-For ignored.
KAWAL_TRUSTED_PROXY_COUNT = int(os.environ.get("KAWAL_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "kawal.core.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Makassar")

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Leaflet's files come from the django-leaflet package. The package is not an installed app:
# its admin widgets need GDAL, which we do not use (our polygons are plain GeoJSON).
STATICFILES_DIRS = [
    Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static"
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# No MEDIA_URL: evidence files are served only through scoped views.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
KAWAL_UPLOAD_MAX_BYTES = int(os.environ.get("KAWAL_UPLOAD_MAX_MB", "10")) * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Imports: a file larger than this is checked and imported by the task worker (db_worker),
# with progress on the page; smaller ones run in the request. The uploaded file is kept
# server-side between the dry run and the commit for at most KAWAL_IMPORT_KEEP_SECONDS.
KAWAL_IMPORT_WORKER_BYTES = int(os.environ.get("KAWAL_IMPORT_WORKER_BYTES", str(256 * 1024)))
KAWAL_IMPORT_KEEP_SECONDS = int(os.environ.get("KAWAL_IMPORT_KEEP_SECONDS", str(2 * 3600)))

# Leaflet comes from the django-leaflet package; tiles are optional (polygons are ours).
KAWAL_TILE_URL = os.environ.get("KAWAL_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# The demo banner: shown whenever the database holds the synthetic demo data set.
KAWAL_DEMO = env_bool("KAWAL_DEMO", DEBUG)
# The region a deployment serves by default (Kutai Kartanegara).
KAWAL_HOME_REGION = os.environ.get("KAWAL_HOME_REGION", "64.02")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Events: per-address limits (requests, seconds) of public self-registration and of failed
# personal-link attempts (unknown codes), against floods and code guessing.
KAWAL_EVENT_LIMITS = {
    "register": (int(os.environ.get("KAWAL_REGISTER_LIMIT", "10")), 600),
    "bad_code": (int(os.environ.get("KAWAL_BAD_CODE_LIMIT", "30")), 600),
}
