"""Demo home programs, called by `manage.py seed_demo` after the library and patients exist.

Idempotent: a demo program is recognised by its episode and title and never created twice.
"""

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction

from exercises.models import Exercise, Modality
from patients.models import Episode, Patient
from programs.home import services, template_services
from programs.home.models import Completion, HomeProgram, ProgramTemplate, ProgramVersion
from programs.home.queries import due_on
from rehab_clinic.accounts.models import User

# (slug, dosage overrides). Doses follow DOMAIN.md §4 where it gives one.
MAYA_ITEMS: list[tuple[str, dict[str, Any]]] = [
    ("eccentric-heel-drop-straight", {"sets": 3, "reps": 15, "times_per_day": 2}),
    ("eccentric-heel-drop-bent", {"sets": 3, "reps": 15, "times_per_day": 2}),
    ("seated-calf-raise", {"sets": 3, "reps": 15, "tempo": "3-0-3", "days_per_week": 3}),
    ("calf-raise-isometric", {"sets": 5, "reps": None, "hold_seconds": 30, "days_per_week": 4}),
    ("wall-soleus-stretch", {"sets": 3, "reps": None, "hold_seconds": 30}),
    ("foam-roll-calf", {"sets": 1, "reps": None, "hold_seconds": 60}),
    ("glute-bridge", {"sets": 3, "reps": 12, "days_per_week": 3}),
    ("side-plank", {"sets": 3, "reps": None, "hold_seconds": 20, "days_per_week": 3}),
    ("band-clamshell", {"sets": 3, "reps": 15, "load": "green band", "days_per_week": 3}),
]
LEO_ITEMS: list[tuple[str, dict[str, Any]]] = [
    ("straight-leg-raise", {"sets": 3, "reps": 12}),
    ("wall-sit", {"sets": 4, "reps": None, "hold_seconds": 30, "days_per_week": 4}),
    ("spanish-squat", {"sets": 3, "reps": 10, "tempo": "3-1-3", "days_per_week": 3}),
    ("side-lying-hip-abduction", {"sets": 3, "reps": 15, "days_per_week": 4}),
    ("band-lateral-walk", {"sets": 3, "reps": 12, "load": "red band", "days_per_week": 3}),
    ("foam-roll-quadriceps", {"sets": 1, "reps": None, "hold_seconds": 60}),
    ("standing-quad-stretch", {"sets": 3, "reps": None, "hold_seconds": 30}),
]
MAYA_TITLE = "Achilles loading, phase 1"
LEO_TITLE = "Patellofemoral pain, phase 1"
ICE_TEXT = (
    "Ice the back of the right heel for 15 minutes after each run, with a cloth under the pack."
)


def _pick(
    therapist: User, wanted: list[tuple[str, dict[str, Any]]], minimum: int
) -> list[tuple[Exercise, dict[str, Any]]]:
    """The wanted library exercises; any missing are replaced from other categories."""
    visible = list(Exercise.objects.visible_to(therapist).order_by("category", "name"))
    by_slug = {exercise.slug: exercise for exercise in visible if exercise.clinic_id is None}
    picked = [(by_slug[slug], dose) for slug, dose in wanted if slug in by_slug]
    used = {exercise.pk for exercise, _ in picked}
    categories = {exercise.category for exercise, _ in picked}
    for exercise in visible:
        if len(picked) >= minimum and len(categories) >= 4:
            break
        if exercise.pk not in used and exercise.category not in categories:
            picked.append((exercise, {}))
            used.add(exercise.pk)
            categories.add(exercise.category)
    return picked


def _build(
    *,
    episode: Episode,
    therapist: User,
    title: str,
    wanted: list[tuple[str, dict[str, Any]]],
    minimum: int,
    days_ago: int,
    ice: bool = False,
) -> HomeProgram | None:
    existing = HomeProgram.objects.filter(episode=episode, title=title).first()
    if existing is not None:
        return existing
    picked = _pick(therapist, wanted, minimum)
    if len(picked) < minimum:
        return None  # The library is not loaded: nothing sensible to prescribe.
    program = services.create_home_program(episode=episode, by=therapist)
    program.title = title
    program.note_to_patient = (
        "Some discomfort during the exercises is fine. If pain is worse the next morning, "
        "do the next session lighter and tell me at your next visit."
    )
    program.save(update_fields=["title", "note_to_patient"])
    for exercise, dose in picked:
        item = services.add_program_item(program=program, exercise=exercise, by=therapist)
        for field, value in dose.items():
            setattr(item, field, value)
        item.save()
    home = Modality.objects.visible_to(therapist).filter(home_use=True)
    cold_pack = home.filter(slug="cold-pack").first() or home.first()
    if ice and cold_pack is not None:
        services.add_program_modality(
            program=program, modality=cold_pack, instructions=ICE_TEXT, by=therapist
        )
    version = services.publish_home_program(program=program, by=therapist)
    published = datetime.combine(
        version.published_at.date() - timedelta(days=days_ago),
        time(9, 0),
        episode.patient.clinic.zone,
    )
    # Demo history: the version reads as published some days ago.
    ProgramVersion.objects.filter(pk=version.pk).update(published_at=published)
    HomeProgram.objects.filter(pk=program.pk).update(updated_at=published)
    return program


def _ticks(program: HomeProgram, *, days: int, skip_last: int, miss_rate: float, seed: int) -> None:
    if program.completions.exists():
        return
    version = program.versions.order_by("-number").first()
    if version is None:
        return
    patient = program.episode.patient
    zone = patient.clinic.zone
    today = patient.clinic.today()
    rng = random.Random(seed)
    rows = []
    for back in range(days, skip_last, -1):
        day = today - timedelta(days=back)
        if rng.random() < miss_rate / 2:
            continue  # a whole day missed
        for entry in due_on([version], day, {}):
            for session, _ in entry.sessions:
                if rng.random() < miss_rate:
                    continue
                rows.append(
                    Completion(
                        program=program,
                        version=version,
                        patient=patient,
                        item_key=entry.item["key"],
                        day=day,
                        session=session,
                        recorded_at=datetime.combine(day, time(7 + 10 * (session - 1), 30), zone),
                        recorded_by=patient.user,
                    )
                )
    Completion.objects.bulk_create(rows, ignore_conflicts=True)


def _template(program: HomeProgram, therapist: User, name: str) -> None:
    clinic = program.episode.patient.clinic
    if not ProgramTemplate.objects.filter(clinic=clinic, name=name).exists():
        template_services.save_as_template(program=program, name=name, by=therapist)


@transaction.atomic
def seed_demo() -> None:
    dana = User.objects.filter(email="therapist@demo.clinic").first()
    maya = Patient.objects.filter(user__email="patient@demo.clinic").first()
    leo = Patient.objects.filter(user__email="patient2@demo.clinic").first()
    if dana is None or maya is None or leo is None:
        return
    maya_episode = Episode.objects.filter(
        patient=maya, label="Achilles tendinopathy, right"
    ).first()
    leo_episode = Episode.objects.filter(patient=leo, label="Patellofemoral pain, left").first()
    if maya_episode is not None:
        program = _build(
            episode=maya_episode,
            therapist=dana,
            title=MAYA_TITLE,
            wanted=MAYA_ITEMS,
            minimum=8,
            days_ago=15,
            ice=True,
        )
        if program is not None:
            _ticks(program, days=14, skip_last=0, miss_rate=0.15, seed=7)
            _template(program, dana, "Achilles tendinopathy, loading phase 1")
    if leo_episode is not None:
        program = _build(
            episode=leo_episode,
            therapist=dana,
            title=LEO_TITLE,
            wanted=LEO_ITEMS,
            minimum=6,
            days_ago=10,
        )
        if program is not None:
            # Leo stopped a few days ago: he shows on Dana's "needs attention" panel.
            _ticks(program, days=10, skip_last=4, miss_rate=0.25, seed=11)
            _template(program, dana, LEO_TITLE)
