"""What a Celery worker loads before its first task: every pool child inherits it.

A child that renders PDFs holds whatever its parent imported at start. Neither the URLconf (with
every view and form behind it) nor the web push client belongs there (docs/performance.md,
"Program PDFs").
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The worker's own start: the Celery app, Django's set-up by Celery's fixup (with its system
# checks unless they are skipped) and every app's tasks module.
WORKER_START = """
import json, sys
from rehab_clinic.celery import app
app.loader.import_default_modules()
print(json.dumps(sorted(sys.modules)))
"""
WEB_ONLY = ("rehab_clinic.urls", "requests", "pywebpush", "aiohttp", "fitdecode")


def _modules_after_worker_start() -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "CELERY_SKIP_CHECKS"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "rehab_clinic.settings")
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", WORKER_START],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_worker_starts_without_the_web_only_modules() -> None:
    modules = _modules_after_worker_start()

    assert "programs.tasks" in modules  # the PDF task, still registered
    assert [name for name in WEB_ONLY if name in modules] == []
