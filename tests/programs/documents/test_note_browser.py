"""In Chromium, on a desktop: "Print / send" on a signed note shows the PDF on its way, then a
download link, without reloading the page."""

from typing import Any

import pytest

from assessments.models import NoteDocument
from programs.documents.note_rendering import generate_note_document
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import intake

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_therapist_prints_a_signed_note_sees_it_on_its_way_and_downloads_it(
    page: Any, live_server: Any, login: Any, episode: Any, therapist: Any,
    eager_celery: None, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # Keep the PDF queued while the page shows it: the task is not run on commit here.
    monkeypatch.setattr("programs.documents.note_services._enqueue", lambda document_id: None)
    note = intake(episode, therapist, signed=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    login(page, therapist)
    page.goto(f"{live_server.url}/assessments/notes/{note.pk}/")
    page.get_by_role("button", name="Print / send").click()
    page.get_by_text("PDF queued").wait_for()
    assert_no_serious_axe_violations(page)

    generate_note_document(NoteDocument.objects.get(note=note).pk, token="browser-test")
    link = page.get_by_role("link", name="Download PDF")
    link.wait_for(timeout=8000)  # the fragment polls every 2 s

    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"initial-evaluation-{note.visit_date}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
