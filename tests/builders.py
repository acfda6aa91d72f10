"""Records built the way a clinician builds them: through the project's services.

A factory (tests/factories.py) writes a row; a builder here walks the workflow (start a note,
save it, sign it; create a program, add exercises, publish; create a return-to-run plan, start
it, log runs and check-ins), so the record carries what the workflow adds: audit events,
snapshots, the PDF it asks for, a plan's stages copied from its protocol.

`clinic_with_patient()` puts the usual cast together for a test that needs a whole clinic.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from assessments.models import Note, OutcomeAssignment
from assessments.services import assign_outcome, record_outcome, save_note, sign_note, start_note
from patients.models import Episode, Patient
from patients.services import discharge_episode
from programs.home import services as home_services
from programs.home.models import HomeProgram, ProgramVersion
from programs.running import gait_services, protocol_services, runfile_services
from programs.running import services as running_services
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.models import Protocol, ReturnToRunPlan
from rehab_clinic.accounts.images import process_photo_jpeg
from rehab_clinic.accounts.models import Clinic, User
from rehab_clinic.messaging.models import Message
from rehab_clinic.messaging.services import send_message
from rehab_clinic.reminders import services as reminder_services
from tests.factories import (
    ClinicFactory,
    EpisodeFactory,
    HomeModalityFactory,
    PatientFactory,
    ProgramExerciseFactory,
    UserFactory,
    make_patient_user,
)

# A LEFS with every answer given: 50 of 80.
LEFS_50 = {f"q{n}": (3 if n <= 10 else 2) for n in range(1, 21)}


# Notes ---------------------------------------------------------------------------------------


def intake(episode: Any, by: Any, *, signed: bool = False, day: dt.date | None = None) -> Note:
    """An initial evaluation with pain, cadence, a diagnosis and a LEFS (signed if asked)."""
    note = start_note(episode=episode, kind=Note.Kind.INTAKE, by=by)
    note = save_note(
        note=note,
        content={"main": {"nprs_now": 6, "cadence": 160, "diagnosis": "Achilles tendinopathy"}},
        visit_date=day or dt.date(2026, 1, 5),
        by=by,
        pain_now=6,
    )
    record_outcome(episode=episode, instrument_code="lefs", answers=LEFS_50, by=by, note=note)
    if signed:
        note.sign(by=by)
    return note


def daily(episode: Any, by: Any, *, pain: int = 4, day: dt.date, signed: bool = True) -> Note:
    """A daily note with the pain of the day (signed unless asked not to)."""
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=by)
    note = save_note(
        note=note,
        content={"main": {"pain_now": pain, "subjective": "Better", "plan": "Continue"}},
        visit_date=day,
        by=by,
        pain_now=pain,
    )
    if signed:
        note.sign(by=by)
    return note


def note_with_pain(
    episode: Any, by: Any, kind: str, day: dt.date, pain: int, *, signed: bool = True
) -> Note:
    """A note of any kind with nothing but the pain of the day (an NPRS point on the chart)."""
    note = start_note(episode=episode, kind=kind, by=by)
    save_note(note=note, content={"main": {}}, visit_date=day, by=by, pain_now=pain)
    if signed:
        sign_note(note=note, by=by)
    return note


# Home programs -------------------------------------------------------------------------------


def make_program(
    episode: Any, therapist: Any, *, items: int = 3, publish: bool = True, modality: bool = True
) -> HomeProgram:
    """A program on `episode` with `items` exercises (and one cold pack), published once."""
    program = home_services.create_home_program(episode=episode, by=therapist)
    for _ in range(items):
        home_services.add_program_item(
            program=program, exercise=ProgramExerciseFactory(), by=therapist
        )
    if modality:
        home_services.add_program_modality(
            program=program, modality=HomeModalityFactory(), instructions="", by=therapist
        )
    if publish:
        home_services.publish_home_program(program=program, by=therapist)
    return program


# Return to running ---------------------------------------------------------------------------


def protocol(clinic: Any, key: str = "time-walk-run-ladder") -> Protocol:
    """One of the clinic's protocols, seeded as a new clinic gets them."""
    protocol_services.seed_protocols(clinic=clinic)
    return Protocol.objects.get(clinic=clinic, key=key)


def make_plan(
    episode: Any,
    by: Any,
    *,
    key: str = "time-walk-run-ladder",
    started_on: dt.date | None = None,
    start: bool = True,
    **limits: Any,
) -> ReturnToRunPlan:
    """A plan from a seeded protocol, started (with an override: tests set readiness apart)
    unless `start` is False."""
    plan = running_services.create_plan(
        episode=episode,
        protocol=protocol(episode.patient.clinic, key),
        by=by,
        started_on=started_on or timezone.localdate() - dt.timedelta(days=30),
    )
    if limits:
        running_services.customise_plan(plan=plan, by=by, limits=limits, stages=[])
    if start:
        plan = running_services.start_plan(plan=plan, by=by, override_reason="Test plan")
    return plan


def log_run(
    plan: ReturnToRunPlan,
    by: Any,
    day: dt.date,
    *,
    stage: int | None = None,
    pain_during: int = 1,
    pain_after: int = 1,
    run_minutes: str = "5",
    distance_m: int | None = None,
    source: Any = None,
    **extra: Any,
) -> Any:
    """One run, logged as the runner logs it on the portal (`source`: the run file read)."""
    plan.refresh_from_db()
    values = {
        "date": day,
        "stage_number": stage or plan.current_stage,
        "completed": True,
        "duration_minutes": Decimal(30),
        "run_minutes": Decimal(run_minutes),
        "distance_m": distance_m,
        "pain_during": pain_during,
        "pain_after": pain_after,
        "rpe": 3,
        "limp": False,
        "pain_built": False,
        "notes": "",
        **extra,
    }
    return running_services.log_session(plan=plan, by=by, values=values, today=day, source=source)


def log_with_run_file(
    plan: ReturnToRunPlan, by: Any, *, data: bytes = b"<gpx/>", name: str = "morning.gpx"
) -> Any:
    """A run logged from a run file, whose original is kept with the log."""
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    pending = runfile_services.keep_run_file(plan=plan, by=by, upload=upload)
    return log_run(plan, by, plan.episode.patient.clinic.today(), source=pending)


def check_in(
    plan: ReturnToRunPlan,
    by: Any,
    day: dt.date,
    *,
    pain: int = 0,
    stiffness: int = 0,
    notes: str = "",
) -> Any:
    """The next morning's check-in."""
    plan.refresh_from_db()
    return running_services.record_check_in(
        plan=plan,
        by=by,
        values={"date": day, "pain": pain, "stiffness": stiffness, "notes": notes},
        today=day,
    )


def plan_with_logs(episode: Any, therapist: Any, runner: Any, *, runs: int = 3) -> ReturnToRunPlan:
    """A started plan with `runs` pain-free runs on the last days, each checked in on the next
    morning, so the plan page has a chart, logs and (after enough runs) a stage change."""
    plan = make_plan(episode, therapist)
    today = episode.patient.clinic.today()
    for back in range(runs, 0, -1):
        day = today - dt.timedelta(days=2 * back)
        log_run(plan, runner, day)
        check_in(plan, runner, day + dt.timedelta(days=1))
    plan.refresh_from_db()
    return plan


def gait_prescription(episode: Any, therapist: Any) -> GaitRetrainingPrescription:
    """A +5 % cadence prescription from a baseline of 160 steps a minute, with its sessions."""
    return gait_services.create_gait_prescription(
        episode=episode,
        by=therapist,
        baseline_cadence=160,
        increase_pct=Decimal("5"),
        cue_type=GaitRetrainingPrescription.Cue.METRONOME,
    )


# Messages ------------------------------------------------------------------------------------


def photo_upload(size: tuple[int, int] = (64, 48), name: str = "photo.png") -> SimpleUploadedFile:
    """A small PNG, as a phone would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def message_with_photo(episode: Any, by: Any, body: str = "This is how it looks") -> Message:
    """A message with a photo, through the photo pipeline and the sending service."""
    return send_message(episode=episode, by=by, body=body, photo=process_photo_jpeg(photo_upload()))


# A discharged episode, for the outcomes report ------------------------------------------------

# 12 answers of 4 and 8 of 3: a LEFS of 72 of 80 (22 above LEFS_50).
LEFS_72 = {f"q{n}": (4 if n <= 12 else 3) for n in range(1, 21)}


def discharged_episode(
    patient: Patient,
    therapist: Any,
    *,
    intake_day: dt.date,
    discharge_day: dt.date,
    code: str = "M76.61",
    lefs_final: dict[str, int] | None = LEFS_72,
    pain_final: int | None = 2,
    run_plan: bool = False,
    program: bool = False,
) -> Episode:
    """An episode from a signed intake (LEFS 50, pain 6) to discharge, with the final measures
    taken on the day of discharge; a return-to-run plan completed (its last run the day before)
    and a published home program if asked."""
    episode = EpisodeFactory(patient=patient, icd10_code=code)
    intake(episode, therapist, signed=True, day=intake_day)
    if lefs_final is not None:
        record_outcome(
            episode=episode,
            instrument_code="lefs",
            answers=lefs_final,
            by=therapist,
            taken_on=discharge_day,
        )
    if pain_final is not None:
        record_outcome(
            episode=episode,
            instrument_code="nprs",
            answers={"pain": pain_final},
            by=therapist,
            taken_on=discharge_day,
        )
    if run_plan:
        plan = make_plan(episode, therapist, started_on=intake_day)
        log_run(plan, therapist, discharge_day - dt.timedelta(days=1))
        running_services.close_plan(
            plan=plan, by=therapist, status=ReturnToRunPlan.Status.COMPLETED, note="done"
        )
    if program:
        make_program(episode, therapist, items=1, modality=False)
        # Published at the intake (a version's time is set by the service as it publishes).
        published = dt.datetime.combine(intake_day, dt.time(12), tzinfo=dt.UTC)
        ProgramVersion.objects.filter(program__episode=episode).update(published_at=published)
    discharge_episode(episode=episode, on=discharge_day, reason="Goals met", by=therapist)
    return episode


# A whole clinic ------------------------------------------------------------------------------


@dataclass
class ClinicCast:
    """A clinic with its therapist and admin, one patient in care and everything a clinician
    makes for them; a second patient at the same clinic; a therapist at another clinic."""

    clinic: Clinic
    therapist: User
    clinic_admin: User
    patient_user: User
    patient: Patient
    episode: Episode
    signed_intake: Note
    draft_note: Note
    program: HomeProgram
    assignment: OutcomeAssignment
    plan: ReturnToRunPlan
    draft_plan: ReturnToRunPlan  # on a second episode: one open plan per episode
    gait: GaitRetrainingPrescription
    second_patient_user: User
    other_therapist: User


def clinic_with_patient() -> ClinicCast:
    clinic = ClinicFactory(name="Riverside Test Clinic", distance_unit="km")
    therapist = UserFactory(clinic=clinic, role=User.Role.THERAPIST, full_name="Terry Therapist")
    admin = UserFactory(clinic=clinic, role=User.Role.CLINIC_ADMIN, full_name="Ada Admin")
    patient_user = make_patient_user(
        clinic, first_name="Paula", last_name="Patient", primary_therapist=therapist
    )
    patient = patient_user.patient
    episode = EpisodeFactory(patient=patient)
    signed = intake(episode, therapist, signed=True, day=clinic.today() - dt.timedelta(days=20))
    draft = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)
    program = make_program(episode, therapist)
    assignment = assign_outcome(episode=episode, instrument_code="lefs", by=therapist, due_on=None)
    plan = plan_with_logs(episode, therapist, patient_user)
    gait = gait_prescription(episode, therapist)
    other_clinic = ClinicFactory(name="Harbor Test Clinic")
    return ClinicCast(
        clinic=clinic,
        therapist=therapist,
        clinic_admin=admin,
        patient_user=patient_user,
        patient=patient,
        episode=episode,
        signed_intake=signed,
        draft_note=draft,
        program=program,
        assignment=assignment,
        plan=plan,
        draft_plan=make_plan(EpisodeFactory(patient=patient), therapist, start=False),
        gait=gait,
        second_patient_user=make_patient_user(clinic, first_name="Sid", last_name="Second"),
        other_therapist=UserFactory(
            clinic=other_clinic, role=User.Role.THERAPIST, full_name="Olga Other"
        ),
    )


# Reminders -----------------------------------------------------------------------------------


def archived_patient(cast: ClinicCast) -> Patient:
    """A patient of the cast's clinic whose record was archived (only those can be restored)."""
    patient = PatientFactory(clinic=cast.clinic, primary_therapist=cast.therapist)
    patient.archive(by=cast.therapist, reason="Moved away")
    return patient


def reminders_on(patient: Patient, **values: Any) -> Any:
    """The patient's reminder settings as the portal form saves them: every kind off unless
    switched on here (`exercise_on=True, exercise_at=dt.time(18, 0)`), email on."""
    chosen = {
        "exercise_on": False,
        "exercise_at": dt.time(18, 0),
        "check_in_on": False,
        "check_in_at": dt.time(8, 0),
        "next_run_on": False,
        "next_run_at": dt.time(7, 0),
        "quiet_start": None,
        "quiet_end": None,
        **values,
    }
    email_on = chosen.pop("email_on", True)
    return reminder_services.save_settings(
        patient=patient, by=patient.user, values=chosen, email_on=email_on
    )
