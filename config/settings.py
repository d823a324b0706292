"""Settings for Treaty Tracker, read from the environment.

Every value has a default that is safe for local use. Production mode
(DJANGO_PRODUCTION=True, which `make serve` sets) refuses to start unsafe — with DEBUG
on, without a SECRET_KEY of its own, or without ALLOWED_HOSTS — and turns on the HTTPS
hardening that `manage.py check --deploy` looks for.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = env_str(name)
    if value is None or value == "":
        return default
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def env_int(name, default):
    value = env_str(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number ≥ 0, not {value!r}")
    return number


def env_list(name, default):
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "insecure-local-only-key-set-SECRET_KEY-in-production"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])

if PRODUCTION:
    # Errors at start, not warnings: a production process never runs unsafe.
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG must be off in production mode (unset DEBUG or set DEBUG=False)"
        )
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production mode, to a long random value of its own "
            "(not the development key in the repository)"
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is too short for production mode: use at least 50 random characters"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must name the site's host names in production mode "
            "(comma-separated, e.g. ALLOWED_HOSTS=treaties.example.org)"
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_countries",
    "simple_history",
    "axes",
    "core",
    "treaties",
    "people",
    "recommendations",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so the static files get the policy headers too.
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the address (/en/…), never from a cookie: Django's LocaleMiddleware
    # would add Vary: Accept-Language to every Japanese page, though none varies on it.
    "core.middleware.UrlLanguageMiddleware",
    # Anonymous public pages from the cache: after the language is known, before what a
    # stored page does not need.
    "core.cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite file by default so a new user needs no server; DATABASE_URL switches every
# command and the test suite (postgres://... or sqlite:///...).
# Each server thread keeps its connection for CONN_MAX_AGE seconds rather than opening one
# per request; a kept connection is checked before a request uses it (CONN_HEALTH_CHECKS),
# so one the server closed meanwhile is replaced instead of failing the request.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
# Writes (the admin, imports, restores) run in one transaction per request; the public
# pages, which only read, are exempt (core.views_base.ReadOnlyMixin).
DATABASES["default"]["ATOMIC_REQUESTS"] = True

# A database that is down, silent or stuck answers within seconds, never a hang: the
# request gets the 503 page (core.views.server_error) in the reader's language.
# DATABASE_CONNECT_TIMEOUT bounds connecting (PostgreSQL: libpq's connect_timeout, which
# covers a server that accepts the connection and never answers; SQLite: how long to wait
# for a locked file). DATABASE_STATEMENT_TIMEOUT bounds each statement on PostgreSQL, and
# a transaction left idle is ended after DATABASE_IDLE_TIMEOUT. Seconds; 0 turns one off.
# Management commands that legitimately run long (backup, restore, export_all) lift the
# statement timeout for their own connection. A server that stops answering altogether
# cannot enforce its statement timeout: a round trip still waiting DATABASE_STATEMENT_GRACE
# seconds past it is ended on this side (core.database), its connection dropped.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 30)
DATABASE_STATEMENT_GRACE = env_int("DATABASE_STATEMENT_GRACE", 5)
DATABASE_IDLE_TIMEOUT = env_int("DATABASE_IDLE_TIMEOUT", 60)
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if DATABASE_CONNECT_TIMEOUT:
        # libpq counts whole seconds and treats 1 as 2.
        _db_options.setdefault("connect_timeout", max(DATABASE_CONNECT_TIMEOUT, 2))
    _server_options = [
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
        f"-c idle_in_transaction_session_timeout={DATABASE_IDLE_TIMEOUT * 1000}",
    ]
    _db_options["options"] = " ".join(filter(None, [_db_options.get("options"), *_server_options]))
    # A server that vanishes mid-request (no TCP acknowledgement) is given up on too.
    _db_options.setdefault("keepalives", 1)
    _db_options.setdefault("keepalives_idle", 30)
    _db_options.setdefault("tcp_user_timeout", max(DATABASE_CONNECT_TIMEOUT, 2) * 2000)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _db_options.setdefault("timeout", DATABASE_CONNECT_TIMEOUT)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url):
    """CACHE_URL: `redis://host:port/db` (or `rediss://`, `unix://`) for Redis, shared by every
    app server and command; `locmem://` (the default) for this process's memory; `dummy://`
    for none."""
    if not url or url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url[len("locmem://") :] or "treaty-tracker",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # A Redis that is down or silent costs a reader at most a second: the page is
            # then rendered without the cache (core/cache.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, locmem:// or dummy://, not {url!r}"
    )


# The page cache (core/cache.py): anonymous readers' public pages, exact to the last change.
# In production every app server and every command (imports, refresh_statuses by cron,
# restore) must share one cache, Redis: `check --deploy` refuses the local-memory default
# there unless PAGE_CACHE=False.
CACHES = {"default": cache_from_url(env_str("CACHE_URL", ""))}
CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "treaty-tracker")
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 60 * 60)
# Each process keeps the pages it served last in its memory too, checked against the shared
# content version on every request (core.cache.LocalPages).
PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024)

# On PostgreSQL the long CSV exports are written by the database itself (core/export_copy.py);
# False writes them in Python, as on SQLite (the same bytes, several times slower).
EXPORT_COPY = env_bool("EXPORT_COPY", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Japanese at /…, English at /en/…: the address alone says the language (config/urls.py,
# core.middleware.UrlLanguageMiddleware), so no language cookie is set or read.
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The European Union takes part in the JCPOA but has no ISO 3166-1 code of its own;
# "EU" is the exceptionally reserved code for it.
COUNTRIES_OVERRIDE = {"EU": _("European Union")}

LOGIN_URL = "admin:login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords in a row for one
# user name, or from one address, further attempts for that name or from that address are
# refused for AXES_COOLOFF_MINUTES with the lockout page (HTTP 429, in the reader's
# language), even with the right password. Every failure is logged (logger "axes") and
# kept in the database, which every app server shares. An administrator unlocks at once
# with `manage.py axes_reset_username NAME`, `axes_reset_ip ADDRESS` or `axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = (
    datetime.timedelta(minutes=AXES_COOLOFF_MINUTES) if AXES_COOLOFF_MINUTES else None
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
# Behind a reverse proxy every request comes from the proxy's address; the proxy's
# X-Forwarded-For names the reader (see core.security.client_ip and TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)
# Successful logins are not written to a table of their own; failures are. The log names
# the user name and the address tried (never the password): an operator tracing an attack
# needs them.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Security headers and cookie flags ----------------------------------------------------
# Content-Security-Policy (django-csp): nothing runs or styles a page but the site's own
# files. No template has inline script, inline style, a style attribute or an event-handler
# attribute; the standalone 500 page marks its one <style> with the request's nonce (NONCE),
# which django-csp names in the header only on a response that used it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features the site never uses, denied to it and to anything it might embed
# (core.middleware.PermissionsPolicyMiddleware writes the header).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No script of the site or the admin reads a cookie: every one is HttpOnly and SameSite=Lax
# (Secure in production mode, below).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# --- end of security headers and cookie flags ---------------------------------------------

# Probes of the load balancer or orchestrator: /healthz (the process answers) and
# /readyz (the database answers and every migration is applied), over plain HTTP too.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # HSTS is the operator's decision, made once HTTPS is known to work for the host (and
    # for every subdomain, before SECURE_HSTS_INCLUDE_SUBDOMAINS; preload lists are hard to
    # leave): all off unless set. The proxy may send the header instead.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
    # `check --deploy` warns about HSTS left off, its subdomains and preload; they are
    # off by the decision above, not by oversight, and the README says when to turn them on.
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_SECONDS else ["security.W004"]),
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]
