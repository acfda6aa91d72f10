"""Loaded by pytest before Django starts (`-p tests.environment` in pyproject.toml).

Test-only defaults: a fixed secret, debug off, plain static storage, local-memory email and
no login throttling. DATABASE_URL and REDIS_URL come from the caller (`make test`, .ci/run):
SQLite and in-process tasks when unset.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_MANIFEST_STATIC", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("EMAIL_URL", "locmem:")
os.environ.setdefault("AXES_ENABLED", "false")
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run there
# unless told it is safe (it is: one thread drives both).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# In CI the real services are required: refuse to fall back to SQLite or in-process tasks.
if os.environ.get("CI_REQUIRE_SERVICES") == "1":
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("CI_REQUIRE_SERVICES is set but DATABASE_URL is not PostgreSQL")
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        raise SystemExit("CI_REQUIRE_SERVICES is set but REDIS_URL is not set")
