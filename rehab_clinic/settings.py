"""Settings for the runner rehabilitation clinic, read from the environment.

Every variable is listed with a comment in `.env.example`. Two modes, chosen explicitly: embedded
(`DJANGO_EMBEDDED=true`, set by `make run` and the tests: SQLite and in-process tasks when
DATABASE_URL and REDIS_URL are unset, console email) and production (the default), which refuses
to start without DATABASE_URL, REDIS_URL and SITE_URL.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from rehab_clinic.env import env_bool, env_int, env_list, env_str
from rehab_clinic.generic_forms import install as install_generic_forms

install_generic_forms()  # before any form is defined: see rehab_clinic/generic_forms.py

BASE_DIR = Path(__file__).resolve().parent.parent

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
    "django.contrib.sessions.middleware.SessionMiddleware",
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
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
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

# --- Accounts and sessions ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user with the clinic and second-factor state at once.
    "rehab_clinic.accounts.backends.ClinicUserBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle logoff per role and an absolute session lifetime (HIPAA automatic logoff).
SESSION_IDLE_TIMEOUT_STAFF = timedelta(minutes=env_int("SESSION_IDLE_MINUTES_STAFF", 30, minimum=1))
SESSION_IDLE_TIMEOUT_PATIENT = timedelta(
    minutes=env_int("SESSION_IDLE_MINUTES_PATIENT", 30, minimum=1)
)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from Redis when there is one (the database stays the record and answers
# whenever the cache does not: rehab_clinic/accounts/session_store.py); without Redis, from the
# database only, since a per-process memory cache could not forget a session another process
# ended. A cached copy lives at most SESSION_CACHE_SECONDS.
SESSION_CACHE_SECONDS = env_int("SESSION_CACHE_SECONDS", 300, minimum=1)
if env_str("REDIS_URL"):
    SESSION_ENGINE = "rehab_clinic.accounts.session_store"
    SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
PATIENT_INVITE_DAYS = env_int("PATIENT_INVITE_DAYS", 7, minimum=1)
# Housekeeping (Celery beat): finished invitations and untouched note drafts are deleted this
# many days after they expired or were last saved.
INVITATION_RETENTION_DAYS = env_int("INVITATION_RETENTION_DAYS", 30, minimum=1)
NOTE_DRAFT_RETENTION_DAYS = env_int("NOTE_DRAFT_RETENTION_DAYS", 30, minimum=1)

# Login throttling: lock a username+IP pair, so one attacker cannot lock out a whole clinic.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
# Not at the password step: accounts.two_factor clears the counter once sign-in is complete, so a
# known password cannot be used to reset the count of wrong second-factor codes.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind a reverse proxy, trust exactly this many X-Forwarded-For hops; 0 ignores the header so a
# forged value cannot reset the counter.
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Two-factor sign-in (django-otp) and re-authentication for sensitive actions.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Runner Rehab")
# Wrong codes are counted by django-axes with wrong passwords (five lock the account); django-otp's
# own per-device delay on top would refuse a right code typed just after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_HELPER_CLASS = "rehab_clinic.accounts.passkeys.ClinicWebAuthnHelper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "rehab_clinic.accounts.passkeys.relying_party_id"
# A passkey answers only for the site's own origins: https on each allowed host (and
# http://localhost on any port, a secure context for development and the browser tests).
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    f"https://{host}" for host in ALLOWED_HOSTS if host and host[0] not in ".*"
] or ["https://localhost"]
# Passkeys are the second factor after the password, never a way round it.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# django-axes keeps the form data of failed attempts: never a typed code or password.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "secret"]
REAUTH_MAX_AGE = timedelta(minutes=env_int("REAUTH_MINUTES", 15, minimum=1))

# --- Security headers ---------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else None
)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "rehab_clinic.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Server-drawn SVG charts carry their own <style>; no script may be inline.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "data:"],
        # The portal's service worker (/portal/sw.js) and its web app manifest.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))


# Uploads and generated PDFs: local disk, or an S3-compatible bucket when MEDIA_BUCKET is set.
# Either way they are read through the storage API and served only by access-checked views.
def media_storage_from_env() -> dict[str, object]:
    bucket = env_str("MEDIA_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": env_str("MEDIA_PREFIX"),
            # Unset: boto3's own chain (AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, instance roles).
            "endpoint_url": env_str("MEDIA_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_REGION") or None,
            "access_key": env_str("MEDIA_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_SECRET_ACCESS_KEY") or None,
            # Objects stay private; never replace a file that already has the name.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": media_storage_from_env(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# The largest watch or phone run file (.fit, .gpx) a runner may upload to fill a run log.
RUN_FILE_MAX_BYTES = 5 * 1024 * 1024

# --- Email --------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "clinic@localhost")


def _email_settings(url: str) -> dict[str, object]:
    if not url or url.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("locmem:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps", "submission"} or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:password@host:587 or console: (got a "
            f"{parts.scheme or 'schemeless'} URL)."
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme != "smtps",
    }


globals().update(_email_settings(env_str("EMAIL_URL", "console:")))

# --- Celery -------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis:// or rediss://.")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker the embedded default runs every task in-process, right away.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool child whose resident size passed this after a task is replaced by a fresh one before
# its next task (Celery takes KB). A render peaks near 120 MB (docs/performance.md); this is the
# backstop against slow growth, set above the normal peak so children are not recycled each task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_MB", 160, minimum=64) * 1024
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=2)
# Sized to the render: a message whose worker died is delivered again this long after it was
# taken, so a patient waits about the hard limit plus half a minute, not kombu's hour or our
# former 10 minutes.
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int(
    "CELERY_BROKER_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 30, minimum=10
)
if not CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "Celery limits must satisfy soft time limit < hard time limit < broker visibility timeout."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    # Workers look for messages a dead worker left unacknowledged every 10 s (kombu's default
    # scans every 100 s), so a crashed render is retried soon after the visibility timeout.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# --- Outbox (rehab_clinic/outbox) ---------------------------------------------------------------
# A pending message is sent right after its transaction commits; the sweep sends again what never
# reached the broker (after OUTBOX_SEND_GRACE seconds) and what was sent but not finished after
# OUTBOX_RESEND_AFTER seconds (its message was lost: Redis restarted empty).
OUTBOX_SWEEP_INTERVAL = env_int("OUTBOX_SWEEP_INTERVAL", 15, minimum=1)
OUTBOX_SEND_GRACE = env_int("OUTBOX_SEND_GRACE", 5, minimum=0)
OUTBOX_RESEND_AFTER = env_int(
    "OUTBOX_RESEND_AFTER", 2 * CELERY_BROKER_VISIBILITY_TIMEOUT, minimum=2
)
OUTBOX_SWEEP_BATCH = env_int("OUTBOX_SWEEP_BATCH", 500, minimum=1)
# After a failed send, new messages wait this long for the sweep instead of trying the broker
# themselves (each try at a dead Redis costs the request about 6 s).
OUTBOX_BROKER_BACKOFF = env_int("OUTBOX_BROKER_BACKOFF", 10, minimum=0)
if OUTBOX_RESEND_AFTER <= CELERY_BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "OUTBOX_RESEND_AFTER must be longer than CELERY_BROKER_VISIBILITY_TIMEOUT, or a message"
        " Redis still holds for a dead worker is sent a second time."
    )
# Run by `celery -A rehab_clinic beat` (`make beat`), one per deployment. Every job is idempotent,
# so a missed or doubled run is harmless. Times are UTC.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "clear-expired-sessions": {
        "task": "accounts.clear_expired_sessions",
        "schedule": crontab(minute=10, hour=3),
    },
    "expire-invitations": {"task": "accounts.expire_invitations", "schedule": crontab(minute=20)},
    "drop-stale-drafts": {
        "task": "assessments.drop_stale_drafts",
        "schedule": crontab(minute=30, hour=3),
    },
    # Copies each audit chain's signed head out of the event table, so that deleting the tail
    # of a chain (or the whole table) is seen by verify_audit.
    "checkpoint-audit-chains": {
        "task": "audit.checkpoint_audit_chains",
        "schedule": crontab(minute="*/5"),
    },
    # Sends the outbox messages that never reached the broker, or were lost (rehab_clinic/outbox).
    "outbox-sweep": {"task": "outbox.sweep", "schedule": float(OUTBOX_SWEEP_INTERVAL)},
    # Alerts for therapists (rehab_clinic/notifications): the daily checks (a runner with no
    # activity for 7 days) and each person's digest at their hour in the clinic's zone. Both
    # are once a clinic day whatever the number of runs, so hourly and quarter-hourly suffice.
    "alert-checks": {"task": "notifications.daily_checks", "schedule": crontab(minute=40)},
    "alert-digests": {"task": "notifications.send_digests", "schedule": crontab(minute="*/15")},
    # The patients' reminders (rehab_clinic/reminders, docs/reminders.md): each is sent once a
    # clinic day at the first run at or after its time, so every five minutes is on time enough.
    "patient-reminders": {"task": "reminders.send_due", "schedule": crontab(minute="*/5")},
}

# --- Caches ------------------------------------------------------------------------------------
# "default" stays in process memory; "sessions" and "shared" are Redis, shared by every web
# process, when REDIS_URL is set (short timeouts: a slow Redis must not hold a request).
# SHARED_CACHE_ALIAS names the cache for counters that must hold across processes (the audit's
# denial throttle, rehab_clinic/audit/middleware.py): "shared" with Redis, else "default" (the
# embedded mode is one process).
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
SHARED_CACHE_ALIAS = "default"
if REDIS_URL:
    for _alias in ("sessions", "shared"):
        CACHES[_alias] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _alias,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    SHARED_CACHE_ALIAS = "shared"

# --- Program documents --------------------------------------------------------------------------
# A PDF whose render was started this many times (each worker death counts) is marked failed,
# with a retry button, instead of being delivered again without end.
DOCUMENT_MAX_ATTEMPTS = env_int("DOCUMENT_MAX_ATTEMPTS", 5, minimum=1)
# Queued this long without a worker taking it: the page offers "Try again".
DOCUMENT_QUEUED_LIMIT = env_int("DOCUMENT_QUEUED_LIMIT", 120, minimum=1)

# --- Web push to the portal (rehab_clinic/push, docs/push.md) -----------------------------------
# The VAPID key pair that signs every push request; `python manage.py vapid_keys` prints a new
# one. Both unset: push is off (the embedded default and the tests), and the portal says so.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured(
        "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY for web push, or neither to turn it off "
        "(`python manage.py vapid_keys` prints a pair)."
    )
# Who push services contact about our traffic (a mailto: or https: URL, RFC 8292).
VAPID_SUBJECT = env_str("VAPID_SUBJECT") or f"mailto:{DEFAULT_FROM_EMAIL}"
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured("VAPID_SUBJECT must start with mailto: or https://.")
# A subscription is accepted only for these push services (a host or any subdomain of it), so
# the server never posts to an address a browser did not get from its vendor.
PUSH_SERVICE_HOSTS = env_list(
    "PUSH_SERVICE_HOSTS",
    default=[
        "fcm.googleapis.com",
        "android.googleapis.com",
        "push.services.mozilla.com",
        "push.apple.com",
        "notify.windows.com",
    ],
)
# How long a push service keeps a notification for a phone that is off (seconds).
PUSH_TTL_SECONDS = env_int("PUSH_TTL_SECONDS", 6 * 60 * 60, minimum=0)
PUSH_TIMEOUT_SECONDS = env_int("PUSH_TIMEOUT_SECONDS", 10, minimum=1)

# --- Audit --------------------------------------------------------------------------------------
# The key for the audit trail's hash chain. Keep it apart from SECRET_KEY in production so that
# rotating one does not break the other.
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY", SECRET_KEY)

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

# --- Error reports (optional) --------------------------------------------------------------------
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from rehab_clinic.sentry import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))

# Base URL of the site for links printed in documents (the QR code on a program PDF) and the
# invitation links `create_clinic` prints. Required in production; `make run` derives it from PORT.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
