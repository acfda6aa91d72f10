"""Demo data for return to running; `programs.home.seed.seed_demo()` calls `seed_demo()` here.

Idempotent: protocols are matched by key, Maya's plan and gait prescription by episode.
The logs are replayed through the same services a runner uses, so the stage changes in the demo
are the ones the rule really makes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from patients.models import Episode
from patients.seed import demo_patient
from programs.running import gait_services, protocol_services, services
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.models import Protocol, ReturnToRunPlan
from rehab_clinic.accounts.models import Clinic, User

# (days before today, stage, pain during, pain after, next-morning pain, stiffness)
MAYA_RUNS = [
    (18, 1, 2, 1, 1, 1),
    (16, 1, 2, 2, 1, 1),
    (14, 2, 3, 2, 1, 1),
    (12, 2, 3, 3, 0, 1),
    (10, 3, 6, 5, 2, 2),  # above the 5/10 ceiling: the rule steps back and asks for a rest day
    (7, 2, 3, 2, 0, 1),
    (5, 2, 2, 2, 0, 0),
    (3, 3, 3, 3, 0, 0),
]


def seed_demo() -> None:
    for clinic in Clinic.objects.all():
        protocol_services.seed_protocols(clinic=clinic)
    _seed_maya()


@transaction.atomic
def _seed_maya() -> None:
    maya = demo_patient("patient@demo.clinic")
    dana = User.objects.get(email="therapist@demo.clinic")
    episode, _ = Episode.objects.get_or_create(
        patient=maya,
        label="Achilles tendinopathy, right",
        defaults={"icd10_code": "M76.61", "side": Episode.Side.RIGHT, "created_by": dana},
    )
    today = maya.clinic.today()
    maya_user = User.objects.get(email="patient@demo.clinic")
    if not ReturnToRunPlan.objects.filter(episode=episode).exists():
        _seed_plan(episode=episode, maya_user=maya_user, dana=dana, today=today)
    if not GaitRetrainingPrescription.objects.filter(episode=episode).exists():
        prescription = gait_services.create_gait_prescription(
            episode=episode,
            by=dana,
            baseline_cadence=158,
            increase_pct=Decimal("7.5"),
            cue_type=GaitRetrainingPrescription.Cue.METRONOME,
            cues="Quick, light steps\nLand with your foot under your hips\nRun quietly",
            baseline_notes="Heel strike with overstride on treadmill video at 10 km/h.",
        )
        for session in prescription.sessions.all()[:3]:
            gait_services.complete_gait_session(
                session=session, by=maya_user, on=today - dt.timedelta(days=9 - 3 * session.number)
            )


def _stamp_new_changes(plan: ReturnToRunPlan, moment: dt.datetime) -> None:
    """Date the stage changes the rule has just made (those later than `moment`) at it."""
    plan.changes.filter(created_at__gt=moment).update(created_at=moment)


def _seed_plan(*, episode: Episode, maya_user: User, dana: User, today: dt.date) -> None:
    protocol = Protocol.objects.get(clinic=episode.patient.clinic, key="time-walk-run-ladder")
    plan = services.create_plan(
        episode=episode, protocol=protocol, by=dana, started_on=today - dt.timedelta(days=20)
    )
    # Tendon pain may reach 5/10 during activity (Silbernagel 2007): this plan's own ceiling.
    services.customise_plan(
        plan=plan,
        by=dana,
        limits={"pain_during_max": 5, "pain_after_max": 5, "morning_pain_max": 2},
        stages=[],
    )
    services.set_readiness(
        plan=plan, by=dana, ticked=["walk_30", "heel_raises_20", "hops_pain_free", "pain_2"]
    )
    # Her last evaluation found 14 heel raises against the criterion's 20: Dana starts the
    # plan anyway, saying why (the override is on the plan and in the audit trail).
    services.start_plan(
        plan=plan,
        by=dana,
        override_reason=(
            "Heel raises 14/20 but pain-free and improving; walking 30 min and hopping pain-free. "
            "Start the ladder and retest heel raises in two weeks."
        ),
    )
    stages = {s.number: s for s in plan.stages.all()}
    zone = episode.patient.clinic.zone
    for days_ago, stage_number, during, after, morning, stiffness in MAYA_RUNS:
        run_day = today - dt.timedelta(days=days_ago)
        stage = stages[stage_number]
        # The services stamp what they write with the seed's own moment; Maya logged each run
        # that evening and checked in the next morning, and the chart's timeline says so.
        evening = dt.datetime.combine(run_day, dt.time(19, 0), zone)
        next_morning = dt.datetime.combine(run_day + dt.timedelta(days=1), dt.time(7, 30), zone)
        services.log_session(
            plan=plan,
            by=maya_user,
            today=run_day,
            values={
                "date": run_day,
                "stage_number": stage_number,
                "completed": True,
                "duration_minutes": stage.total_minutes,
                "run_minutes": stage.run_minutes * stage.repeats,
                "pain_during": during,
                "pain_after": after,
                "rpe": stage.rpe,
                "limp": False,
                "pain_built": during > 5,
                "notes": "Calf tight at the end." if during > 5 else "",
            },
        )
        plan.refresh_from_db()
        plan.logs.filter(date=run_day).update(created_at=evening)
        _stamp_new_changes(plan, evening)
        services.record_check_in(
            plan=plan,
            by=maya_user,
            today=run_day + dt.timedelta(days=1),
            values={
                "date": run_day + dt.timedelta(days=1),
                "pain": morning,
                "stiffness": stiffness,
                "notes": "",
            },
        )
        plan.refresh_from_db()
        plan.check_ins.filter(date=run_day + dt.timedelta(days=1)).update(created_at=next_morning)
        _stamp_new_changes(plan, next_morning)
        for change in plan.changes.filter(review="pending"):
            services.confirm_change(change=change, by=dana)
