"""Workflows on patients and episodes: each writes its rows and its audit event together."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from patients.hooks import printed_change, registry
from patients.models import CareGoal, Episode, Patient
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
    diff = {} if creating else field_changes(before, snapshot(patient))
    record_event(
        user=by,
        action=Action.CREATE if creating else Action.CHANGE,
        patient=patient,
        obj=patient,
        detail="" if creating else ", ".join(changed)[:500],
        changes=None if creating else diff,
    )
    printed_change(obj=patient, changed=diff, by=by)  # the handout prints the name
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
def restore_patient(*, patient: Patient, by: User) -> None:
    """Undo an archive: a record archived by mistake, or a former patient who returns."""
    before = snapshot(patient)
    reason = patient.archive_reason
    patient.restore()
    record_event(
        user=by,
        action=Action.CHANGE,
        patient=patient,
        obj=patient,
        detail=f"Restored from the archive (archived because: {reason})"[:500],
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
    diff = {} if creating else field_changes(before, snapshot(episode))
    record_event(
        user=by,
        action=Action.CREATE if creating else Action.CHANGE,
        patient=patient,
        obj=episode,
        detail="" if creating else ", ".join(changed)[:500],
        changes=None if creating else diff,
    )
    printed_change(obj=episode, changed=diff, by=by)  # the handout prints the label
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


@transaction.atomic
def save_goal(*, goal: CareGoal, episode: Episode, by: User) -> CareGoal:
    """Add a goal to `episode`'s plan of care, or save an edited one (a form's values set)."""
    creating = goal.pk is None
    before = stored_snapshot(goal)
    goal.episode = episode
    if creating:
        goal.created_by = by
    goal.save()
    record_event(
        user=by,
        action=Action.CREATE if creating else Action.CHANGE,
        patient=episode.patient,
        obj=goal,
        changes=None if creating else field_changes(before, snapshot(goal)),
    )
    return goal


@transaction.atomic
def remove_goal(*, goal: CareGoal, by: User) -> None:
    """Take a goal off the plan of care; the row stays (signed notes may name it)."""
    before = snapshot(goal)
    goal.remove(by=by)
    record_event(
        user=by,
        action=Action.CHANGE,
        patient=goal.episode.patient,
        obj=goal,
        detail="goal removed",
        changes=field_changes(before, snapshot(goal)),
    )
