"""Workflows on patients and episodes: each writes its rows and its audit event together."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from patients.hooks import registry
from patients.models import Episode, Patient
from rehab_clinic.accounts.models import Clinic, User
from rehab_clinic.audit.changes import field_changes, snapshot, stored_snapshot
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

Action = AuditEvent.Action


def next_record_number(clinic: Clinic) -> str:
    """The clinic's next free record number (its prefix, then six digits).

    Takes the clinic row's lock for the rest of the transaction, so two patients created at
    once never get the same number; a number someone typed by hand is skipped.
    """
    locked = Clinic.objects.select_for_update().get(pk=clinic.pk)
    number = locked.mrn_sequence
    while True:
        number += 1
        candidate = f"{locked.mrn_prefix}{number:06d}"
        if not Patient.objects.filter(clinic=locked, mrn__iexact=candidate).exists():
            break
    Clinic.objects.filter(pk=locked.pk).update(mrn_sequence=number)
    return candidate


@transaction.atomic
def save_patient(*, patient: Patient, changed: Sequence[str] = (), by: User) -> Patient:
    """Save a new or edited patient (a form's unsaved instance); `changed` names the fields."""
    creating = patient.pk is None
    before = stored_snapshot(patient)
    if creating and not patient.mrn:
        patient.mrn = next_record_number(patient.clinic)
    patient.save()
    record_event(
        user=by,
        action=Action.CREATE if creating else Action.CHANGE,
        patient=patient,
        obj=patient,
        detail="" if creating else ", ".join(changed)[:500],
        changes=None if creating else field_changes(before, snapshot(patient)),
    )
    return patient


@transaction.atomic
def archive_patient(*, patient: Patient, by: User, reason: str) -> None:
    before = snapshot(patient)
    patient.archive(by=by, reason=reason)
    record_event(
        user=by,
        action=Action.ARCHIVE,
        patient=patient,
        obj=patient,
        detail=reason,
        changes=field_changes(before, snapshot(patient)),
    )


@transaction.atomic
def save_episode(
    *, episode: Episode, patient: Patient, changed: Sequence[str] = (), by: User
) -> Episode:
    """Save a new or edited episode of `patient` (a form's unsaved instance)."""
    creating = episode.pk is None
    before = stored_snapshot(episode)
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
        changes=None if creating else field_changes(before, snapshot(episode)),
    )
    return episode


@transaction.atomic
def discharge_episode(*, episode: Episode, on: date, reason: str, by: User) -> None:
    before = snapshot(episode)
    episode.discharge(on=on, reason=reason)
    for step in registry.discharge:
        step(episode=episode, by=by)
    record_event(
        user=by,
        action=Action.CHANGE,
        patient=episode.patient,
        obj=episode,
        detail=f"discharged: {reason}"[:500],
        changes=field_changes(before, snapshot(episode)),
    )
