"""Demo charting: what the brief promises for Maya and Leo, and idempotence."""

import pytest
from django.core.management import call_command

from assessments.models import Note, OutcomeResponse
from patients.seed import demo_patient

pytestmark = pytest.mark.django_db


def _counts():
    return Note.objects.count(), OutcomeResponse.objects.count()


def test_seed_demo_charts_maya_and_leo_and_runs_twice_without_change():
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first

    maya = demo_patient("patient@demo.clinic")
    episode = maya.episodes.get(label="Achilles tendinopathy, right")
    assert episode.icd10_code == "M76.61"
    assert episode.is_active
    intake = Note.objects.get(episode=episode, kind=Note.Kind.INTAKE)
    assert intake.is_signed and intake.hash_matches()
    assert intake.content["main"]["cadence"] == 158
    scored = {r.instrument: r for r in intake.outcome_responses.all()}
    assert scored["lefs"].score("total") == 52
    assert scored["nprs"].score("pain") == 5
    dailies = Note.objects.filter(episode=episode, kind=Note.Kind.DAILY)
    assert dailies.count() == 2
    assert all(n.is_signed and n.hash_matches() for n in dailies)

    leo = demo_patient("patient2@demo.clinic")
    pfp = leo.episodes.get(label="Patellofemoral pain, left")
    leo_intake = Note.objects.get(episode=pfp, kind=Note.Kind.INTAKE)
    assert not leo_intake.is_signed
