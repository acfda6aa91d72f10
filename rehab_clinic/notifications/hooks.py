"""What other apps plug in: daily checks (run by beat) and the menu link with its unread count.

A feature app registers a check in its `AppConfig.ready()`; the `notifications.daily_checks` task
runs each one. A check finds what needs a therapist (a runner quiet for 7 days) and calls
`services.raise_alert`; notifications imports no feature app.
"""

from __future__ import annotations

from collections.abc import Callable

from rehab_clinic.accounts import navigation
from rehab_clinic.accounts.models import User
from rehab_clinic.notifications.services import unread_count

__all__ = ["daily_checks", "register_daily_check", "register_navigation"]

_checks: list[Callable[[], int]] = []


def register_daily_check(check: Callable[[], int]) -> None:
    """`check()` raises the alerts it finds and returns how many."""
    if check not in _checks:
        _checks.append(check)


def daily_checks() -> list[Callable[[], int]]:
    return list(_checks)


def register_navigation() -> None:
    # Alerts go to therapists (a patient's primary therapist, or the clinic's therapists), so the
    # link is theirs; the clinic admin's menu stays on one line.
    navigation.register(
        role=User.Role.THERAPIST,
        label="Notifications",
        url_name="notifications:list",
        order=90,
        count=unread_count,
    )
