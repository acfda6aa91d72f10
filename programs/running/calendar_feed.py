"""The runner's schedule as a calendar: the planned runs and rest days of their active
return-to-run plans, as the portal's plan page works them out (docs/calendar.md).

Only "Run: <what the stage prescribes>" and "Rest day" are written: no plan name, pain scores,
diagnosis or notes, since a calendar app and whoever sees the phone's calendar can read it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from programs.running.ical import AllDayEvent, calendar_text
from programs.running.models import ReturnToRunPlan
from programs.running.status import PlanState, today_status
from programs.running.wording import stage_summary

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["FEED_DAYS", "planned_days", "schedule_calendar"]

# Today and the next four weeks. The plan moves with every run logged, so a longer view would be
# a guess; calendar apps fetch the feed again every few hours.
FEED_DAYS = 28
_FOLLOWED = (PlanState.RUN_TODAY, PlanState.REST_DAY, PlanState.NOT_STARTED)
CALENDAR_NAME = "My running plan"


def _uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "runner-rehab.invalid"


def planned_days(
    plan: ReturnToRunPlan, *, today: dt.date, days: int = FEED_DAYS
) -> list[AllDayEvent]:
    """From today: a run on the next run day and after each stage's rest days, a rest day between.
    A plan the runner is told not to follow now (paused, stopped, complete, a stop sign) has
    none: the calendar must not tell them to run."""
    status, stage = today_status(plan, today=today)
    if status.state not in _FOLLOWED or stage is None or status.next_run_on is None:
        return []
    clinic = plan.episode.patient.clinic
    run_text = "Run: " + (stage_summary(stage, plan.kind, clinic) or f"stage {stage.number}")
    every = stage.rest_days_between + 1
    first = status.next_run_on
    host = _uid_host()
    events = []
    for offset in range(days):
        day = today + dt.timedelta(days=offset)
        if status.state == PlanState.NOT_STARTED and day < first:
            continue
        is_run = day >= first and (day - first).days % every == 0
        events.append(
            AllDayEvent(
                # One event per plan and day, whatever it holds: an app updates it in place
                # when a logged run moves the next run day.
                uid=f"rtr-{plan.pk}-{day:%Y%m%d}@{host}",
                day=day,
                summary=run_text if is_run else "Rest day",
            )
        )
    return events


def schedule_calendar(user: User) -> str:
    """The feed for the runner `user`: their active plans only, read through `visible_to`."""
    plans = (
        ReturnToRunPlan.objects.visible_to(user)
        .active()
        .select_related("episode__patient__clinic")
        .order_by("pk")
    )
    events: list[AllDayEvent] = []
    zone_name = "UTC"
    for plan in plans:
        clinic = plan.episode.patient.clinic
        zone_name = str(clinic.zone)
        events += planned_days(plan, today=clinic.today())
    return calendar_text(
        sorted(events, key=lambda e: (e.day, e.uid)),
        name=CALENDAR_NAME,
        zone_name=zone_name,
        stamp=timezone.now().replace(microsecond=0),
    )
