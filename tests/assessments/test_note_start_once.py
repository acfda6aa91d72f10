"""Starting a note a second time for the same visit opens the note already started: Back after
"New daily note", or a second tab, had made one unsigned note per tap, each waiting on Today."""

import datetime as dt

from django.urls import reverse

from assessments.models import Note
from assessments.services import save_note
from tests.builders import daily
from tests.factories import UserFactory


def _start(client, episode, kind="daily"):
    return client.post(reverse("assessments:note_start", args=[episode.pk, kind]), {"copy": "1"})


def test_a_second_start_opens_the_note_started_and_never_saved(client, episode, therapist):
    daily(episode, therapist, pain=5, day=dt.date(2026, 1, 7))
    client.force_login(therapist)
    first = _start(client, episode)
    second = _start(client, episode)
    started = Note.objects.filter(episode=episode, signed_at__isnull=True)
    assert started.count() == 1
    assert second.url == first.url == reverse("assessments:note_edit", args=[started.get().pk])
    page = client.get(second.url).content.decode()
    assert "You started this daily note today and have not saved it yet" in page


def test_a_saved_note_is_not_reopened_and_other_kinds_and_authors_get_their_own(
    client, episode, therapist, clinic
):
    client.force_login(therapist)
    _start(client, episode)
    note = Note.objects.get(episode=episode)
    save_note(note=note, content={"main": {"pain_now": 3}}, visit_date=note.visit_date,
              by=therapist, pain_now=3)  # fmt: skip
    _start(client, episode)  # a second visit's note the same day
    _start(client, episode, kind="progress")
    colleague = UserFactory(clinic=clinic)
    client.force_login(colleague)
    _start(client, episode)
    kinds = list(Note.objects.filter(episode=episode).values_list("kind", "author", "saved_at"))
    assert len(kinds) == 4
    assert sorted((kind, author) for kind, author, _ in kinds) == sorted(
        [("daily", therapist.pk), ("daily", therapist.pk), ("progress", therapist.pk),
         ("daily", colleague.pk)]
    )  # fmt: skip
