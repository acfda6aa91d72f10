"""The patient's reminder choices, the therapist's suggested times, unsubscribing, and the beat
job that sends what is due.

`send_reminders` is run by beat every few minutes. For each patient with a reminder switched on
it asks, per kind: is the chosen time due now in the clinic's zone and outside the quiet hours
(`schedule.is_due`), is the day's reminder not yet sent, is there something to remind of
(`occasions`)? Then, in one transaction, it takes the day's `SentReminder` row (the unique
constraint lets one of two racing runs through) and hands the reminder to every channel. A
reminder no channel could send (email stopped, no push subscription) leaves no row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from patients.models import Patient
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.reminders import channels, schedule
from rehab_clinic.reminders.models import (
    DEFAULT_TIMES,
    ReminderSettings,
    ReminderSuggestion,
    SentReminder,
)
from rehab_clinic.reminders.occasions import OCCASIONS

__all__ = [
    "initial_settings",
    "save_settings",
    "send_reminders",
    "stop_reminder_email",
    "suggest_times",
]

SETTING_FIELDS = (
    "exercise_on",
    "exercise_at",
    "check_in_on",
    "check_in_at",
    "next_run_on",
    "next_run_at",
    "quiet_start",
    "quiet_end",
)


def initial_settings(patient: Patient) -> ReminderSettings:
    """The patient's saved choices; before they save, the therapist's suggested times (or the
    defaults), every reminder off."""
    saved = ReminderSettings.objects.filter(patient=patient).first()
    if saved is not None:
        return saved
    suggestion = ReminderSuggestion.objects.filter(patient=patient).first()
    times = {f"{kind}_at": at for kind, at in DEFAULT_TIMES.items()}
    if suggestion is not None:
        for name in times:
            times[name] = getattr(suggestion, name) or times[name]
    return ReminderSettings(patient=patient, **times)


@transaction.atomic
def save_settings(
    *, patient: Patient, by: User, values: dict[str, Any], email_on: bool
) -> ReminderSettings:
    """Save the patient's choices; unticking email stops reminder emails, ticking it again
    (the only way back after an unsubscribe) starts them."""
    chosen = {name: values.get(name) for name in SETTING_FIELDS}
    current = ReminderSettings.objects.select_for_update().filter(patient=patient).first()
    stopped = None if email_on else (getattr(current, "email_stopped_at", None) or timezone.now())
    row, created = ReminderSettings.objects.update_or_create(
        patient=patient, defaults={**chosen, "email_stopped_at": stopped}
    )
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
        patient=patient,
        obj=row,
        detail="reminder settings saved",
    )
    return row


@transaction.atomic
def suggest_times(
    *,
    patient: Patient,
    by: User,
    exercise_at: dt.time | None,
    check_in_at: dt.time | None,
    next_run_at: dt.time | None,
) -> ReminderSuggestion:
    row, _ = ReminderSuggestion.objects.update_or_create(
        patient=patient,
        defaults={
            "exercise_at": exercise_at,
            "check_in_at": check_in_at,
            "next_run_at": next_run_at,
            "suggested_by": by,
        },
    )
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        patient=patient,
        obj=row,
        detail="suggested reminder times",
    )
    return row


@transaction.atomic
def stop_reminder_email(*, patient_id: int) -> bool:
    """The one-click unsubscribe (no one is signed in): no reminder email from now on. Returns
    False for a patient with no reminders (nothing to stop); a second click changes nothing."""
    row = ReminderSettings.objects.select_for_update().filter(patient_id=patient_id).first()
    if row is None:
        return False
    if row.email_stopped_at is None:
        row.email_stopped_at = timezone.now()
        row.save(update_fields=["email_stopped_at", "updated_at"])
        record_event(
            action=AuditEvent.Action.CHANGE,
            patient=row.patient,
            clinic=row.patient.clinic,
            obj=row,
            detail="reminder emails stopped from the unsubscribe link",
        )
    return True


def _switched_on() -> QuerySet[ReminderSettings]:
    return (
        ReminderSettings.objects.filter(
            Q(exercise_on=True) | Q(check_in_on=True) | Q(next_run_on=True),
            patient__archived_at=None,
            patient__user__is_active=True,
        )
        .select_related("patient__clinic", "patient__user")
        .order_by("pk")
    )


def _send_one(kind: str, patient: Patient, day: dt.date, now: dt.datetime) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a racing run's row ends only this insert
                sent = SentReminder.objects.create(patient=patient, kind=kind, day=day, sent_at=now)
        except IntegrityError:
            return False
        names = channels.deliver(kind, patient, now)
        if not names:
            transaction.set_rollback(True)
            return False
        sent.channels = ",".join(names)[:60]
        sent.save(update_fields=["channels"])
    return True


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Send every reminder due now, at most once a clinic day per patient and kind. Returns
    how many were sent."""
    now = now or timezone.now()
    count = 0
    for row in _switched_on():
        patient = row.patient
        zone = patient.clinic.zone
        day = now.astimezone(zone).date()
        for kind, at in row.chosen().items():
            if not schedule.is_due(
                now=now, zone=zone, at=at, quiet_start=row.quiet_start, quiet_end=row.quiet_end
            ):
                continue
            if SentReminder.objects.filter(patient=patient, kind=kind, day=day).exists():
                continue
            if OCCASIONS[kind](patient, day) and _send_one(kind, patient, day, now):
                count += 1
    return count
