"""Workflows on patients and episodes: each writes its rows and its audit event together."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from patients.hooks import registry
from patients.models import Episode, Patient
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

Action = AuditEvent.Action


@transaction.atomic
def save_patient(*, patient: Patient, changed: Sequence[str] = (), by: User) -> Patient:
    """Save a new or edited patient (a form's unsaved instance); `changed` names the fields."""
    creating = patient.pk is None
    patient.save()
    record_event(
        user=by,
        action=Action.CREATE if creating else Action.CHANGE,
        patient=patient,
        obj=patient,
        detail="" if creating else ", ".join(changed)[:500],
    )
    return patient


@transaction.atomic
def archive_patient(*, patient: Patient, by: User, reason: str) -> None:
    patient.archive(by=by, reason=reason)
    record_event(user=by, action=Action.ARCHIVE, patient=patient, obj=patient, detail=reason)


@transaction.atomic
def save_episode(
    *, episode: Episode, patient: Patient, changed: Sequence[str] = (), by: User
) -> Episode:
    """Save a new or edited episode of `patient` (a form's unsaved instance)."""
    creating = episode.pk is None
    episode.patient = patient
    if creating:
        episode.created_by = by
    episode.save()
    record_event(
        user=by,
        action=Action.CREATE if creating else Action.CHANGE,
        patient=patient,
        obj=episode,
        detail="" if creating else ", ".join(changed)[:500],
    )
    return episode


@transaction.atomic
def discharge_episode(*, episode: Episode, on: date, reason: str, by: User) -> None:
    episode.discharge(on=on, reason=reason)
    for step in registry.discharge:
        step(episode=episode, by=by)
    record_event(
        user=by,
        action=Action.CHANGE,
        patient=episode.patient,
        obj=episode,
        detail=f"discharged: {reason}"[:500],
    )
