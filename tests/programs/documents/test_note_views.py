"""A note's PDF on the web: "Print / send" queues it, the polled state turns into a download (an
uncached attachment), a draft prints on demand, a broker outage loses nothing, and nobody but the
clinic's staff reaches any of it."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from assessments.models import Note, NoteDocument
from assessments.services import start_note
from programs.documents.note_rendering import generate_note_document
from programs.documents.note_services import NOTE_TASK
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.models import OutboxMessage
from tests.builders import intake
from tests.programs.documents.conftest import broker_back_up
from tests.programs.documents.poppler import pdf_text

pytestmark = pytest.mark.django_db
State = NoteDocument.State


@pytest.fixture
def signed(episode: Any, therapist: Any) -> Note:
    return intake(episode, therapist, signed=True)


@pytest.fixture
def draft(episode: Any, therapist: Any) -> Note:
    return start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)


def _request(client: Any, note: Note) -> Any:
    return client.post(reverse("programs:note_pdf_request", args=[note.pk]))


def test_print_send_queues_the_pdf_and_its_state_becomes_a_download(
    client: Any, therapist: Any, signed: Note
) -> None:
    client.force_login(therapist)
    panel = client.get(reverse("programs:note_pdf_panel", args=[signed.pk])).content.decode()
    assert "Print / send" in panel

    queued = _request(client, signed).content.decode()
    document = NoteDocument.objects.get(note=signed)
    assert "PDF queued" in queued
    assert reverse("programs:note_document_state", args=[document.pk]) in queued
    assert AuditEvent.objects.filter(detail="requested note PDF", user=therapist).exists()

    generate_note_document(document.pk, token="t")
    state = client.get(reverse("programs:note_document_state", args=[document.pk]))
    assert "Download PDF" in state.content.decode()
    assert "hx-trigger" not in state.content.decode()  # ready: no more polling

    response = client.get(reverse("programs:note_document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "initial-evaluation-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, user=therapist).exists()


def test_a_draft_prints_on_demand_with_its_watermark_and_is_never_queued(
    client: Any, therapist: Any, draft: Note, tmp_path: Path
) -> None:
    client.force_login(therapist)
    panel = client.get(reverse("programs:note_pdf_panel", args=[draft.pk])).content.decode()
    assert "Print draft (PDF)" in panel

    response = client.get(reverse("programs:note_draft_pdf", args=[draft.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="draft-daily-note-')
    assert "no-store" in response["Cache-Control"]
    assert "DRAFT" in pdf_text(b"".join(response.streaming_content), tmp_path)
    assert _request(client, draft).status_code == 404
    assert not NoteDocument.objects.exists()


def test_a_signed_note_has_no_draft_copy(client: Any, therapist: Any, signed: Note) -> None:
    client.force_login(therapist)
    assert client.get(reverse("programs:note_draft_pdf", args=[signed.pk])).status_code == 404


@pytest.mark.parametrize(
    "intruder", ["patient_user", "second_patient_user", "other_patient_user", "other_therapist"]
)
def test_patients_and_other_clinics_get_404_on_every_note_pdf_route(
    client: Any, request: Any, intruder: str, therapist: Any, signed: Note, draft: Note
) -> None:
    _request_as(client, therapist, signed)
    document = NoteDocument.objects.get(note=signed)
    generate_note_document(document.pk, token="t")
    client.force_login(request.getfixturevalue(intruder))

    answers = [
        client.get(reverse("programs:note_pdf_panel", args=[signed.pk])).status_code,
        _request(client, signed).status_code,
        client.get(reverse("programs:note_draft_pdf", args=[draft.pk])).status_code,
        client.get(reverse("programs:note_document_state", args=[document.pk])).status_code,
        client.get(reverse("programs:note_document_download", args=[document.pk])).status_code,
        client.post(reverse("programs:note_document_retry", args=[document.pk])).status_code,
    ]

    assert answers == [404] * 6


def _request_as(client: Any, user: Any, note: Note) -> None:
    client.force_login(user)
    assert _request(client, note).status_code == 200
    client.logout()


def test_a_pdf_asked_for_while_redis_is_down_waits_in_the_outbox_and_follows(
    client: Any, therapist: Any, signed: Note, broker_down: None, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.OUTBOX_SEND_GRACE = 0
    client.force_login(therapist)

    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, signed)

    assert response.status_code == 200
    document = NoteDocument.objects.get(note=signed)
    [message] = OutboxMessage.objects.filter(task=NOTE_TASK)
    assert message.sent_at is None
    assert message.last_error
    state = client.get(reverse("programs:note_document_state", args=[document.pk]))
    assert "PDF will be ready when the print service is back." in state.content.decode()

    broker_back_up()
    assert outbox.sweep() == 1
    document.refresh_from_db()
    assert document.state == State.READY
