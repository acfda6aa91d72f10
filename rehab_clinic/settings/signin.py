"""Signing in: the user model, passwords, sessions and idle logoff, sign-in throttling (django-axes)
and the second factor (TOTP codes, passkeys)."""

from datetime import timedelta

from rehab_clinic.env import env_bool, env_int, env_str
from rehab_clinic.settings.base import ALLOWED_HOSTS

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
