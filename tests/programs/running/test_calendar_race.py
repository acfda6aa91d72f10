"""Two taps on "Make my calendar link" (or "Make a new link") at the same moment, on their own
connections: both answer with a link and one link is left on. Before, both found no live link to
lock, both inserted, and the second broke the one-live-link constraint: a server error page."""

from typing import Any

import pytest
from django.db import connection

from programs.running.calendar_models import CalendarFeed
from programs.running.calendar_services import make_calendar_link
from tests.races import at_once


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once: SQLite locks the whole database, so the race cannot happen there",
)
@pytest.mark.django_db(transaction=True)
def test_racing_taps_on_make_link_leave_one_live_link(patient: Any, patient_user: Any) -> None:
    results = at_once(lambda: make_calendar_link(patient=patient, by=patient_user)[1])

    assert not [r for r in results if isinstance(r, Exception)], results
    live = CalendarFeed.objects.live()
    assert live.count() == 1
    assert live.get().patient == patient
