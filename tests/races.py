"""Run the same call from several threads at once, each on its own database connection."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(call: Callable[[], Any], times: int = 4) -> list[Any]:
    """`call()` in `times` threads released together; returns the results (or exceptions)."""
    start = threading.Barrier(times)
    results: list[Any] = []

    def run() -> None:
        start.wait()
        try:
            results.append(call())
        except Exception as exc:  # returned, for the test to assert on
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
