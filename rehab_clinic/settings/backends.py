"""The services the app talks to: email, Redis (Celery, the outbox's sweep, the beat
schedule, the session cache), the program documents' render limits and web push."""

from urllib.parse import unquote, urlsplit

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from rehab_clinic.env import env_int, env_list, env_str

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
# memory:// with a host: without one kombu warns "No hostname was supplied" on every task.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
# Without a broker the embedded default runs every task in-process, right away.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool child whose peak resident size passed this after a task is replaced by a fresh one
# before its next task (Celery takes KB, and reads the peak, ru_maxrss). A child peaks at about
# 147 MB with 20-exercise handouts and 166 MB with 50 (docs/performance.md, 3 Dec 2026); this
# is the backstop against slow growth, set above those so children are not recycled each task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_MB", 224, minimum=64) * 1024
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
    # A record export's ZIP is deleted once its link has expired (rehab_clinic/records).
    "delete-expired-record-exports": {
        "task": "records.delete_expired",
        "schedule": crontab(minute=50),
    },
    # Run files read on the log page but never saved with a log (programs/running/runfile_models).
    "drop-unsaved-run-files": {
        "task": "programs.drop_unsaved_run_files",
        "schedule": crontab(minute=50),
    },
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

# --- The patient's record, out (rehab_clinic/records, docs/records.md) -------------------------
# Days a record ZIP can be downloaded; then the link says it expired and beat deletes the file.
RECORD_EXPORT_DAYS = env_int("RECORD_EXPORT_DAYS", 7, minimum=1)

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
