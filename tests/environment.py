"""Loaded by pytest before Django starts (`-p tests.environment` in pyproject.toml).

Test-only defaults: a fixed secret, debug off, plain static storage, local-memory email and
no login throttling. DATABASE_URL and REDIS_URL come from the caller (`make test`, .ci/run):
SQLite and in-process tasks when unset (the embedded mode, chosen explicitly here).

Tests that need something a fresh machine may lack (a Chromium for the browser tests, a Redis for
the real-worker tests) run when it is there and are otherwise skipped, counted in one loud line
at the end. With CI_REQUIRE_SERVICES=1 (.ci/run) a missing browser, PostgreSQL or Redis stops the
run before any test instead.
"""

from __future__ import annotations

import glob
import os
import socket
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_MANIFEST_STATIC", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("EMAIL_URL", "locmem:")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("SITE_URL", "http://testserver")
# What is not set is embedded (SQLite, in-process tasks); settings refuse that unless told.
if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
    os.environ.setdefault("DJANGO_EMBEDDED", "true")
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run there
# unless told it is safe (it is: one thread drives both).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBIAN_CHROMIUM = "/usr/bin/chromium"
# The Redis the real-worker tests use (tests/programs/documents/conftest.py reads it too).
WORKER_REDIS_DEFAULT = "redis://127.0.0.1:6379/5"
HOW_TO_GET_CHROMIUM = (
    "install one (`apt-get install chromium` on Debian, or `.venv/bin/playwright install "
    "chromium`) or point CHROMIUM_PATH at it"
)


def find_chromium(env: Mapping[str, str], candidates: Iterable[str] = (DEBIAN_CHROMIUM,)) -> str:
    """The Chromium to drive: CHROMIUM_PATH, then Debian's, then Playwright's own; "" if none."""
    configured = env.get("CHROMIUM_PATH", "")
    if configured:
        return configured if os.access(configured, os.X_OK) else ""
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    browsers = env.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache" / "ms-playwright")
    for pattern in (
        "chromium-*/chrome-linux*/chrome",
        "chromium_headless_shell-*/*/headless_shell",
    ):
        found = sorted(glob.glob(os.path.join(browsers, pattern)))
        if found:
            return found[-1]
    return ""


def reachable(url: str, default_port: int) -> bool:
    """Whether something accepts TCP connections at the URL's host and port (2 s at most)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "", parts.port or default_port), 2):
            return True
    except (OSError, ValueError):
        return False


def missing_services(
    env: Mapping[str, str], candidates: Iterable[str] = (DEBIAN_CHROMIUM,)
) -> list[str]:
    """What CI requires and cannot find, one sentence each."""
    problems = []
    if not find_chromium(env, candidates):
        problems.append(f"no Chromium for the browser tests: {HOW_TO_GET_CHROMIUM}")
    database_url = env.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        problems.append("DATABASE_URL is not a PostgreSQL URL")
    elif not reachable(database_url, 5432):
        problems.append(f"PostgreSQL is not reachable at {urlsplit(database_url).netloc}")
    for name, url in (
        ("REDIS_URL", env.get("REDIS_URL", "")),
        ("PDF_TEST_REDIS_URL", env.get("PDF_TEST_REDIS_URL", WORKER_REDIS_DEFAULT)),
    ):
        if not url.startswith("redis"):
            problems.append(f"{name} is not a Redis URL")
        elif not reachable(url, 6379):
            problems.append(f"Redis is not reachable at {urlsplit(url).netloc} ({name})")
    return problems


if os.environ.get("CI_REQUIRE_SERVICES") == "1":
    _problems = missing_services(os.environ)
    if _problems:
        raise SystemExit(
            "CI_REQUIRE_SERVICES=1 and the test run cannot have everything it needs:\n  - "
            + "\n  - ".join(_problems)
        )

CHROMIUM = find_chromium(os.environ)
NO_BROWSER = "no Chromium found"
NO_REDIS = "no Redis for the real-worker tests"
_skipped: dict[str, int] = {NO_BROWSER: 0, NO_REDIS: 0}


def _needs_browser(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("browser") is not None or bool(
        fixtures & {"page", "browser", "context"}
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    worker_redis = os.environ.get("PDF_TEST_REDIS_URL", WORKER_REDIS_DEFAULT)
    have_redis = (
        reachable(worker_redis, 6379)
        if any(item.get_closest_marker("celery_worker") for item in items)
        else True
    )
    for item in items:
        if not CHROMIUM and _needs_browser(item):
            item.add_marker(pytest.mark.skip(reason=NO_BROWSER))
        elif not have_redis and item.get_closest_marker("celery_worker"):
            item.add_marker(pytest.mark.skip(reason=NO_REDIS))


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    # Counted apart from other skips, so `-ra` lists them once, here, not one line per test.
    if report.skipped and report.when == "setup":
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        for key in _skipped:
            if reason.endswith(key):
                _skipped[key] += 1
                label = "skipped (no browser)" if key == NO_BROWSER else "skipped (no Redis)"
                return label, "s", "SKIPPED"
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped[NO_BROWSER]:
        terminalreporter.write_line(
            f"!!! {_skipped[NO_BROWSER]} browser tests were SKIPPED: no Chromium found. To run "
            f"them, {HOW_TO_GET_CHROMIUM}. CI (CI_REQUIRE_SERVICES=1) never skips them.",
            yellow=True,
            bold=True,
        )
    if _skipped[NO_REDIS]:
        terminalreporter.write_line(
            f"!!! {_skipped[NO_REDIS]} real-worker tests were SKIPPED: no Redis at "
            f"{os.environ.get('PDF_TEST_REDIS_URL', WORKER_REDIS_DEFAULT)}. Start redis-server "
            "or set PDF_TEST_REDIS_URL to run them. CI never skips them.",
            yellow=True,
            bold=True,
        )
