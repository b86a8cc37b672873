"""Settings for the django-helpdesk peer (run only from its own virtualenv, bench/.venvs/helpdesk).

Kept close to a production deployment: DEBUG off, no debug toolbar, persistent PostgreSQL
connections, WAL for SQLite. The database comes from HELPDESK_DB (a PostgreSQL database name)
or HELPDESK_SQLITE (a file path). Outgoing mail is discarded in memory so that ticket creation
pays for rendering its notifications but never waits on a mail server.
"""

from __future__ import annotations

import os

DEBUG = False
SECRET_KEY = "helpdesk-peer-benchmark-only"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "helpdesk_peer.urls"
WSGI_APPLICATION = "helpdesk_peer.wsgi.application"
USE_TZ = True
TIME_ZONE = "UTC"
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

if os.environ.get("HELPDESK_DB"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ["HELPDESK_DB"],
            "USER": os.environ.get("HELPDESK_DB_USER", "postgres"),
            "HOST": os.environ.get("HELPDESK_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("HELPDESK_DB_PORT", "5432"),
            # The same connection reuse as Frontline's default (FRONTLINE_DB_CONN_MAX_AGE=60).
            "CONN_MAX_AGE": 60,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("HELPDESK_SQLITE", "helpdesk.sqlite3"),
            # The same pragmas as Frontline's SQLite settings.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

# Token auth (one indexed lookup per request), the same cost as Frontline's bearer tokens.
# Basic auth would hash the password on every request and dominate every number.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.invalid"

HELPDESK_API_ENABLED = True
HELPDESK_TEAMS_MODE_ENABLED = False  # would need pinax-teams
# HELPDESK_KB_ENABLED stays on: with it off, helpdesk 2.6.1 urls.py raises NameError (kb not imported).

STATIC_URL = "static/"
MEDIA_ROOT = os.environ.get("HELPDESK_MEDIA_ROOT", "/tmp/helpdesk-peer-media")
LOGIN_URL = "helpdesk:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
