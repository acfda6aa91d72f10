"""The test run's own environment: a fresh machine skips what it cannot run (loudly), and CI
(CI_REQUIRE_SERVICES=1, set by .ci/run) refuses to start without Chromium, PostgreSQL or Redis."""

import os
import subprocess
import sys
from pathlib import Path

from tests.environment import find_chromium, missing_services

ROOT = Path(__file__).resolve().parent.parent
NOWHERE = {
    "CHROMIUM_PATH": "/nonexistent/chromium",
    "PLAYWRIGHT_BROWSERS_PATH": "/nonexistent",
    # Port 1 on localhost: nothing listens there.
    "DATABASE_URL": "postgres://postgres@127.0.0.1:1/rehab_nowhere",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "PDF_TEST_REDIS_URL": "redis://127.0.0.1:1/5",
}


def _pytest(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CI_", "CHROMIUM"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_missing_service_is_named() -> None:
    problems = missing_services(NOWHERE, candidates=())
    assert len(problems) == 4, problems
    assert problems[0].startswith("no Chromium for the browser tests")
    assert "PostgreSQL is not reachable at postgres@127.0.0.1:1" in problems
    assert any("Redis is not reachable" in p and "(REDIS_URL)" in p for p in problems)
    assert any("(PDF_TEST_REDIS_URL)" in p for p in problems)
    assert "DATABASE_URL is not a PostgreSQL URL" in missing_services(
        {**NOWHERE, "DATABASE_URL": ""}, candidates=()
    )


def test_chromium_is_found_from_the_variable_debian_or_playwrights_own(tmp_path: Path) -> None:
    own = tmp_path / "chromium-1187" / "chrome-linux" / "chrome"
    own.parent.mkdir(parents=True)
    own.write_text("#!/bin/sh\n")
    own.chmod(0o755)
    assert find_chromium({"PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)}, candidates=()) == str(own)
    assert find_chromium({"CHROMIUM_PATH": str(own)}, candidates=()) == str(own)
    assert find_chromium({"PLAYWRIGHT_BROWSERS_PATH": "/nonexistent"}, candidates=()) == ""
    # A CHROMIUM_PATH that points nowhere is not silently replaced by another browser.
    assert find_chromium({"CHROMIUM_PATH": "/nonexistent"}, candidates=(str(own),)) == ""


def test_ci_run_stops_before_any_test_when_the_services_are_missing() -> None:
    result = _pytest(
        "tests/test_environment.py",
        "--collect-only",
        "-q",
        env={**NOWHERE, "CI_REQUIRE_SERVICES": "1"},
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "CI_REQUIRE_SERVICES=1 and the test run cannot have everything it needs" in output
    assert "no Chromium" in output
    assert "PostgreSQL is not reachable" in output
    # .ci/run is what sets the flag, for the run on PostgreSQL and Redis.
    script = (ROOT / ".ci" / "run").read_text()
    assert "export CI_REQUIRE_SERVICES=1" in script
    # ...and then runs the embedded default too, without the flag.
    assert "env -u DATABASE_URL -u REDIS_URL -u CI_REQUIRE_SERVICES" in script


def test_a_fresh_machine_skips_browser_and_worker_tests_with_one_loud_line_each() -> None:
    result = _pytest(
        "tests/browser/test_invitations.py",
        "tests/programs/documents/test_worker.py",
        "-q",
        env={"CHROMIUM_PATH": "/nonexistent", "PDF_TEST_REDIS_URL": "redis://127.0.0.1:1/5"},
    )
    assert result.returncode == 0, result.stdout[-2000:]
    lines = result.stdout.splitlines()
    browser = [line for line in lines if "browser tests were SKIPPED" in line]
    worker = [line for line in lines if "real-worker tests were SKIPPED" in line]
    assert len(browser) == 1, result.stdout
    assert browser[0].startswith("!!! 3 browser tests were SKIPPED: no Chromium found")
    assert "CHROMIUM_PATH" in browser[0]
    assert len(worker) == 1, result.stdout
    assert worker[0].startswith("!!! 3 real-worker tests were SKIPPED: no Redis at")
    assert "3 skipped (no browser), 3 skipped (no Redis)" in result.stdout
