"""Program PDFs on the web: who may download, the polled state, retry, and the portal link."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.documents import seed
from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from programs.home.queries import current_versions
from rehab_clinic.audit.models import AuditEvent
from tests.programs.documents.poppler import image_list, page_count, pdf_text

pytestmark = pytest.mark.django_db
State = ProgramDocument.State


@pytest.fixture
def ready_document(program: Any) -> ProgramDocument:
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token="t")
    document.refresh_from_db()
    return document


def _download(client: Any, user: Any, document: ProgramDocument) -> Any:
    """The patient's download is on the portal; the therapist's under /programs/documents/."""
    client.force_login(user)
    name = "portal_document_download" if user.is_patient else "document_download"
    return client.get(reverse(f"programs:{name}", args=[document.pk]))


def test_patient_downloads_own_pdf_as_an_uncached_attachment(
    client: Any, patient_user: Any, ready_document: ProgramDocument
) -> None:
    response = _download(client, patient_user, ready_document)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).get()
    assert (event.user, event.patient) == (patient_user, patient_user.patient)


@pytest.mark.parametrize(
    "intruder",
    ["second_patient_user", "other_patient_user", "other_therapist", "other_admin"],
)
def test_others_get_404_for_someone_elses_pdf(
    client: Any, request: Any, intruder: str, ready_document: ProgramDocument
) -> None:
    user = request.getfixturevalue(intruder)
    client.force_login(user)
    names = ("document_download", "document_state")
    if user.is_patient:
        names = ("portal_document_download", "portal_document_state")

    for name in names:
        response = client.get(reverse(f"programs:{name}", args=[ready_document.pk]))
        assert response.status_code == 404, (intruder, name)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_other_clinic_staff_cannot_retry_or_request(
    client: Any, other_therapist: Any, ready_document: ProgramDocument
) -> None:
    client.force_login(other_therapist)

    retry = client.post(reverse("programs:document_retry", args=[ready_document.pk]))
    make = client.post(reverse("programs:document_request", args=[ready_document.version_id]))

    assert (retry.status_code, make.status_code) == (404, 404)


def test_patients_cannot_press_retry(
    client: Any, patient_user: Any, ready_document: ProgramDocument
) -> None:
    client.force_login(patient_user)

    response = client.post(reverse("programs:document_retry", args=[ready_document.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("document_download", "portal_document_download"),
        ("document_state", "portal_document_state"),
    ],
)
def test_a_patient_on_the_old_document_paths_is_sent_to_the_portal(
    client: Any, patient_user: Any, ready_document: ProgramDocument, old: str, new: str
) -> None:
    """The therapist's paths answered the patient too before the portal had its own."""
    client.force_login(patient_user)

    response = client.get(reverse(f"programs:{old}", args=[ready_document.pk]))

    assert response.status_code == 301
    assert response["Location"] == reverse(f"programs:{new}", args=[ready_document.pk])
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


@pytest.mark.parametrize("user_fixture", ["therapist", "clinic_admin"])
def test_clinic_staff_download_their_patients_pdf(
    client: Any, request: Any, user_fixture: str, ready_document: ProgramDocument
) -> None:
    response = _download(client, request.getfixturevalue(user_fixture), ready_document)

    assert response.status_code == 200


def test_a_pdf_that_is_not_ready_is_not_downloadable(
    client: Any, patient_user: Any, program: Any
) -> None:
    document = ProgramDocument.objects.get(version__program=program)

    assert _download(client, patient_user, document).status_code == 404


def test_state_fragment_polls_while_pending_and_stops_when_ready(
    client: Any, patient_user: Any, program: Any
) -> None:
    document = ProgramDocument.objects.get(version__program=program)
    client.force_login(patient_user)
    url = reverse("programs:portal_document_state", args=[document.pk])

    pending = client.get(url).content.decode()
    generate_program_document(document.pk, token="t")
    ready = client.get(url).content.decode()

    assert 'hx-trigger="every 2s"' in pending
    assert f'hx-get="{url}"' in pending
    assert "queued" in pending
    assert 'hx-trigger="every 2s"' not in ready
    assert "Download as PDF" in ready
    assert reverse("programs:portal_document_download", args=[document.pk]) in ready


def test_therapist_sees_the_failure_and_retries(
    client: Any,
    therapist: Any,
    program: Any,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = ProgramDocument.objects.get(version__program=program)
    ProgramDocument.objects.filter(pk=document.pk).update(
        state=State.FAILED, error="Gave up after retries. OSError: disk full"
    )
    client.force_login(therapist)
    state_url = reverse("programs:document_state", args=[document.pk])

    failed = client.get(state_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("programs:document_retry", args=[document.pk]))

    assert "disk full" in failed
    assert "Try again" in failed
    assert retried.status_code == 200
    document.refresh_from_db()
    assert document.state == State.READY
    assert AuditEvent.objects.filter(detail="retry PDF rendering").exists()


def test_patient_sees_no_error_details_when_rendering_failed(
    client: Any, patient_user: Any, program: Any
) -> None:
    document = ProgramDocument.objects.get(version__program=program)
    ProgramDocument.objects.filter(pk=document.pk).update(state=State.FAILED, error="OSError")
    client.force_login(patient_user)

    url = reverse("programs:portal_document_state", args=[document.pk])
    html = client.get(url).content.decode()

    assert "OSError" not in html
    assert "Try again" not in html


def test_portal_links_the_pdf_only_when_a_document_exists(
    client: Any, patient_user: Any, program: Any
) -> None:
    client.force_login(patient_user)
    ProgramDocument.objects.all().delete()

    without = client.get(reverse("portal:home")).content.decode()
    document = ProgramDocument.objects.create(version=program.versions.get())
    generate_program_document(document.pk, token="t")
    with_pdf = client.get(reverse("portal:home")).content.decode()

    assert "Download as PDF" not in without
    assert "Print your program" not in without
    assert reverse("programs:portal_document_download", args=[document.pk]) in with_pdf


def test_episode_page_offers_to_make_a_missing_pdf(
    client: Any, therapist: Any, program: Any
) -> None:
    ProgramDocument.objects.all().delete()
    client.force_login(therapist)

    page = client.get(reverse("patients:episode", args=[program.episode_id])).content.decode()
    response = client.post(reverse("programs:document_request", args=[program.versions.get().pk]))

    assert "Make PDF" in page
    assert response.status_code == 200
    assert ProgramDocument.objects.filter(version__program=program).count() == 1


def test_maya_downloads_her_program_pdf_from_the_portal_after_seeding(
    client: Any, tmp_path: Path, eager_celery: None
) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seed.seed_demo()
    from patients.seed import demo_patient

    maya = demo_patient("patient@demo.clinic")
    client.force_login(maya.user)
    home = client.get(reverse("portal:home")).content.decode()
    (version,) = current_versions(maya)
    document = ProgramDocument.objects.get(version=version)
    link = reverse("programs:portal_document_download", args=[document.pk])
    assert link in home

    response = client.get(link)
    pdf = b"".join(response.streaming_content)

    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Maya Okafor" in text
    assert "Riverside Running Rehab" in text
    for item in version.snapshot["items"]:
        assert item["name"] in text
    drawn = [item for item in version.snapshot["items"] if item["illustration_svg"]]
    assert drawn
    assert len(image_list(pdf, tmp_path)) == len(drawn)
    assert page_count(pdf, tmp_path) == document.page_count >= 2
    # Seeding again renders nothing: the ready document is left as it is.
    seed.seed_demo()
    again = ProgramDocument.objects.get(pk=document.pk)
    assert (again.attempts, again.file.name) == (document.attempts, document.file.name)
