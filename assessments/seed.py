"""Demo charting for the seeded clinic. Idempotent: each row is created only when missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from assessments.billing_services import seed_billing_codes
from assessments.instruments import get_instrument
from assessments.models import Note, OutcomeResponse, SignerCredentials
from assessments.scoring import score_instrument
from patients.models import CareGoal, Episode
from patients.seed import demo_patient
from rehab_clinic.accounts.models import Clinic, User

# LEFS answers (q1..q20) summing to 52 at intake and 61 at the second visit (+9 = MCID).
LEFS_INTAKE = [3, 2, 4, 4, 4, 3, 3, 4, 2, 4, 4, 3, 3, 3, 4, 1, 1, 0, 0, 0]
LEFS_LATER = [4, 3, 4, 4, 4, 3, 4, 4, 3, 4, 4, 4, 3, 3, 4, 2, 1, 1, 1, 1]

# CMS's example 3 (docs/billing.md) plus a cold pack: 40 timed minutes, 3 units, and 1 untimed.
DEMO_MINUTES = [
    {"code": "97110", "minutes": 33, "code_name": "97110 Therapeutic exercise", "timed": True},
    {"code": "97140", "minutes": 7, "code_name": "97140 Manual therapy", "timed": True},
    {"code": "97010", "minutes": 10, "code_name": "97010 Hot or cold packs", "timed": False},
]

MAYA_INTAKE: dict[str, Any] = {
    "main": {
        "weekly_distance_m": 40234,
        "runs_per_week": 4,
        "longest_run_m": 16093,
        "usual_pace": "9:30 /mi",
        "years_running": 6,
        "shoes": "Daily trainer, 8 mm drop",
        "shoe_age_km": 650,
        "training_changes": ["volume", "hills"],
        "training_change_notes": "Added a weekly hill session and 30% more volume for a half.",
        "races_goals": "Half marathon in spring; run pain-free 3 times a week.",
        "previous_injuries": "Left plantar heel pain three years ago.",
        "nprs_now": 5,
        "nprs_best": 2,
        "nprs_worst": 6,
        "pain_regions": ["back-achilles-r"],
        "pain_behaviour": "Worst with the first steps in the morning and after long sits.",
        "morning_stiffness_minutes": 20,
        "aggravating": "Hills, stairs, running more than 5 km.",
        "easing": "Warming up, rest.",
        "irritability": "moderate",
        "menstrual_changes": "no",
        "restricted_eating": "no",
        "previous_bone_stress": "no",
        "red_flags": [],
        "heel_raise_right": 14,
        "heel_raise_left": 26,
        "hops_right": 12,
        "hops_left": 20,
        "squat_quality_right": "fair",
        "squat_quality_left": "good",
        "cadence": 158,
        "foot_strike": "rearfoot",
        "overstride": "mild",
        "pelvic_drop": "mild",
        "trunk_lean": "none",
        "crossover": "none",
        "gait_notes": "Heel strike well ahead of the body at 10 km/h.",
        "diagnosis": "Midportion Achilles tendinopathy, right (M76.61)",
        "problem_list": "Calf endurance deficit; pain with hills; low cadence.",
        "short_term_goals": "Morning pain 2/10 or less; 20 heel raises right.",
        "long_term_goals": "Return to 40 km a week pain-free; half marathon.",
        "visits_per_week": 1,
        "duration_weeks": 8,
        "planned_interventions": "Heavy slow calf loading, cadence +5%, graded return to run.",
    },
    "rom": [{"motion": "ankle_dorsiflexion", "right": 32, "left": None, "how": "Knee bent"}],
    "strength": [
        {
            "muscle_group": "Plantarflexors",
            "mmt_right": "4",
            "mmt_left": "5",
            "dynamometer_right": "310.0",
            "dynamometer_left": "390.0",
        }
    ],
    "special_tests": [
        {"test": "arc_sign", "side": "right", "result": "positive", "pain": 4},
        {"test": "royal_london", "side": "right", "result": "positive", "pain": 5},
    ],
}


def _outcome(note: Note, code: str, answers: dict[str, Any], by: User) -> None:
    if OutcomeResponse.objects.filter(note=note, instrument=code).exists():
        return
    instrument = get_instrument(code)
    OutcomeResponse.objects.create(
        episode=note.episode,
        note=note,
        instrument=code,
        version=instrument.version,
        answers=answers,
        scores=score_instrument(instrument, answers).as_dict(),
        taken_on=note.visit_date,
        entered_by=by,
    )


def _note(episode: Episode, kind: str, day: dt.date, content: dict[str, Any], by: User) -> Note:
    note = Note.objects.filter(episode=episode, kind=kind, visit_date=day).first()
    if note is None:
        note = Note.objects.create(
            episode=episode, kind=kind, visit_date=day, content=content, author=by
        )
    return note


@transaction.atomic
def seed_demo() -> None:
    for clinic in Clinic.objects.all():  # created after migration 0006 gave the others theirs
        seed_billing_codes(clinic=clinic)
    therapist = User.objects.get(email="therapist@demo.clinic")
    # What follows the demo therapist's name on a printed note's signature line.
    SignerCredentials.objects.get_or_create(user=therapist, defaults={"credentials": "PT, DPT"})
    maya = demo_patient("patient@demo.clinic")
    leo = demo_patient("patient2@demo.clinic")
    today = maya.clinic.today()

    achilles, _ = Episode.objects.get_or_create(
        patient=maya,
        label="Achilles tendinopathy, right",
        defaults={
            "icd10_code": "M76.61",
            "side": Episode.Side.RIGHT,
            "onset_date": today - dt.timedelta(days=60),
            "mechanism": "Gradual onset after adding hill repeats.",
            "created_by": therapist,
        },
    )
    if not Note.objects.filter(episode=achilles).exists():
        start = today - dt.timedelta(days=21)
        intake = _note(achilles, Note.Kind.INTAKE, start, MAYA_INTAKE, therapist)
        _outcome(intake, "nprs", {"pain": 5}, therapist)
        _outcome(intake, "lefs", {f"q{n}": v for n, v in enumerate(LEFS_INTAKE, 1)}, therapist)
        intake.sign(by=therapist)
        for offset, pain, text in [
            (14, 4, "Calf raises progressed to weighted; morning pain 3/10."),
            (7, 3, "Hill-free runs of 5 km comfortable; cadence 166 with metronome."),
        ]:
            day = today - dt.timedelta(days=offset)
            daily = _note(
                achilles,
                Note.Kind.DAILY,
                day,
                {
                    "main": {
                        "pain_now": pain,
                        "subjective": text,
                        "interventions": "Heavy slow resistance calf raises, cadence drills.",
                        "exercises_in_clinic": "Seated and standing calf raises 4x8.",
                        "response": "Tolerated well; no increase in pain next morning.",
                        "plan": "Continue loading; add hops when pain 2/10 or less.",
                        "time_in": "08:00",
                        "time_out": "08:45",
                    },
                    "minutes": DEMO_MINUTES,
                },
                therapist,
            )
            _outcome(daily, "nprs", {"pain": pain}, therapist)
            if offset == 7:
                _outcome(
                    daily, "lefs", {f"q{n}": v for n, v in enumerate(LEFS_LATER, 1)}, therapist
                )
            daily.sign(by=therapist)
    _goals(achilles, therapist, today)

    pfp, _ = Episode.objects.get_or_create(
        patient=leo,
        label="Patellofemoral pain, left",
        defaults={
            "icd10_code": "M22.2X2",
            "side": Episode.Side.LEFT,
            "onset_date": today - dt.timedelta(days=30),
            "mechanism": "Pain on stairs and long sits after marathon training.",
            "created_by": therapist,
        },
    )
    if not Note.objects.filter(episode=pfp).exists():
        _note(
            pfp,
            Note.Kind.INTAKE,
            today,
            {"main": {"nprs_now": 4, "pain_regions": ["front-knee-l"], "runs_per_week": 3}},
            therapist,
        )


def _goals(episode: Episode, therapist: User, today: dt.date) -> None:
    """Maya's plan of care: two goals linked to her questionnaires and one in words only."""
    if CareGoal.objects.filter(episode=episode).exists():
        return
    outcome = CareGoal.Measure.OUTCOME
    for term, text, code, target, direction, weeks in [
        (CareGoal.Term.SHORT, "Pain at most 2/10 on stairs", "nprs.pain", 2, "at_most", 3),
        (CareGoal.Term.LONG, "LEFS of 70 or more: back to hill runs", "lefs.total", 70, "", 8),
        (CareGoal.Term.LONG, "Run 30 min continuously, pain no higher than 2/10", "", None, "", 10),
    ]:
        CareGoal.objects.create(
            episode=episode,
            term=term,
            text=text,
            target_date=today + dt.timedelta(weeks=weeks),
            measure=outcome if code else "",
            measure_code=code,
            target_value=target,
            direction=direction or CareGoal.Direction.AT_LEAST,
            created_by=therapist,
        )
