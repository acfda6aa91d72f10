"""Whether a reminder has something to remind of on a clinic day: read from the programs.

- exercise: the home program has exercises due that day (the days the portal's "This week"
  shows them on) and not every session of the day is ticked yet;
- check-in: a run was logged the day before and the morning check-in is not logged yet;
- next run: the runner's page says "Next run: today" on an active return-to-run plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from patients.models import Episode, Patient
from programs.home.queries import current_versions, due_on, today_for
from programs.running.log_models import MorningCheckIn, SessionLog
from programs.running.models import ReturnToRunPlan
from programs.running.status import is_run_day
from rehab_clinic.reminders.models import ReminderKind

__all__ = ["OCCASIONS", "check_in_waiting", "exercises_due", "run_day"]


def exercises_due(patient: Patient, day: dt.date) -> bool:
    if day == patient.clinic.today():  # what the portal's Today page counts
        today = today_for(patient)
        return bool(today["sessions_due"] > today["sessions_done"])
    return bool(due_on(current_versions(patient), day, {}))


def _active_plans(patient: Patient) -> list[ReturnToRunPlan]:
    return list(
        ReturnToRunPlan.objects.active()
        .filter(episode__patient=patient, episode__status=Episode.Status.ACTIVE)
        .select_related("episode__patient__clinic")
    )


def check_in_waiting(patient: Patient, day: dt.date) -> bool:
    plans = [plan.pk for plan in _active_plans(patient)]
    ran = set(
        SessionLog.objects.filter(plan_id__in=plans, date=day - dt.timedelta(days=1)).values_list(
            "plan_id", flat=True
        )
    )
    checked = set(
        MorningCheckIn.objects.filter(plan_id__in=ran, date=day).values_list("plan_id", flat=True)
    )
    return bool(ran - checked)


def run_day(patient: Patient, day: dt.date) -> bool:
    return any(is_run_day(plan, today=day) for plan in _active_plans(patient))


OCCASIONS: dict[str, Callable[[Patient, dt.date], bool]] = {
    ReminderKind.EXERCISE.value: exercises_due,
    ReminderKind.CHECK_IN.value: check_in_waiting,
    ReminderKind.NEXT_RUN.value: run_day,
}
