"""Charting workflows. Each takes the acting user explicitly and records an audit event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from assessments.copy_forward import copied_content
from assessments.goal_measures import keep_goal_snapshot
from assessments.instruments import get_instrument
from assessments.models import (
    Addendum,
    InstrumentSetting,
    Note,
    NoteDraft,
    NoteLocked,
    OutcomeAssignment,
    OutcomeResponse,
    content_hash,
)
from assessments.schedules import QuestionnaireSchedule
from assessments.scoring import Answer, ScoringError, score_instrument
from rehab_clinic.accounts.units import to_metres
from rehab_clinic.audit.changes import field_changes, snapshot
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from patients.models import Episode, Patient
    from rehab_clinic.accounts.models import Clinic, User


def _audit(
    action: str, *, by: User, obj: Any, patient: Patient, detail: str = "", changes: Any = None
) -> None:
    record_event(action=action, user=by, patient=patient, obj=obj, detail=detail, changes=changes)


@transaction.atomic
def start_note(*, episode: Episode, kind: str, by: User, copy_forward: bool = False) -> Note:
    """A new unsigned note; with ``copy_forward`` its content starts from the latest note of
    the same kind in the episode (or the intake for a first follow-up)."""
    content: dict[str, Any] = {}
    source = None
    if copy_forward:
        earlier = Note.objects.filter(episode=episode).order_by("-visit_date", "-id")
        source = earlier.filter(kind=kind).first() or earlier.first()
        if source is not None and source.kind == kind:
            content = copied_content(source.content)
        elif source is not None:
            plan = source.content.get("main", {}).get(
                "planned_interventions"
            ) or source.content.get("main", {}).get("plan", "")
            content = {"main": {"plan": plan}} if plan else {}
    if kind == Note.Kind.INTAKE and not content:
        content = {"main": _intake_prefill(episode)}
    note = Note.objects.create(
        episode=episode,
        kind=kind,
        author=by,
        content=content,
        copied_from=source,
        visit_date=episode.patient.clinic.today(),  # the clinic's day, even outside a request
    )
    _audit(
        AuditEvent.Action.CREATE,
        by=by,
        obj=note,
        patient=episode.patient,
        detail=f"copied forward from note {source.pk}" if source else "",
    )
    return note


def open_or_start_note(
    *, episode: Episode, kind: str, by: User, copy_forward: bool = False
) -> tuple[Note, bool]:
    """The author's own note of this kind for today's visit if they started one and never saved
    it (a second tap, Back, another tab), else a new one; True when it was already there. A
    note once saved is never reopened this way: a second visit's note is a new note."""
    today = episode.patient.clinic.today()
    mine = Note.objects.filter(episode=episode, kind=kind, author=by, visit_date=today)
    untouched = mine.filter(signed_at__isnull=True, saved_at__isnull=True).order_by("-id").first()
    if untouched is not None:
        return untouched, True
    return start_note(episode=episode, kind=kind, by=by, copy_forward=copy_forward), False


def _intake_prefill(episode: Episode) -> dict[str, Any]:
    """Start the intake from the running profile on the patient's record (all editable)."""
    p = episode.patient
    unit = p.clinic.distance_unit
    pace = ""
    if p.usual_pace_s_per_km:
        # seconds per km times km per unit (1 or 1.609344)
        per_unit = round(to_metres(p.usual_pace_s_per_km, unit) / 1000)
        pace = f"{per_unit // 60}:{per_unit % 60:02d} /{unit}"
    goals = p.goal_race
    if goals and p.goal_race_date:
        goals = f"{goals} on {p.goal_race_date.isoformat()}"
    code = f"{episode.icd10_code}{episode.seventh_character}"
    prefill = {
        "weekly_distance_m": p.weekly_distance_m,
        "runs_per_week": p.runs_per_week,
        "longest_run_m": p.longest_run_m,
        "usual_pace": pace,
        "years_running": p.years_running,
        "shoes": p.shoes,
        "shoe_age_km": p.shoe_age_km,
        "races_goals": goals,
        "diagnosis": f"{episode.label} ({code})",
    }
    return {k: v for k, v in prefill.items() if v not in (None, "")}


@transaction.atomic
def save_note(
    *,
    note: Note,
    content: dict[str, Any],
    visit_date: dt.date,
    by: User,
    pain_now: int | None,
    outcomes: dict[str, dict[str, Answer]] | None = None,
) -> Note:
    """Store the form's content; the NPRS 'pain now' also becomes an NPRS outcome response,
    and each questionnaire taken within the note is scored and stored with it (all or
    nothing: an incomplete one raises ScoringError and nothing is saved)."""
    note = Note.objects.select_for_update().get(pk=note.pk)
    note.assert_editable()
    before = snapshot(note)
    note.content = content
    note.visit_date = visit_date
    note.saved_at = timezone.now()
    note.save(update_fields=["content", "visit_date", "saved_at", "updated_at"])
    if pain_now is not None:
        _store_nprs(note=note, pain=pain_now, by=by)
    for code, answers in (outcomes or {}).items():
        record_outcome(
            episode=note.episode, instrument_code=code, answers=answers, by=by, note=note
        )
    # Every draft typed before this save is now stale (theirs would overwrite it on restore).
    NoteDraft.objects.filter(note=note).delete()
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        obj=note,
        patient=note.episode.patient,
        changes=field_changes(before, snapshot(note)),
    )
    return note


def _store_nprs(*, note: Note, pain: int, by: User) -> None:
    instrument = get_instrument("nprs")
    result = score_instrument(instrument, {"pain": pain})
    OutcomeResponse.objects.update_or_create(
        note=note,
        instrument="nprs",
        defaults={
            "episode": note.episode,
            "version": instrument.version,
            "answers": {"pain": pain},
            "scores": result.as_dict(),
            "taken_on": note.visit_date,
            "entered_by": by,
        },
    )


def save_draft(*, note: Note, by: User, data: dict[str, list[str]]) -> NoteDraft:
    note.assert_editable()
    draft, _ = NoteDraft.objects.update_or_create(note=note, user=by, defaults={"data": data})
    _audit(AuditEvent.Action.CHANGE, by=by, obj=note, patient=note.episode.patient, detail="draft")
    return draft


@transaction.atomic
def sign_note(*, note: Note, by: User) -> Note:
    note = Note.objects.select_for_update().get(pk=note.pk)
    keep_goal_snapshot(note)
    note.sign(by=by)
    NoteDraft.objects.filter(note=note).delete()
    _audit(AuditEvent.Action.SIGN, by=by, obj=note, patient=note.episode.patient)
    return note


@transaction.atomic
def add_addendum(*, note: Note, by: User, kind: str, reason: str, text: str) -> Addendum:
    if not note.is_signed:
        raise ValueError("Edit the draft note directly; addenda are for signed notes.")
    addendum = Addendum(note=note, author=by, kind=kind, reason=reason, text=text)
    addendum.content_hash = content_hash(addendum.hash_payload())
    addendum.save()
    _audit(AuditEvent.Action.CREATE, by=by, obj=addendum, patient=note.episode.patient)
    return addendum


@transaction.atomic
def set_portal_release(*, note: Note, by: User, withhold: bool, reason: str = "") -> Note:
    """Withhold a signed note from the portal (with a reason) or release it again."""
    note.withheld_at = timezone.now() if withhold else None
    note.withheld_by = by if withhold else None
    note.withheld_reason = reason if withhold else ""
    note.save(update_fields=["withheld_at", "withheld_by", "withheld_reason"])
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        obj=note,
        patient=note.episode.patient,
        detail=f"withheld from portal: {reason}" if withhold else "released to portal",
    )
    return note


@transaction.atomic
def record_outcome(
    *,
    episode: Episode,
    instrument_code: str,
    answers: dict[str, Answer],
    by: User,
    taken_on: dt.date | None = None,
    note: Note | None = None,
    source: str = OutcomeResponse.Source.CLINIC,
) -> OutcomeResponse:
    """Score and store one completed measure. Raises ScoringError on invalid answers and on a
    questionnaire too incomplete to score: no "not scored" record is ever stored."""
    if note is not None:
        note = Note.objects.select_for_update().get(pk=note.pk)  # the row on record, locked
        note.assert_editable()
    instrument = get_instrument(instrument_code)
    result = score_instrument(instrument, answers)
    if not result.is_complete:
        reasons = "; ".join(
            f"{instrument.subscale(code).label}: {s.reason}"
            for code, s in result.subscales.items()
            if not s.valid
        )
        raise ScoringError(f"Not complete enough to score ({reasons}).")
    response = OutcomeResponse.objects.create(
        episode=episode,
        note=note,
        instrument=instrument.code,
        version=instrument.version,
        answers=dict(answers),
        scores=result.as_dict(),
        taken_on=taken_on or (note.visit_date if note else episode.patient.clinic.today()),
        source=source,
        entered_by=by,
    )
    _audit(AuditEvent.Action.CREATE, by=by, obj=response, patient=episode.patient)
    return response


@transaction.atomic
def strike_outcome(*, response: OutcomeResponse, by: User, reason: str) -> OutcomeResponse:
    """Mark a measure as recorded in error (kept, struck through, with the reason). Only before
    the note it belongs to is signed; a signed note is corrected by an addendum."""
    response = OutcomeResponse.objects.select_for_update().get(pk=response.pk)
    if response.note_id is not None:
        Note.objects.select_for_update().get(pk=response.note_id).assert_editable()
    if response.is_struck:
        raise ValueError("This measure was already struck.")
    if not reason.strip():
        raise ValueError("Give the reason the measure was recorded in error.")
    response.struck_at = timezone.now()
    response.struck_by = by
    response.struck_reason = reason.strip()
    response.save(update_fields=["struck_at", "struck_by", "struck_reason"])
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        obj=response,
        patient=response.episode.patient,
        detail=f"struck: {response.struck_reason}",
    )
    return response


@transaction.atomic
def set_patient_summary(*, note: Note, by: User, summary: dict[str, str]) -> Note:
    """Store the plain-language visit summary the patient reads first (signed notes only)."""
    if not note.is_signed:
        raise ValueError("Sign the note first; the summary is written from the signed note.")
    note.patient_summary = {k: summary.get(k, "").strip() for k in ("found", "plan", "home")}
    note.patient_summary_by = by
    note.patient_summary_at = timezone.now()
    note.save(update_fields=["patient_summary", "patient_summary_by", "patient_summary_at"])
    _audit(
        AuditEvent.Action.CHANGE,
        by=by,
        obj=note,
        patient=note.episode.patient,
        detail="patient visit summary",
    )
    return note


def assign_outcome(
    *, episode: Episode, instrument_code: str, by: User, due_on: dt.date | None
) -> OutcomeAssignment:
    get_instrument(instrument_code)
    assignment = OutcomeAssignment.objects.create(
        episode=episode, instrument=instrument_code, assigned_by=by, due_on=due_on
    )
    _audit(AuditEvent.Action.CREATE, by=by, obj=assignment, patient=episode.patient)
    return assignment


@transaction.atomic
def complete_assignment(
    *, assignment: OutcomeAssignment, answers: dict[str, Answer], by: User
) -> OutcomeResponse:
    assignment = OutcomeAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.is_done:
        raise ValueError("This questionnaire was already completed.")
    response = record_outcome(
        episode=assignment.episode,
        instrument_code=assignment.instrument,
        answers=answers,
        by=by,
        source=OutcomeResponse.Source.PORTAL,
    )
    assignment.response = response
    assignment.save(update_fields=["response"])
    return response


@transaction.atomic
def set_clinic_mcids(*, clinic: Clinic, by: User, values: dict[tuple[str, str], Any]) -> None:
    """Store the clinic's reviewed MCIDs; ``None`` removes the clinic value (default applies)."""
    for (instrument, subscale), value in values.items():
        get_instrument(instrument).subscale(subscale)
        if value is None:
            InstrumentSetting.objects.filter(
                clinic=clinic, instrument=instrument, subscale=subscale
            ).delete()
        else:
            InstrumentSetting.objects.update_or_create(
                clinic=clinic,
                instrument=instrument,
                subscale=subscale,
                defaults={"mcid": value, "updated_by": by},
            )
    record_event(
        action=AuditEvent.Action.CHANGE, user=by, clinic=clinic, detail="outcome-measure MCIDs"
    )


@transaction.atomic
def set_questionnaire_schedule(
    *, clinic: Clinic, by: User, rules: dict[str, tuple[bool, int | None, bool]]
) -> None:
    """Store the clinic's whole schedule, one row per instrument (an all-off row included, so
    a clinic that switches everything off does not fall back to the default)."""
    for code, (at_intake, every_days, at_discharge) in rules.items():
        get_instrument(code)
        QuestionnaireSchedule.objects.update_or_create(
            clinic=clinic,
            instrument=code,
            defaults={
                "at_intake": at_intake,
                "every_days": every_days,
                "at_discharge": at_discharge,
                "updated_by": by,
            },
        )
    record_event(
        action=AuditEvent.Action.CHANGE, user=by, clinic=clinic, detail="questionnaire schedule"
    )


def refuse_moving_signed_notes(*, episode: Episode) -> None:
    """An episode with signed notes stays with its patient: the signatures name that patient.

    Called before any episode is saved (the pre_save hook in apps.py); the database refuses it
    too (migration 0003).
    """
    if episode.pk is None:
        return
    moved = (
        type(episode)
        .objects.filter(pk=episode.pk)
        .exclude(patient_id=episode.patient_id)
        .filter(notes__signed_at__isnull=False)
        .exists()
    )
    if moved:
        raise NoteLocked("This episode has signed notes and cannot be moved to another patient.")
