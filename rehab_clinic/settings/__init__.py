"""Settings for the runner rehabilitation clinic, read from the environment.

Every variable is listed with a comment in `.env.example`. Two modes, chosen explicitly: embedded
(`DJANGO_EMBEDDED=true`, set by `make run` and the tests: SQLite and in-process tasks when
DATABASE_URL and REDIS_URL are unset, console email) and production (the default), which refuses
to start without DATABASE_URL, REDIS_URL and SITE_URL.

`DJANGO_SETTINGS_MODULE=rehab_clinic.settings` names this package; each module holds one
concern and is read in this order, so a bad value fails at start-up in the same order as ever:
`base` (mode, secret key, apps, middleware, database, language, logging, SITE_URL), `signin`
(users, sessions, throttling, second factor), `security` (headers, CSP, the audit key),
`storage` (static, media, uploads) and `backends` (email, Celery and the outbox, caches, program
documents, web push).
"""

from rehab_clinic.env import env_str

# The order in which the settings are read and checked, not the alphabet.
# isort: off
from rehab_clinic.settings.base import *  # noqa: F403
from rehab_clinic.settings.signin import *  # noqa: F403
from rehab_clinic.settings.security import *  # noqa: F403
from rehab_clinic.settings.storage import *  # noqa: F403
from rehab_clinic.settings.backends import *  # noqa: F403
# isort: on

# --- Error reports (optional) --------------------------------------------------------------------
# Last, once every other setting has been read and checked.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from rehab_clinic.sentry import init_sentry  # local import: only when error reports are on

    init_sentry(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))
