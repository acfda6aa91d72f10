"""The clinic's copy of a handout: the same pages with each dose in the therapist's shorthand,
downloaded by staff from the version page; the patient's copy keeps the plain words."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from exercises.models import Exercise
from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from programs.home import services as home_services
from programs.home.models import HomeProgram, ProgramVersion
from rehab_clinic.audit.models import AuditEvent
from tests.factories import ProgramExerciseFactory
from tests.programs.documents.poppler import pdf_text

pytestmark = pytest.mark.django_db

SHORTHAND = "3x15 ea, 2x/d, 7/wk, tempo 2-0-2"
PATIENT_WORDS = "slowly: 2 seconds down, 2 seconds up"


@pytest.fixture
def version(episode: Any, therapist: Any) -> ProgramVersion:
    program = home_services.create_home_program(episode=episode, by=therapist)
    exercise = ProgramExerciseFactory(
        name="Single-leg calf raise",
        sets=3,
        reps=15,
        times_per_day=2,
        days_per_week=7,
        tempo="2-0-2",
        side=Exercise.Side.EACH,
    )
    home_services.add_program_item(program=program, exercise=exercise, by=therapist)
    home_services.publish_home_program(program=program, by=therapist)
    return HomeProgram.objects.get(pk=program.pk).versions.get()


def _flat(pdf: bytes, tmp_path: Path) -> str:
    return " ".join(pdf_text(pdf, tmp_path).split())


def _clinic_copy(client: Any, user: Any, version: ProgramVersion) -> Any:
    client.force_login(user)
    return client.get(reverse("programs:clinic_copy", args=[version.pk]))


def test_the_clinic_copy_has_the_shorthand_and_not_the_patient_words(
    client: Any, therapist: Any, version: ProgramVersion, tmp_path: Path
) -> None:
    response = _clinic_copy(client, therapist, version)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "clinic-copy.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = _flat(b"".join(response.streaming_content), tmp_path)
    assert "Clinic copy" in text
    assert SHORTHAND in text
    assert PATIENT_WORDS not in text
    assert "3 sets of 15" not in text
    # Audited as a download of the patient's data, like the other document downloads.
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.user, event.patient) == (therapist, version.program.episode.patient)
    assert event.detail == "clinic copy"


def test_the_patients_copy_has_the_patient_words_and_not_the_shorthand(
    version: ProgramVersion, tmp_path: Path
) -> None:
    document = ProgramDocument.objects.get(version=version)
    generate_program_document(document.pk, token="t")
    document.refresh_from_db()

    text = _flat(document.file.read(), tmp_path)
    assert PATIENT_WORDS in text
    assert "3 sets of 15 (each side), twice a day" in text
    assert "3x15" not in text
    assert "Clinic copy" not in text


@pytest.mark.parametrize(
    "who", ["patient_user", "second_patient_user", "other_therapist", "other_admin"]
)
def test_patients_and_other_clinics_get_404(
    client: Any, request: Any, who: str, version: ProgramVersion
) -> None:
    response = _clinic_copy(client, request.getfixturevalue(who), version)

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_the_version_page_and_the_builder_link_the_clinic_copy(
    client: Any, therapist: Any, version: ProgramVersion
) -> None:
    client.force_login(therapist)
    link = reverse("programs:clinic_copy", args=[version.pk])
    page = client.get(reverse("programs:version", args=[version.program.pk, version.number]))
    builder = client.get(reverse("programs:builder", args=[version.program.pk]))

    assert link in page.content.decode()
    assert "Clinic copy (shorthand)" in page.content.decode()
    assert link in builder.content.decode()
