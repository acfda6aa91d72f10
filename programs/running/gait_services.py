"""Workflows for gait retraining: prescribe a cadence, record a retest, tick a session done,
end the prescriptions of a discharged episode.

Keyword-only functions that take the acting user; each write records an audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from programs.documents.services import refresh_for_episode
from programs.running.gait import cadence_target, fading_schedule
from programs.running.gait_models import GaitRetest, GaitRetrainingPrescription, GaitSession
from rehab_clinic.audit.changes import field_changes, snapshot
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from patients.models import Episode
    from rehab_clinic.accounts.models import User


@transaction.atomic
def create_gait_prescription(
    *,
    episode: Episode,
    by: User,
    baseline_cadence: int,
    increase_pct: Decimal,
    cue_type: str,
    cues: str = "",
    baseline_notes: str = "",
    baseline_metrics: dict[str, Any] | None = None,
    sessions: int = 8,
    start_minutes: int = 15,
    end_minutes: int = 30,
) -> GaitRetrainingPrescription:
    prescription = GaitRetrainingPrescription.objects.create(
        episode=episode,
        baseline_cadence=baseline_cadence,
        baseline_metrics=baseline_metrics or {},
        baseline_notes=baseline_notes,
        increase_pct=increase_pct,
        target_cadence=cadence_target(baseline_cadence, increase_pct),
        cue_type=cue_type,
        cues=cues,
        created_by=by,
    )
    GaitSession.objects.bulk_create(
        GaitSession(
            prescription=prescription, number=s.number, feedback=s.feedback, minutes=s.minutes
        )
        for s in fading_schedule(
            sessions=sessions, start_minutes=start_minutes, end_minutes=end_minutes
        )
    )
    record_event(
        user=by, action=AuditEvent.Action.CREATE, patient=episode.patient, obj=prescription
    )
    refresh_for_episode(episode=episode, by=by)  # the cue card prints the prescription
    return prescription


@transaction.atomic
def record_gait_retest(
    *,
    prescription: GaitRetrainingPrescription,
    by: User,
    date: dt.date,
    cadence: int,
    notes: str = "",
) -> GaitRetest:
    retest = GaitRetest.objects.create(
        prescription=prescription, date=date, cadence=cadence, notes=notes, created_by=by
    )
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE,
        patient=prescription.episode.patient,
        obj=retest,
    )
    return retest


@transaction.atomic
def complete_gait_session(*, session: GaitSession, by: User, on: dt.date) -> None:
    session.completed_on = on
    session.save(update_fields=["completed_on"])
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        patient=session.prescription.episode.patient,
        obj=session,
        detail="Gait session done",
    )


@transaction.atomic
def end_gait_prescriptions(*, episode: Episode, by: User, reason: str) -> int:
    """Switch off the episode's active prescriptions (a discharge): each is audited, and the
    handout, whose cue card printed them, renders again once. Returns how many were ended."""
    ended = list(
        GaitRetrainingPrescription.objects.select_for_update().filter(
            episode=episode, is_active=True
        )
    )
    for prescription in ended:
        before = snapshot(prescription)
        prescription.is_active = False
        prescription.save(update_fields=["is_active"])
        record_event(
            user=by,
            action=AuditEvent.Action.CHANGE,
            patient=episode.patient,
            obj=prescription,
            detail=f"Gait prescription ended: {reason}"[:500],
            changes=field_changes(before, snapshot(prescription)),
        )
    if ended:
        refresh_for_episode(episode=episode, by=by)  # the cue card is no longer printed
    return len(ended)
