"""A synthetic patient's history, written through the project's services (the sample).

What `seed_demo --patients N` gives every synthetic patient (docs/performance.md): an older
episode, evaluated and discharged; the current episode with an intake (NPRS and LEFS) and eight
weekly notes; a home program of 10 exercises and an ice modality, published twice, with 60
days of ticks; a return-to-run plan with 30 runs and 30 morning check-ins. The services write
the rows and their audit events; `copies.py` then copies the sample to the other patients.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from assessments import services as notes
from assessments.models import Note
from assessments.seed import LEFS_INTAKE, LEFS_LATER, MAYA_INTAKE
from exercises.models import Exercise, Modality
from patients import services as patient_services
from patients.models import Episode, Patient
from programs.home import services as programs
from programs.home.forms import ProgramItemForm
from programs.home.models import Completion, ProgramItem, ProgramVersion
from programs.home.queries import due_on
from programs.running import services as running
from programs.running.models import Protocol

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


@dataclass(frozen=True)
class Injury:
    label: str
    code: str
    region: str
    exercises: tuple[str, ...]


# Ten exercises each; the first three are daily (two of them twice a day), the rest 3-4 a week.
INJURIES = (
    Injury(
        "Achilles tendinopathy",
        "M76.6",
        "back-achilles",
        (
            "eccentric-heel-drop-straight", "eccentric-heel-drop-bent", "wall-soleus-stretch",
            "seated-calf-raise", "calf-raise-isometric", "single-leg-calf-raise", "glute-bridge",
            "side-plank", "band-clamshell", "foam-roll-calf",
        ),
    ),
    Injury(
        "Patellofemoral pain",
        "M22.2X",
        "front-knee",
        (
            "straight-leg-raise", "wall-sit", "standing-quad-stretch", "spanish-squat",
            "side-lying-hip-abduction", "band-lateral-walk", "step-up", "lateral-step-down",
            "glute-bridge", "foam-roll-quadriceps",
        ),
    ),
    Injury(
        "Iliotibial band syndrome",
        "M76.3",
        "side-knee",
        (
            "side-lying-hip-abduction", "clamshell", "standing-side-hip-stretch", "hip-hike",
            "single-leg-deadlift", "band-monster-walk", "side-plank", "single-leg-bridge",
            "copenhagen-plank", "foam-roll-glutes",
        ),
    ),
    Injury(
        "Plantar heel pain",
        "M72.2",
        "sole-heel",
        (
            "plantar-fascia-stretch", "short-foot", "wall-calf-stretch-straight-knee",
            "loaded-calf-raise-step", "towel-scrunch", "toe-yoga", "single-leg-stance",
            "seated-calf-raise", "glute-bridge", "ball-roll-foot",
        ),
    ),
)  # fmt: skip

OLDER_EPISODE_DAYS = 400
INTAKE_DAYS = 63
PLAN_DAYS = 45
TICK_DAYS = 60


def _today(patient: Patient) -> dt.date:
    return patient.clinic.today()


def _episode(patient: Patient, injury: Injury, side: str, onset: dt.date, by: User) -> Episode:
    suffix = "" if injury.code == "M72.2" else ("1" if side == Episode.Side.RIGHT else "2")
    episode = Episode(
        label=f"{injury.label}, {side}",
        icd10_code=(injury.code + suffix)[:8],
        side=side,
        onset_date=onset,
        mechanism="Gradual onset after a block of harder training.",
    )
    return patient_services.save_episode(episode=episode, patient=patient, by=by)


def _signed(
    episode: Episode, kind: str, day: dt.date, content: dict[str, Any], by: User, **score: Any
) -> Note:
    note = notes.start_note(episode=episode, kind=kind, by=by)
    notes.save_note(note=note, content=content, visit_date=day, by=by, **score)
    return notes.sign_note(note=note, by=by)


def _lefs(answers: list[int]) -> dict[str, dict[str, int]]:
    return {"lefs": {f"q{n}": v for n, v in enumerate(answers, 1)}}


def _intake_content(injury: Injury, side: str, pain: int) -> dict[str, Any]:
    main = dict(MAYA_INTAKE["main"])
    main |= {
        "nprs_now": pain,
        "pain_regions": [f"{injury.region}-{side[0]}"],
        "diagnosis": f"{injury.label}, {side}",
    }
    return {**MAYA_INTAKE, "main": main}


def _weekly(week: int, pain: int) -> dict[str, Any]:
    return {
        "main": {
            "pain_now": pain,
            "subjective": f"Week {week}: loading going well; pain {pain}/10 after runs.",
            "interventions": "Progressive loading, cadence drills, education on load.",
            "exercises_in_clinic": "Loading exercises 4x8, single-leg balance.",
            "response": "Tolerated well; no increase in pain next morning.",
            "plan": "Continue loading; progress the run plan as the rule allows.",
        }
    }


def build_history(patient: Patient, *, index: int, seed: int) -> None:
    """One patient's whole history through the services (by their therapist and themselves)."""
    rng = random.Random(seed * 1000 + index)
    therapist = patient.primary_therapist
    runner = patient.user
    if therapist is None or runner is None:
        raise ValueError(f"{patient} needs a therapist and a portal account first")
    today = _today(patient)
    injury = INJURIES[index % len(INJURIES)]
    side = rng.choice([Episode.Side.LEFT, Episode.Side.RIGHT])

    older = _episode(
        patient, INJURIES[(index + 1) % len(INJURIES)], side,
        today - timedelta(days=OLDER_EPISODE_DAYS + 20), therapist,
    )  # fmt: skip
    first = today - timedelta(days=OLDER_EPISODE_DAYS)
    _signed(older, Note.Kind.INTAKE, first, _intake_content(injury, side, 6), therapist,
            pain_now=6, outcomes=_lefs(LEFS_INTAKE))  # fmt: skip
    _signed(older, Note.Kind.DISCHARGE, first + timedelta(days=56), _weekly(8, 1), therapist,
            pain_now=1, outcomes=_lefs(LEFS_LATER))  # fmt: skip
    patient_services.discharge_episode(
        episode=older, on=first + timedelta(days=56), reason="Goals met", by=therapist
    )

    current = _episode(patient, injury, side, today - timedelta(days=INTAKE_DAYS + 14), therapist)
    intake_day = today - timedelta(days=INTAKE_DAYS)
    pain = rng.randrange(4, 8)
    _signed(current, Note.Kind.INTAKE, intake_day, _intake_content(injury, side, pain), therapist,
            pain_now=pain, outcomes=_lefs(LEFS_INTAKE))  # fmt: skip
    for week in range(1, 9):
        pain = max(0, pain - rng.choice([0, 0, 1]))
        kind = Note.Kind.PROGRESS if week in (4, 8) else Note.Kind.DAILY
        extra = _lefs(LEFS_LATER) if kind == Note.Kind.PROGRESS else None
        _signed(current, kind, intake_day + timedelta(days=7 * week), _weekly(week, pain),
                therapist, pain_now=pain, outcomes=extra)  # fmt: skip

    _program(current, injury, therapist, today)
    _plan(current, therapist, runner, today, rng)


def _program(episode: Episode, injury: Injury, therapist: User, today: dt.date) -> None:
    program = programs.create_home_program(episode=episode, by=therapist)
    program.title = f"{injury.label}, loading"
    program.save(update_fields=["title"])
    visible = {e.slug: e for e in Exercise.objects.visible_to(therapist)}
    items = []
    for n, slug in enumerate(s for s in injury.exercises if s in visible):
        item = programs.add_program_item(program=program, exercise=visible[slug], by=therapist)
        days = 7 if n < 3 else (4 if n % 2 else 3)
        items.append(_dose(item, therapist, times_per_day=2 if n < 2 else 1, days_per_week=days))
    ice = Modality.objects.visible_to(therapist).filter(home_use=True).first()
    if ice is not None:
        programs.add_program_modality(
            program=program, modality=ice, instructions="After each run, 15 minutes.", by=therapist
        )
    first = programs.publish_home_program(program=program, by=therapist)
    for item in items[3:6]:  # the second version: more sets for the loading exercises
        _dose(item, therapist, sets=min(10, item.sets + 1))
    second = programs.publish_home_program(program=program, by=therapist)
    zone = episode.patient.clinic.zone
    for version, days in ((first, TICK_DAYS), (second, TICK_DAYS // 2)):
        ProgramVersion.objects.filter(pk=version.pk).update(
            published_at=datetime.combine(today - timedelta(days=days), time(9), zone)
        )
    _ticks(episode.patient, first, second, today)


def _dose(item: ProgramItem, therapist: User, **changes: Any) -> ProgramItem:
    """Change a dose through the builder's form and service, as a therapist would."""
    form = ProgramItemForm(instance=item)
    values = item.dosage() | changes
    data = {form.add_prefix(name): values[name] for name in form.fields}
    form = ProgramItemForm({k: "" if v is None else v for k, v in data.items()}, instance=item)
    if not form.is_valid():
        raise ValueError(f"Sample dose refused: {form.errors.as_text()}")
    return programs.save_program_item(
        item=form.save(commit=False), changed=form.changed_data, by=therapist
    )


def _ticks(patient: Patient, first: ProgramVersion, second: ProgramVersion, today: dt.date) -> None:
    """60 days of ticks, fewer as the weeks go by (adherence falls from about 90 % to 60 %)."""
    rng = random.Random(patient.pk)
    zone = patient.clinic.zone
    rows = []
    for back in range(TICK_DAYS, 0, -1):
        version = first if back > TICK_DAYS // 2 else second
        day = today - timedelta(days=back)
        keep = 0.6 + 0.3 * back / TICK_DAYS
        for entry in due_on([version], day, {}):
            for session, _ in entry.sessions:
                if rng.random() < keep:
                    rows.append(
                        Completion(
                            program_id=version.program_id,
                            version=version,
                            patient=patient,
                            item_key=entry.item["key"],
                            day=day,
                            session=session,
                            recorded_at=datetime.combine(day, time(7 + 10 * (session - 1)), zone),
                            recorded_by=patient.user,
                        )
                    )
    Completion.objects.bulk_create(rows)


def _plan(
    episode: Episode, therapist: User, runner: User, today: dt.date, rng: random.Random
) -> None:
    protocol = Protocol.objects.get(clinic=episode.patient.clinic, key="time-walk-run-ladder")
    start = today - timedelta(days=PLAN_DAYS)
    plan = running.create_plan(episode=episode, protocol=protocol, by=therapist, started_on=start)
    running.set_readiness(plan=plan, by=therapist, ticked=["walk_30", "pain_2"])
    running.start_plan(plan=plan, by=therapist, override_reason="Pain-free walking; start slowly.")
    for run in range(30):
        day = start + timedelta(days=run * 3 // 2)
        plan.refresh_from_db()
        stage = plan.stages.get(number=plan.current_stage)
        during = rng.choice([1, 1, 2, 2, 2, 3, 3]) if run % 11 != 7 else 5
        running.log_session(
            plan=plan,
            by=runner,
            today=day,
            values={
                "date": day,
                "stage_number": stage.number,
                "completed": True,
                "duration_minutes": stage.total_minutes,
                "run_minutes": stage.run_minutes * stage.repeats,
                "pain_during": during,
                "pain_after": max(0, during - rng.choice([0, 1])),
                "rpe": stage.rpe,
                "limp": False,
                "pain_built": during >= 5,
                "notes": "",
            },
        )
        morning = day + timedelta(days=1)
        running.record_check_in(
            plan=plan,
            by=runner,
            today=morning,
            values={"date": morning, "pain": min(during, rng.choice([0, 1, 1, 2])),
                    "stiffness": rng.choice([0, 1, 1, 2]), "notes": ""},
        )  # fmt: skip
        for change in plan.changes.filter(review="pending"):
            running.confirm_change(change=change, by=therapist)
