"""Where the app runs: the mode (embedded or production), the secret key, hosts, apps and
middleware, templates, the database, language and time, logging and the site's own address.

The other modules of this package read DEBUG, SECRET_KEY, BASE_DIR and ALLOWED_HOSTS from here.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from rehab_clinic.env import env_bool, env_list, env_str
from rehab_clinic.generic_forms import install as install_generic_forms

install_generic_forms()  # before any form is defined: see rehab_clinic/generic_forms.py

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Production is the default; falling back to SQLite or in-process tasks must be asked for.
EMBEDDED = env_bool("DJANGO_EMBEDDED", default=False)
if not EMBEDDED:
    for _required in ("DATABASE_URL", "REDIS_URL", "SITE_URL"):
        if not env_str(_required):
            raise ImproperlyConfigured(
                f"{_required} is not set. Production needs DATABASE_URL, REDIS_URL and SITE_URL "
                "(see .env.example); for the embedded development mode (SQLite, in-process "
                "tasks) set DJANGO_EMBEDDED=true, as `make run` does."
            )

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. `make run` sets a development key; in production set a "
        "long random value (see .env.example)."
    )
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "rehab_clinic.accounts",
    "rehab_clinic.audit",
    "rehab_clinic.demo",
    "rehab_clinic.outbox",
    "rehab_clinic.notifications",
    "rehab_clinic.messaging",
    "rehab_clinic.push",
    "rehab_clinic.fhir",
    "rehab_clinic.reminders",
    "rehab_clinic.records",
    "patients",
    "assessments",
    "exercises",
    "programs",
]

MIDDLEWARE = [
    "rehab_clinic.request_log.RequestLogMiddleware",
    # The address and request id every audit event of this request records (after the id is set).
    "rehab_clinic.audit.context.AuditContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rehab_clinic.accounts.session_cookie.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication, so an error page that shows who is signed in still can.
    "rehab_clinic.accounts.middleware.RefuseNulBytesMiddleware",
    "rehab_clinic.audit.middleware.AuditDenialsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rehab_clinic.accounts.middleware.SessionTimeoutMiddleware",
    "rehab_clinic.accounts.middleware.ClinicTimezoneMiddleware",
    # Django's LoginRequiredMiddleware; an htmx request is sent to sign in with HX-Redirect.
    "rehab_clinic.accounts.middleware.HtmxLoginRequiredMiddleware",
    "rehab_clinic.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rehab_clinic.accounts.middleware.NoStoreForSignedInMiddleware",
    # Last, so a locked-out login attempt is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rehab_clinic.urls"
WSGI_APPLICATION = "rehab_clinic.wsgi.application"
ASGI_APPLICATION = "rehab_clinic.asgi.application"

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
                "rehab_clinic.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except Exception as exc:  # dj-database-url raises several types for a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL could not be understood: {exc}") from None
    if DATABASES["default"]["ENGINE"] not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL or SQLite.")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
# A connection kept across requests is checked before reuse, so a database restart does not
# fail the first requests after it on stale connections.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "rehab_clinic.request_log.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint narrates every step of a render at INFO; only its warnings are worth reading.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Its 4xx warnings repeat the raw path (tokens, search terms); our request line has the
        # route instead. Server errors are still logged.
        "django.request": {"level": "ERROR"},
    },
}

# Base URL of the site for links printed in documents (the QR code on a program PDF) and the
# invitation links `create_clinic` prints. Required in production; `make run` derives it from PORT.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
