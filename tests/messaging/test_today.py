"""Unread threads on the therapist's Today: the one waiting longest first, gone once opened, at the
same number of queries for 2 threads as for 20."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients.hooks import registry
from rehab_clinic.messaging.models import Thread
from rehab_clinic.messaging.queries import unread_messages_queue
from rehab_clinic.messaging.services import mark_thread_read, send_message
from tests.factories import EpisodeFactory, make_patient_user

pytestmark = pytest.mark.django_db


def _writers(clinic: Any, therapist: Any, count: int) -> list[Any]:
    episodes = []
    for n in range(count):
        user = make_patient_user(clinic, last_name=f"Writer{n:02d}", primary_therapist=therapist)
        episode = EpisodeFactory(patient=user.patient)
        send_message(episode=episode, by=user, body=f"Question {n}")
        episodes.append(episode)
    return episodes


def test_unread_messages_is_a_queue_of_today_listing_the_oldest_waiting_first(
    client: Any, clinic: Any, therapist: Any
) -> None:
    first, _second = _writers(clinic, therapist, 2)
    # Writing again does not put the first writer behind the second: who waits longest is first.
    send_message(episode=first, by=first.patient.user, body="And another")
    client.force_login(therapist)

    page = client.get(reverse("patients:today")).content.decode()

    assert "messages" in registry.today
    assert 'data-queue="messages"' in page
    assert "Unread messages" in page
    section = page[page.index('data-queue="messages"') :]
    assert section.index("Writer00") < section.index("Writer01")
    assert "2 new messages" in section
    assert f'href="{reverse("messaging:thread", args=[first.pk])}"' in section
    assert "Question 0" not in page  # Today names who wrote, the thread shows what


def test_a_thread_leaves_the_queue_once_read_and_comes_back_with_a_new_message(
    clinic: Any, therapist: Any
) -> None:
    [episode] = _writers(clinic, therapist, 1)
    thread = Thread.objects.get(episode=episode)
    today = clinic.today()
    assert unread_messages_queue(therapist, today, 5).count == 1

    last = thread.messages.last()
    mark_thread_read(thread=thread, by=therapist, seen_until=last.created_at)
    assert unread_messages_queue(therapist, today, 5).count == 0

    send_message(episode=episode, by=therapist, body="Reply")
    assert unread_messages_queue(therapist, today, 5).count == 0
    send_message(episode=episode, by=episode.patient.user, body="Thanks")
    queue = unread_messages_queue(therapist, today, 5)
    assert queue.count == 1
    assert queue.items[0].title == "1 new message"


def test_another_clinics_or_therapists_threads_are_not_in_the_queue(
    clinic: Any, therapist: Any, other_therapist: Any
) -> None:
    _writers(clinic, therapist, 1)
    colleague = type(therapist).objects.create_user(
        "colleague@example.test", "x" * 20, full_name="Col", clinic=clinic, role=therapist.role
    )
    assert unread_messages_queue(other_therapist, clinic.today(), 5).count == 0
    assert unread_messages_queue(colleague, clinic.today(), 5).count == 0


def test_the_queue_reads_the_same_number_of_queries_and_only_what_it_shows(
    clinic: Any, therapist: Any
) -> None:
    _writers(clinic, therapist, 2)
    with CaptureQueriesContext(connection) as few:
        small = unread_messages_queue(therapist, clinic.today(), 5)
    _writers(clinic, therapist, 18)
    with CaptureQueriesContext(connection) as many:
        large = unread_messages_queue(therapist, clinic.today(), 5)

    assert len(few) == len(many) == 1  # the page and its count (`take`) in one query
    assert (small.count, large.count, len(large.items)) == (2, 20, 5)
    assert "LIMIT 5" in many.captured_queries[0]["sql"]
