"""A document that kills its worker is not delivered again without end: after
DOCUMENT_MAX_ATTEMPTS starts it is failed, with words a person can act on, and a retry."""

from typing import Any

import pytest
from django.urls import reverse

from programs.documents.models import ProgramDocument
from programs.documents.rendering import claim_document, generate_program_document
from programs.documents.services import retry_program_document

pytestmark = pytest.mark.django_db
State = ProgramDocument.State


def _die_mid_render(document: ProgramDocument, times: int) -> None:
    """The same message, redelivered after each worker death, takes its claim back and dies."""
    for _ in range(times):
        assert claim_document(document.pk, token="message-1")


def test_a_document_started_the_maximum_times_is_failed_instead_of_rendered(
    program: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DOCUMENT_MAX_ATTEMPTS = 3
    document = ProgramDocument.objects.get(version__program=program)
    _die_mid_render(document, 3)
    from programs.documents import pdf

    monkeypatch.setattr(pdf, "render_program", lambda *a, **k: pytest.fail("rendered again"))

    outcome = generate_program_document(document.pk, token="message-1")

    document.refresh_from_db()
    assert (outcome.rendered, document.state, document.attempts) == (False, State.FAILED, 3)
    assert document.error.startswith("Stopped after 3 attempts: the print service stopped")
    assert (document.claimed_by, document.claimed_at) == ("", None)


def test_the_therapist_reads_the_error_and_a_retry_renders_it_with_fresh_attempts(
    program: Any, therapist: Any, client: Any, settings: Any, eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.DOCUMENT_MAX_ATTEMPTS = 2
    document = ProgramDocument.objects.get(version__program=program)
    _die_mid_render(document, 2)
    generate_program_document(document.pk, token="message-1")
    client.force_login(therapist)

    page = client.get(reverse("programs:document_state", args=[document.pk])).content.decode()
    assert "Stopped after 2 attempts" in page
    assert reverse("programs:document_retry", args=[document.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        assert retry_program_document(document=document, by=therapist)

    document.refresh_from_db()
    assert (document.state, document.attempts, document.error) == (State.READY, 1, "")


def test_below_the_limit_a_redelivered_message_still_renders(program: Any, settings: Any) -> None:
    settings.DOCUMENT_MAX_ATTEMPTS = 3
    document = ProgramDocument.objects.get(version__program=program)
    _die_mid_render(document, 2)

    outcome = generate_program_document(document.pk, token="message-1")

    document.refresh_from_db()
    assert (outcome.rendered, document.state, document.attempts) == (True, State.READY, 3)
