"""In Chromium: the PDF state updates in place (htmx polling), the download works, and a PDF
waiting for the print service says so and can be retried."""

from typing import Any

import pytest

from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_program
from tests.programs.documents.conftest import broker_back_up

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_patient_sees_the_pdf_become_ready_without_reloading_and_downloads_it(
    page: Any, live_server: Any, login: Any, patient_user: Any, episode: Any, therapist: Any,
    eager_celery: None, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # Keep the document queued while the page loads: the task is not run on commit here.
    monkeypatch.setattr("programs.documents.services._enqueue", lambda document_id: None)
    program = make_program(episode, therapist, items=2)
    document = ProgramDocument.objects.get(version__program=program)

    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/")
    page.get_by_text("PDF queued").wait_for()
    assert_no_serious_axe_violations(page)
    generate_program_document(document.pk, token="browser-test")
    link = page.get_by_role("link", name="Download as PDF")
    link.wait_for(timeout=8000)  # the fragment polls every 2 s

    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_therapist_sees_the_pdf_wait_for_the_print_service_and_retries_it(
    page: Any, live_server: Any, login: Any, episode: Any, therapist: Any, settings: Any,
    broker_down: None,
) -> None:  # fmt: skip
    settings.DOCUMENT_QUEUED_LIMIT = 2
    make_program(episode, therapist, items=1)  # commits; its send fails: Redis is down

    login(page, therapist)
    page.goto(f"{live_server.url}/patients/episodes/{episode.pk}/")
    page.get_by_text("PDF will be ready when the print service is back.").wait_for()
    assert_no_serious_axe_violations(page)
    retry = page.get_by_role("button", name="Try again")
    retry.wait_for(timeout=8000)  # queued past the limit: the poll brings the button

    broker_back_up()
    retry.click()
    page.get_by_role("link", name="Download as PDF").wait_for(timeout=8000)
