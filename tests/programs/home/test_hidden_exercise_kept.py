"""A built-in exercise the clinic hides is "kept in programs that use it": a draft that holds it
still shows it in the builder, publishes it, and the printed handout prints it."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from exercises import services as library_services
from exercises.models import Exercise
from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from programs.home import services as home_services
from tests.factories import ProgramExerciseFactory
from tests.programs.documents.poppler import pdf_text

pytestmark = pytest.mark.django_db


def test_a_hidden_built_in_exercise_stays_in_the_draft_is_published_and_printed(
    client: Any, therapist: Any, clinic_admin: Any, episode: Any, tmp_path: Path
) -> None:
    shared = ProgramExerciseFactory(name="Shared wobble drill", clinic=None)
    program = home_services.create_home_program(episode=episode, by=therapist)
    home_services.add_program_item(program=program, exercise=shared, by=therapist)
    library_services.hide_exercise(exercise=shared, clinic=clinic_admin.clinic, by=clinic_admin)
    assert not Exercise.objects.visible_to(therapist).filter(pk=shared.pk).exists()

    client.force_login(therapist)
    builder = client.get(reverse("programs:builder", args=[program.pk])).content.decode()
    assert "Shared wobble drill" in builder
    client.post(reverse("programs:publish", args=[program.pk]))

    version = program.versions.get()
    assert [item["name"] for item in version.items] == ["Shared wobble drill"]
    document = ProgramDocument.objects.get(version=version)
    generate_program_document(document.pk, token="t")
    document.refresh_from_db()
    assert document.state == ProgramDocument.State.READY
    assert "Shared wobble drill" in " ".join(pdf_text(document.file.read(), tmp_path).split())
