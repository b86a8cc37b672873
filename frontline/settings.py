"""Frontline settings.

Every setting comes from the environment with a default that runs the embedded demo
(SQLite under ./var/, the database task backend, no other service). See docs/operators.md.
"""

from __future__ import annotations

import os
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("FRONTLINE_VAR_DIR", BASE_DIR.parent / "var"))
# The embedded database, uploads, outgoing mail and collected static files live here.
for _sub in ("", "static"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("FRONTLINE_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("FRONTLINE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
# The demo key only suits this machine: the embedded demo, the tests and the benchmarks, which
# serve 127.0.0.1 / localhost only. Production — DEBUG off and serving any other host, or behind
# HTTPS (secure cookies) — refuses to start without a real FRONTLINE_SECRET_KEY, rather than
# signing sessions and password-reset links with a key anyone can read in this file.
DEMO_SECRET_KEY = "frontline-demo-insecure-key-change-me-in-production"
SECRET_KEY_MIN_LENGTH = 32
SECRET_KEY = os.environ.get("FRONTLINE_SECRET_KEY", "").strip() or DEMO_SECRET_KEY
# Earlier keys, comma-separated, while changing FRONTLINE_SECRET_KEY: sessions signed with them stay
# valid, and webhook secrets encrypted under them still open (`frontline reseal_secrets` moves them on).
SECRET_KEY_FALLBACKS = [k.strip() for k in os.environ.get("FRONTLINE_SECRET_KEY_FALLBACKS", "").split(",") if k.strip()]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "testserver"})
PRODUCTION = not DEBUG and (bool(set(ALLOWED_HOSTS) - LOCAL_HOSTS) or _env_bool("FRONTLINE_SECURE_COOKIES", False))
if PRODUCTION and (SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH):
    raise ImproperlyConfigured(
        "FRONTLINE_SECRET_KEY is not set (or is shorter than 32 characters) while Frontline is set up for production "
        f"(DEBUG off, serving {', '.join(sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS)) or 'over HTTPS'}). Set it to a long "
        "random value, kept secret and the same on every web process and worker, e.g. the output of: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FRONTLINE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its templates and static files: the API docs page is served from here, not a CDN
    "django_tasks",
    "django_tasks_db",
    "frontline.core",
    "frontline.people",
    "frontline.customers",
    "frontline.desk",
    "frontline.mail",
    "frontline.sla",
    "frontline.escalations",
    "frontline.surveys",
    "frontline.chat",
    "frontline.routing",
    "frontline.phone",
    "frontline.messaging",
    "frontline.metrics",
    "frontline.automations",
    "frontline.quality",
    "frontline.coaching",
    "frontline.insights",
    "frontline.workforce",
    "frontline.schedules",
    "frontline.budget",
    "frontline.api",
    "frontline.demo",
]

MIDDLEWARE = [
    "frontline.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "frontline.people.middleware.HtmxVaryMiddleware",
    "frontline.people.middleware.HtmxLoginRedirectMiddleware",
    "frontline.people.middleware.ViewerTimezoneMiddleware",
]

ROOT_URLCONF = "frontline.urls"
WSGI_APPLICATION = "frontline.wsgi.application"
ASGI_APPLICATION = "frontline.asgi.application"

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
                "frontline.people.context_processors.viewer",
                "frontline.core.context_processors.formats",
                "frontline.core.context_processors.app_nav",
            ],
            "builtins": [
                "django.templatetags.tz",
                "frontline.core.templatetags.fmt",
                "frontline.desk.templatetags.desk",
                "frontline.mail.templatetags.mail_tags",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'frontline.sqlite3'}"),
        conn_max_age=int(os.environ.get("FRONTLINE_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL connection pool (Django's, on psycopg_pool), per process: at most DB_POOL_SIZE connections,
# a request waiting DB_POOL_TIMEOUT_S for a free one before it fails. 0: no pool (a connection per
# request thread, kept FRONTLINE_DB_CONN_MAX_AGE seconds). `frontline serve` turns it on for its web
# processes (docs/operators.md: the chat's long polls under ASGI).
DB_POOL_SIZE = int(os.environ.get("FRONTLINE_DB_POOL_SIZE", "0"))
DB_POOL_TIMEOUT_S = float(os.environ.get("FRONTLINE_DB_POOL_TIMEOUT_S", "10"))
if DB_POOL_SIZE < 0:
    raise ImproperlyConfigured("FRONTLINE_DB_POOL_SIZE must be 0 (no pool) or more.")
if DB_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django's pool hands connections back on close: no persistent ones
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1, "max_size": DB_POOL_SIZE, "timeout": DB_POOL_TIMEOUT_S, "max_idle": 60}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sign-in attempts allowed per (username, client address) within the window, then refused.
LOGIN_RATE_LIMIT = int(os.environ.get("FRONTLINE_LOGIN_RATE_LIMIT", "5"))
LOGIN_RATE_WINDOW_S = int(os.environ.get("FRONTLINE_LOGIN_RATE_WINDOW_S", "900"))
# Behind a load balancer every request comes from its address: name the header it writes the
# client's address into (e.g. X-Forwarded-For) and how many proxies append to it. Unset, only
# REMOTE_ADDR counts; the header is never trusted unless configured (clients can forge it).
TRUSTED_PROXY_HEADER = os.environ.get("FRONTLINE_TRUSTED_PROXY_HEADER", "").strip()
_proxy_count = os.environ.get("FRONTLINE_TRUSTED_PROXY_COUNT", "1").strip()
TRUSTED_PROXY_COUNT = int(_proxy_count) if _proxy_count.isdigit() else 0
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("FRONTLINE_TRUSTED_PROXY_COUNT must be 1 or more (the proxies in front of Frontline).")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("FRONTLINE_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Attachments: largest file accepted and the content types allowed.
ATTACHMENT_MAX_BYTES = int(os.environ.get("FRONTLINE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENT_ALLOWED_TYPES = [
    "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv",
    "application/zip", "application/json",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    # kept from customers' email: calendar invites, forwarded messages, Outlook's winmail.dat
    "text/calendar", "message/rfc822", "application/ms-tnef",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("FRONTLINE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Django's cache: a database table by default; with REDIS_URL, Redis (shared by every web
# process), and sessions are then read from it (written through to the database).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "frontline_cache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Without FRONTLINE_EMAIL_HOST, outgoing mail is written to var/outbox/ (the embedded demo sends nothing).
EMAIL_HOST = os.environ.get("FRONTLINE_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("FRONTLINE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FRONTLINE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FRONTLINE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("FRONTLINE_EMAIL_TLS", False)
EMAIL_BACKEND = os.environ.get(
    "FRONTLINE_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "outbox"
DEFAULT_FROM_EMAIL = os.environ.get("FRONTLINE_FROM_EMAIL", "support@frontline.localhost")
# Where people reach this installation; links in emails (to customers and staff) start with it.
FRONTLINE_BASE_URL = os.environ.get("FRONTLINE_BASE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
if urlsplit(FRONTLINE_BASE_URL).scheme not in ("http", "https") or not urlsplit(FRONTLINE_BASE_URL).netloc:
    raise ImproperlyConfigured(f"FRONTLINE_BASE_URL must be an absolute address such as https://desk.example.com "
                               f"(links in emails start with it), not {FRONTLINE_BASE_URL!r}.")
# Email intake (docs/email.md): where mail with no mailbox goes (a queue's slug; empty: no queue),
# and at most this many automatic messages (acknowledgements) per address per window.
MAIL_DEFAULT_QUEUE = os.environ.get("FRONTLINE_MAIL_DEFAULT_QUEUE", "").strip()
MAIL_AUTOREPLY_LIMIT = int(os.environ.get("FRONTLINE_MAIL_AUTOREPLY_LIMIT", "3"))
MAIL_AUTOREPLY_WINDOW_S = int(os.environ.get("FRONTLINE_MAIL_AUTOREPLY_WINDOW_S", "3600"))
MAIL_FETCH_EVERY_S = int(os.environ.get("FRONTLINE_MAIL_FETCH_EVERY_S", "60"))
MAIL_NOTICE_LIMIT = int(os.environ.get("FRONTLINE_MAIL_NOTICE_LIMIT", "20"))
MAIL_SEND_ATTEMPTS = int(os.environ.get("FRONTLINE_MAIL_SEND_ATTEMPTS", "8"))
# How often `frontline scheduler` enqueues the SLA check (breaches, at-risk events): docs/sla.md.
SLA_CHECK_EVERY_S = int(os.environ.get("FRONTLINE_SLA_CHECK_EVERY_S", "60"))
# Surveys: how often due surveys are emailed, and how often the NPS schedule is checked.
SURVEY_SEND_EVERY_S = int(os.environ.get("FRONTLINE_SURVEY_SEND_EVERY_S", "60"))
SURVEY_NPS_CHECK_EVERY_S = int(os.environ.get("FRONTLINE_SURVEY_NPS_CHECK_EVERY_S", "3600"))
# How often `frontline scheduler` recomputes the metrics of changed tickets: docs/metrics.md.
METRICS_REFRESH_EVERY_S = int(os.environ.get("FRONTLINE_METRICS_REFRESH_EVERY_S", "60"))
# How often auto-QA checks the tickets solved (or answered again) since its last run.
QUALITY_AUTOQA_EVERY_S = int(os.environ.get("FRONTLINE_QUALITY_AUTOQA_EVERY_S", "300"))
# Insights: how often new survey comments and tickets enter the feedback inbox (docs/insights.md).
INSIGHTS_SYNC_EVERY_S = int(os.environ.get("FRONTLINE_INSIGHTS_SYNC_EVERY_S", "300"))
# Automations (docs/automations.md): how often schedule rules run, how many tickets each looks at per
# run, how many rules may fire in a row on one change, and the webhook's timeout and retries.
AUTOMATION_SCHEDULE_EVERY_S = int(os.environ.get("FRONTLINE_AUTOMATION_SCHEDULE_EVERY_S", "300"))
AUTOMATION_SCHEDULE_BATCH = int(os.environ.get("FRONTLINE_AUTOMATION_SCHEDULE_BATCH", "20000"))
AUTOMATION_MAX_CHAIN = int(os.environ.get("FRONTLINE_AUTOMATION_MAX_CHAIN", "5"))
AUTOMATION_WEBHOOK_TIMEOUT_S = float(os.environ.get("FRONTLINE_AUTOMATION_WEBHOOK_TIMEOUT_S", "5"))
AUTOMATION_WEBHOOK_ATTEMPTS = int(os.environ.get("FRONTLINE_AUTOMATION_WEBHOOK_ATTEMPTS", "3"))
AUTOMATION_WEBHOOK_BACKOFF_S = float(os.environ.get("FRONTLINE_AUTOMATION_WEBHOOK_BACKOFF_S", "1"))
# Outgoing webhooks (messaging replies, automation rules; frontline/core/outbound.py) refuse loopback,
# private, link-local (cloud metadata) and other internal addresses unless allowed here: all of them,
# or only these networks (comma-separated, e.g. "10.0.5.0/24,fd00:5::/64").
WEBHOOK_ALLOW_PRIVATE = _env_bool("FRONTLINE_WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_ALLOWED_NETWORKS = [n.strip() for n in os.environ.get("FRONTLINE_WEBHOOK_ALLOWED_NETWORKS", "").split(",") if n.strip()]
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"FRONTLINE_WEBHOOK_ALLOWED_NETWORKS: {_network!r} is not a network such as 10.0.5.0/24.") from None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("FRONTLINE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Sent on every response (frontline.core.middleware). Scripts only from this origin: no inline
# <script>, no on...= handlers, no eval (htmx's allowEval is off). Style attributes stay allowed
# (bar widths and positions are computed per row), <style> elements and stylesheets only from self.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # browsers without the two directives below
    "style-src-elem 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Signed-in pages, API responses and attachments: never stored by the browser or a proxy.
PRIVATE_CACHE_CONTROL = "no-store, private"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FRONTLINE_LOG_LEVEL", "WARNING")},
}

# Live chat (docs/chat.md): the longest message, chats per agent unless set per agent or team,
# how long a waiting client is held, how often each web process looks for news, how long a chat
# is offered to one agent, how long a typing indicator lasts, when a quiet chat ends, how long the
# widget's token works after the end.
CHAT_MESSAGE_MAX_CHARS = int(os.environ.get("FRONTLINE_CHAT_MESSAGE_MAX_CHARS", "2000"))
CHAT_MAX_PER_AGENT = int(os.environ.get("FRONTLINE_CHAT_MAX_PER_AGENT", "3"))
CHAT_TICK_S = float(os.environ.get("FRONTLINE_CHAT_TICK_S", "0.1"))
# "watcher": one thread per web process wakes the waiting requests (frontline/chat/live.py): on
# PostgreSQL it LISTENs to the chats' changes as they commit and reads every live chat only each
# CHAT_FULL_READ_S as a safety net; on SQLite it reads them each tick. "poll": each waiting request
# reads for itself each tick.
CHAT_WAKE = os.environ.get("FRONTLINE_CHAT_WAKE", "watcher")
CHAT_FULL_READ_S = float(os.environ.get("FRONTLINE_CHAT_FULL_READ_S", "5"))
CHAT_OFFER_S = int(os.environ.get("FRONTLINE_CHAT_OFFER_S", "30"))
CHAT_TYPING_S = 6
CHAT_IDLE_END_S = int(os.environ.get("FRONTLINE_CHAT_IDLE_END_S", "300"))
CHAT_IDLE_CHECK_EVERY_S = 60
CHAT_TOKEN_TTL_S = int(os.environ.get("FRONTLINE_CHAT_TOKEN_TTL_S", "3600"))

# Messaging (frontline.messaging): agents' replies POSTed to each connector's outbound webhook,
# retried after 30 s, 60 s, 120 s ... (at most MESSAGING_BACKOFF_MAX_S apart), MESSAGING_DELIVERY_ATTEMPTS tries in all.
MESSAGING_DELIVERY_ATTEMPTS = int(os.environ.get("FRONTLINE_MESSAGING_DELIVERY_ATTEMPTS", "6"))
MESSAGING_BACKOFF_BASE_S = int(os.environ.get("FRONTLINE_MESSAGING_BACKOFF_BASE_S", "30"))
MESSAGING_BACKOFF_MAX_S = int(os.environ.get("FRONTLINE_MESSAGING_BACKOFF_MAX_S", "3600"))
MESSAGING_TIMEOUT_S = float(os.environ.get("FRONTLINE_MESSAGING_TIMEOUT_S", "10"))

# Routing (frontline.routing, docs/routing.md): the periodic pass over waiting work, how many
# tickets one pass routes per queue, open tickets per agent and channel where none is set, which
# customer (or company) tiers are VIP, and how old an event may be and still be routed at once
# (older ones are replayed history: the demo).
ROUTING_EVERY_S = int(os.environ.get("FRONTLINE_ROUTING_EVERY_S", "15"))
ROUTING_BATCH = int(os.environ.get("FRONTLINE_ROUTING_BATCH", "500"))
ROUTING_CAPACITY_DEFAULT = int(os.environ.get("FRONTLINE_ROUTING_CAPACITY_DEFAULT", "10"))
ROUTING_VIP_TIERS = os.environ.get("FRONTLINE_ROUTING_VIP_TIERS", "gold,platinum")
ROUTING_LIVE_WINDOW_S = 300
# Collision detection on the ticket page: how long a viewer / typist counts as present after
# their last poll, and how often the page polls.
PRESENCE_TTL_S = 20
PRESENCE_TYPING_S = 6
PRESENCE_POLL_S = 4

# Adherence (frontline.schedules.adherence): grace before the real-time alert; adherence below target shows red.
# Customer revenue and other department-wide amounts (a budget plan has its own currency).
CURRENCY = os.environ.get("FRONTLINE_CURRENCY", "EUR")
ADHERENCE_GRACE_MINUTES = int(os.environ.get("FRONTLINE_ADHERENCE_GRACE_MINUTES", "5"))
ADHERENCE_TARGET_PCT = float(os.environ.get("FRONTLINE_ADHERENCE_TARGET_PCT", "90"))

# Forecast models a stored forecast compares (comma-separated engine names); empty = all of them,
# statsforecast's AutoETS and MSTL included. E.g. "seasonal_naive,weekday_mean_4,level_blend".
FRONTLINE_FORECAST_MODELS = [m for m in os.environ.get("FRONTLINE_FORECAST_MODELS", "").split(",") if m.strip()]
