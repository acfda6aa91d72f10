"""A clinical note's PDF, read back with poppler: every note type carries the letterhead, the
patient's identifiers, the note, the signature line in the clinic's zone, its addenda and
"Page N of M"; a draft is marked DRAFT."""

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import Note, NoteDocument
from assessments.services import add_addendum, record_outcome, save_note, sign_note, start_note
from programs.documents.fetcher import RestrictedFetcher
from programs.documents.note_print import printout_of, render_note
from programs.documents.note_rendering import generate_note_document, render_note_now
from programs.documents.note_services import request_note_document
from programs.documents.pdf import render_html
from tests.builders import LEFS_50
from tests.factories import SignerCredentialsFactory
from tests.programs.documents.poppler import page_count, pdf_text

pytestmark = pytest.mark.django_db

ZONE = "America/Chicago"
KINDS = [kind for kind, _ in Note.Kind.choices]
# A free-text field of each note type's form, to find the note's own words in the PDF.
WORDS_FIELD = {"intake": "aggravating", "discharge": "summary"}


@pytest.fixture
def clinic(clinic: Any) -> Any:
    clinic.address = "12 River Road\nSpringfield"
    clinic.phone = "555 0100"
    clinic.timezone = ZONE
    clinic.save()
    return clinic


@pytest.fixture
def signer(therapist: Any) -> Any:
    SignerCredentialsFactory(user=therapist, credentials="PT, DPT, OCS")
    return therapist


def _note(episode: Any, by: Any, kind: str, *, signed: bool = True) -> Note:
    note = start_note(episode=episode, kind=kind, by=by)
    note = save_note(
        note=note,
        content={"main": {WORDS_FIELD.get(kind, "subjective"): "Calf pain after long runs eases"}},
        visit_date=dt.date(2026, 2, 10),
        by=by,
        pain_now=3,
    )
    record_outcome(episode=episode, instrument_code="lefs", answers=LEFS_50, by=by, note=note)
    if signed:
        note = sign_note(note=note, by=by)
    return note


def _text(note: Note, tmp_path: Path) -> tuple[str, bytes]:
    pdf = render_note_now(note).data
    return " ".join(pdf_text(pdf, tmp_path).split()), pdf


@pytest.mark.parametrize("kind", KINDS)
def test_each_note_type_prints_letterhead_identifiers_signature_addenda_and_page_numbers(
    kind: str, episode: Any, signer: Any, clinic_admin: Any, tmp_path: Path
) -> None:
    note = _note(episode, signer, kind)
    add_addendum(
        note=note, by=signer, kind="addendum", reason="Clarify dose", text="Two sets, not three."
    )
    patient = episode.patient
    note.refresh_from_db()

    text, pdf = _text(note, tmp_path)

    local = timezone.localtime(note.signed_at, ZoneInfo(ZONE))
    for words in (
        "Riverside Test Clinic",
        "12 River Road",
        "Phone 555 0100",
        patient.full_name,
        f"Record number {patient.mrn}",
        patient.date_of_birth.strftime("%-d %B %Y"),
        note.get_kind_display(),
        "Date of service 10 February 2026",
        "Calf pain after long runs eases",
        f"Electronically signed by {signer.full_name}, PT, DPT, OCS on",
        f"{local:%d %B %Y, %H:%M} {local.tzname()} ({ZONE})",
        f"Addendum by {signer.full_name}, PT, DPT, OCS",
        "Clarify dose",
        "Two sets, not three.",
        "Page 1 of",
    ):
        assert words in text, words
    pages = page_count(pdf, tmp_path)
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    assert "DRAFT" not in text
    # The addenda come after the note and its signature.
    assert text.index("Electronically signed") < text.index("Clarify dose")


def test_a_note_with_outcomes_prints_its_scores_and_chart(
    episode: Any, signer: Any, tmp_path: Path
) -> None:
    note = _note(episode, signer, Note.Kind.INTAKE)

    printout = printout_of(note)
    text, _ = _text(note, tmp_path)

    assert "Outcome measures" in text
    assert "LEFS" in text
    assert [label for label, _ in printout.charts]
    assert all(uri.startswith("data:image/svg+xml;base64,") for _, uri in printout.charts)


def test_a_draft_prints_with_a_draft_watermark_and_no_signature(
    episode: Any, signer: Any, tmp_path: Path
) -> None:
    note = _note(episode, signer, Note.Kind.DAILY, signed=False)

    text, _ = _text(note, tmp_path)

    assert "DRAFT" in text
    assert "Electronically signed" not in text
    assert "not signed" in text


def test_the_render_fetches_nothing_outside_the_allow_list(episode: Any, signer: Any) -> None:
    note = _note(episode, signer, Note.Kind.DAILY)
    printout = printout_of(note)
    fetcher = RestrictedFetcher(media_names=[])

    # render_note builds its own fetcher; this one, given the same markup, refuses nothing.
    html = render_to_string("pdf/note.html", {"note": printout})
    render_html(html, paper_size="A4", fetcher=fetcher)
    assert not fetcher.refused
    assert render_note(printout).data.startswith(b"%PDF-")


def test_the_signed_notes_pdf_is_queued_rendered_and_rendered_again_after_an_addendum(
    episode: Any, signer: Any, eager_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    note = _note(episode, signer, Note.Kind.PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        document = request_note_document(note=note, by=signer)
    document.refresh_from_db()
    assert document.state == NoteDocument.State.READY
    first = document.checksum

    with django_capture_on_commit_callbacks(execute=True):
        again = request_note_document(note=note, by=signer)
    assert again.pk == document.pk
    again.refresh_from_db()
    assert again.checksum == first  # nothing changed: not rendered again

    add_addendum(note=note, by=signer, kind="late_entry", reason="Late", text="Phoned the GP.")
    with django_capture_on_commit_callbacks(execute=True):
        request_note_document(note=note, by=signer)
    document.refresh_from_db()
    assert document.state == NoteDocument.State.READY
    assert document.checksum != first


def test_a_second_delivery_of_the_same_message_renders_nothing(episode: Any, signer: Any) -> None:
    note = _note(episode, signer, Note.Kind.DISCHARGE)
    document = NoteDocument.objects.create(note=note, requested_by=signer)

    assert generate_note_document(document.pk, token="a").rendered
    assert not generate_note_document(document.pk, token="b").rendered
