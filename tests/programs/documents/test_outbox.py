"""A PDF is never lost to a broker outage: the intent to render is an outbox row committed with
the version, sent after commit, and sent again by the sweep; a stuck document offers a retry."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.documents.models import ProgramDocument
from programs.documents.services import TASK, delivery_of, request_program_document
from rehab_clinic.celery import app as celery_app
from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.models import OutboxMessage
from tests.builders import make_program
from tests.programs.documents.conftest import broker_back_up

pytestmark = pytest.mark.django_db
State = ProgramDocument.State


def _messages(document: ProgramDocument) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(task=TASK, args=[document.pk]).order_by("id"))


def _age(document: ProgramDocument, seconds: int) -> None:
    """Move the document's outbox rows `seconds` into the past."""
    past = timezone.now() - timedelta(seconds=seconds)
    OutboxMessage.objects.filter(key__endswith=f":{document.pk}").update(created_at=past)
    ProgramDocument.objects.filter(pk=document.pk).update(requested_at=past)


def test_publishing_while_redis_is_down_answers_normally_and_says_the_pdf_will_follow(
    episode: Any, therapist: Any, client: Any, broker_down: None,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    program = make_program(episode, therapist, items=2, publish=False)
    client.force_login(therapist)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:publish", args=[program.pk]))

    assert response.status_code == 302
    document = ProgramDocument.objects.get(version__program=program)
    assert document.state == State.QUEUED
    [message] = _messages(document)
    assert (message.send_count, message.sent_at, message.done_at) == (0, None, None)
    assert message.last_error.startswith("OperationalError")
    page = client.get(reverse("patients:episode", args=[episode.pk]))
    assert "PDF will be ready when the print service is back." in page.content.decode()


def test_the_sweep_renders_what_waited_for_redis_once_it_is_back(
    episode: Any, therapist: Any, broker_down: None, django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:  # fmt: skip
    settings.OUTBOX_SEND_GRACE = 0
    with django_capture_on_commit_callbacks(execute=True):
        program = make_program(episode, therapist, items=1)
    document = ProgramDocument.objects.get(version__program=program)
    assert outbox.sweep() == 0  # still down: nothing sent, nothing lost

    broker_back_up()
    assert outbox.sweep() == 1

    document.refresh_from_db()
    [message] = _messages(document)
    assert (document.state, document.attempts) == (State.READY, 1)
    assert message.done_at is not None
    assert outbox.sweep() == 0  # done: never sent again


def test_a_message_sent_but_lost_is_sent_again_only_after_the_resend_delay(
    program: Any, settings: Any, eager_celery: None, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    settings.OUTBOX_RESEND_AFTER = 300
    document = ProgramDocument.objects.get(version__program=program)
    [message] = _messages(document)
    # Handed to Redis, which then restarted empty: the row says sent, no worker ever ran it.
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now() - timedelta(seconds=200), send_count=1
    )
    assert outbox.sweep() == 0

    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now() - timedelta(seconds=301)
    )
    assert outbox.sweep() == 1

    message.refresh_from_db()
    assert (message.send_count, message.done_at is not None) == (2, True)
    assert ProgramDocument.objects.get(pk=document.pk).state == State.READY


def test_each_delivery_names_its_outbox_row_so_the_task_can_close_it(program: Any) -> None:
    [message] = _messages(ProgramDocument.objects.get(version__program=program))

    assert outbox.message_id(message) == f"outbox-{message.pk}-1"
    outbox.mark_done(f"outbox-{message.pk}-1")
    outbox.mark_done("a-task-id-from-elsewhere")

    message.refresh_from_db()
    assert message.done_at is not None


def test_enqueueing_an_unknown_task_is_refused() -> None:
    with pytest.raises(ValueError, match="No Celery task"):
        outbox.enqueue("programs.tasks.no_such_task", 1)


def test_a_queued_pdf_with_no_message_past_the_limit_shows_a_retry_that_works(
    episode: Any, therapist: Any, client: Any, broker_down: None, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        program = make_program(episode, therapist, items=1)
    document = ProgramDocument.objects.get(version__program=program)
    client.force_login(therapist)
    state_url = reverse("programs:document_state", args=[document.pk])
    retry_url = reverse("programs:document_retry", args=[document.pk])
    assert retry_url not in client.get(state_url).content.decode()  # not yet: just queued

    _age(document, settings.DOCUMENT_QUEUED_LIMIT + 1)
    assert delivery_of(document).stuck
    assert retry_url in client.get(state_url).content.decode()

    broker_back_up()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)

    assert response.status_code == 200
    assert ProgramDocument.objects.get(pk=document.pk).state == State.READY
    first, second = _messages(document)
    assert (first.last_error, second.send_count) == ("superseded", 1)


def test_the_request_endpoint_sends_a_stuck_document_again(
    episode: Any, therapist: Any, client: Any, broker_down: None, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        program = make_program(episode, therapist, items=1)
    version = program.versions.get()
    _age(ProgramDocument.objects.get(version=version), settings.DOCUMENT_QUEUED_LIMIT + 1)
    client.force_login(therapist)
    broker_back_up()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:document_request", args=[version.pk]))

    assert response.status_code == 200
    assert ProgramDocument.objects.get(version=version).state == State.READY


def test_asking_again_for_a_document_on_its_way_sends_nothing_more(program: Any) -> None:
    document = ProgramDocument.objects.get(version__program=program)

    request_program_document(version=program.versions.get())

    assert len(_messages(document)) == 1


def test_a_delivery_that_finds_the_pdf_claimed_elsewhere_leaves_its_message_pending(
    program: Any, eager_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    from programs.documents.rendering import claim_document

    document = ProgramDocument.objects.get(version__program=program)
    [message] = _messages(document)
    # A worker took it, then vanished with Redis: only a later send may finish it.
    assert claim_document(document.pk, token="a-dead-worker")

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.send(message.pk)

    message.refresh_from_db()
    assert (message.send_count, message.done_at) == (1, None)
    assert ProgramDocument.objects.get(pk=document.pk).state == State.RENDERING


def test_once_the_broker_is_found_down_the_next_publish_does_not_wait_for_it(
    episode: Any, therapist: Any, broker_down: None, django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        first = make_program(episode, therapist, items=1)
    tried: list[object] = []
    monkeypatch.setattr(
        celery_app.tasks[TASK], "apply_async", lambda *a, **k: tried.append(a) or None
    )

    with django_capture_on_commit_callbacks(execute=True):
        second = make_program(episode, therapist, items=1)

    assert tried == []
    for program in (first, second):
        [message] = _messages(ProgramDocument.objects.get(version__program=program))
        assert message.is_waiting_for_broker
    assert "moments ago" in message.last_error
