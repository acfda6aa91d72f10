"""A real Celery worker whose renders are slowed down, for the kill-mid-render test.

Run as a script by tests/programs/pdf/test_worker.py (not collected as a test). Each render
leaves a marker file (start-<pid>, done-<pid>) so the test knows which child to kill and can
count how many renders finished.
"""

import os
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    markers = Path(os.environ["PDF_TEST_MARKER_DIR"])
    delay = float(os.environ.get("PDF_TEST_RENDER_DELAY", "4"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab_clinic.settings")

    import django

    django.setup()
    from programs.documents import pdf
    from rehab_clinic.celery import app

    real_render = pdf.render_program

    def slow_render(sheet: Any, **kwargs: Any) -> Any:
        (markers / f"start-{os.getpid()}-{time.monotonic_ns()}").touch()
        time.sleep(delay)
        result = real_render(sheet, **kwargs)
        (markers / f"done-{os.getpid()}-{time.monotonic_ns()}").touch()
        return result

    pdf.render_program = slow_render
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            f"--pidfile={markers / 'worker.pid'}",
            "--hostname=pdf-kill-test@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )


if __name__ == "__main__":
    main()
