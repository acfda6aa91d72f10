"""The patient's thread on the portal and the clinic's on the episode: sending (once, whatever
the number of clicks), the clinic's hours and urgent number above the box, the read markers,
read-only after discharge, photos served only to the thread's parties, reads audited."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from patients.services import discharge_episode
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.messaging.models import Message, Side, Thread
from rehab_clinic.messaging.services import send_message
from tests.builders import message_with_photo, photo_upload
from tests.factories import EpisodeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

KEY = "k" * 24


@pytest.fixture
def open_clinic(clinic: Any) -> Any:
    clinic.phone = "+1 555 0100"
    clinic.opening_hours = "Mon-Fri 8:00-18:00"
    clinic.save()
    return clinic


def test_the_portal_shows_the_current_episodes_thread_with_hours_and_urgent_number_above_box(
    client: Any, patient_user: Any, episode: Any, therapist: Any, open_clinic: Any
) -> None:
    send_message(episode=episode, by=therapist, body="How is the calf today?")
    client.force_login(patient_user)

    html = client.get(reverse("messaging:portal_thread")).content.decode()

    assert "How is the calf today?" in html
    assert "Mon-Fri 8:00-18:00" in html
    assert "For urgent problems call" in html
    assert "+1 555 0100" in html
    assert html.index("For urgent problems call") < html.index('name="body"')
    assert AuditEvent.objects.filter(
        user=patient_user, action=AuditEvent.Action.VIEW, object_id=str(episode.pk)
    ).exists()


def test_a_patient_sends_a_message_and_a_double_click_sends_it_once(
    client: Any, patient_user: Any, episode: Any
) -> None:
    client.force_login(patient_user)
    url = reverse("messaging:portal_send", args=[episode.pk])

    first = client.post(url, {"body": "Can I run on Sunday?", "submission_key": KEY})
    again = client.post(url, {"body": "Can I run on Sunday?", "submission_key": KEY})

    target = reverse("messaging:portal_episode_thread", args=[episode.pk])
    assert first["Location"] == again["Location"] == target
    assert list(Message.objects.values_list("body", "side")) == [
        ("Can I run on Sunday?", Side.PATIENT)
    ]
    assert "Can I run on Sunday?" in client.get(target).content.decode()


def test_an_empty_message_is_refused_beside_the_field_and_a_bad_photo_keeps_the_words(
    client: Any, patient_user: Any, episode: Any
) -> None:
    client.force_login(patient_user)
    url = reverse("messaging:portal_send", args=[episode.pk])

    empty = client.post(url, {"body": " "})
    gif = SimpleUploadedFile("x.gif", b"GIF89a" + b"0" * 64, content_type="image/gif")
    gif = client.post(url, {"body": "Look at this", "photo": gif})

    assert empty.status_code == 200
    assert "Write a message or add a photo." in empty.content.decode()
    assert gif.status_code == 200
    assert "GIF images are not accepted" in gif.content.decode()
    assert "Look at this" in gif.content.decode()
    assert not Message.objects.exists()


def test_a_photo_sent_with_a_message_is_served_to_the_thread_only(
    client: Any, patient_user: Any, episode: Any, therapist: Any, second_patient_user: Any,
    other_therapist: Any,
) -> None:  # fmt: skip
    client.force_login(patient_user)
    client.post(
        reverse("messaging:portal_send", args=[episode.pk]),
        {"body": "", "photo": photo_upload()},
    )
    message = Message.objects.get()
    assert message.photo

    own = client.get(reverse("messaging:portal_photo", args=[message.pk]))
    assert own.status_code == 200
    assert own["Content-Type"] == "image/jpeg"
    assert "sandbox" in own["Content-Security-Policy"]
    client.force_login(therapist)
    assert client.get(reverse("messaging:photo", args=[message.pk])).status_code == 200
    client.force_login(second_patient_user)
    assert client.get(reverse("messaging:portal_photo", args=[message.pk])).status_code == 404
    client.force_login(other_therapist)
    assert client.get(reverse("messaging:photo", args=[message.pk])).status_code == 404
    # The stored file has no public address: media is never served by URL.
    assert client.get("/" + message.photo.url.lstrip("/")).status_code == 404


def test_the_therapist_replies_on_the_thread_page_and_the_patient_sees_an_unread_count(
    client: Any, patient_user: Any, episode: Any, therapist: Any
) -> None:
    send_message(episode=episode, by=patient_user, body="Sore this morning")
    client.force_login(therapist)
    page = client.get(reverse("messaging:thread", args=[episode.pk])).content.decode()
    assert "Sore this morning" in page

    client.post(reverse("messaging:send", args=[episode.pk]), {"body": "Take two days off"})
    client.post(reverse("messaging:send", args=[episode.pk]), {"body": "Then 10 minutes easy"})

    client.force_login(patient_user)
    home = client.get(reverse("portal:home")).content.decode()
    assert 'href="/portal/messages/"' in home
    assert '>2<span class="visually-hidden"> unread</span>' in home
    last = Message.objects.filter(side=Side.CLINIC).last()
    client.post(reverse("messaging:portal_read", args=[episode.pk]), {"upto": str(last.pk)})
    home = client.get(reverse("portal:home")).content.decode()
    assert "unread</span>" not in home


def test_the_menu_count_compiled_once_counts_what_its_queryset_counts(
    patient_user: Any, second_patient_user: Any, episode: Any, therapist: Any
) -> None:
    """The portal menu's count runs SQL compiled once (accounts/prepared.py): the same number
    as the queryset it was compiled from, as messages arrive, are read, and for another patient
    or an archived one."""
    from rehab_clinic.messaging import queries  # local import: the module's private queryset

    other_episode = EpisodeFactory(patient=second_patient_user.patient)

    def both(user: Any) -> tuple[int, int]:
        return queries.patient_unread_count(user), queries._unread_by_patient(user).count()

    assert both(patient_user) == (0, 0)
    send_message(episode=episode, by=patient_user, body="Sore this morning")
    send_message(episode=episode, by=therapist, body="Take two days off")
    send_message(episode=episode, by=therapist, body="Then 10 minutes easy")
    send_message(episode=other_episode, by=therapist, body="Not yours")
    assert both(patient_user) == (2, 2)
    assert both(second_patient_user) == (1, 1)
    Thread.objects.filter(episode=episode).update(patient_read_at=dt.datetime.now(dt.UTC))
    assert both(patient_user) == (0, 0)
    send_message(episode=episode, by=therapist, body="And stretch")
    assert both(patient_user) == (1, 1)
    patient_user.patient.archived_at = dt.datetime.now(dt.UTC)
    patient_user.patient.save(update_fields=["archived_at"])
    assert both(patient_user) == (0, 0)


def test_opening_the_thread_writes_nothing_and_the_page_marks_it_read_with_a_post(
    client: Any, patient_user: Any, episode: Any, therapist: Any
) -> None:
    message = send_message(episode=episode, by=patient_user, body="Hello")
    client.force_login(therapist)
    page = client.get(reverse("messaging:thread", args=[episode.pk])).content.decode()
    thread = Thread.objects.get()
    assert thread.unread_for(Side.CLINIC)
    read_url = reverse("messaging:read", args=[episode.pk])
    assert f'hx-post="{read_url}"' in page
    assert 'hx-trigger="load"' in page

    answer = client.post(read_url, {"upto": str(message.pk)}, headers={"HX-Request": "true"})

    assert answer.status_code == 200
    thread.refresh_from_db()
    assert not thread.unread_for(Side.CLINIC)
    assert thread.unread_for(Side.PATIENT) is False


def test_after_discharge_the_box_is_replaced_by_a_note_and_a_post_is_refused(
    client: Any, patient_user: Any, episode: Any, therapist: Any
) -> None:
    send_message(episode=episode, by=patient_user, body="Before discharge")
    discharge_episode(episode=episode, on=dt.date(2026, 3, 1), reason="Goals met", by=therapist)

    client.force_login(patient_user)
    page = client.get(reverse("messaging:portal_thread")).content.decode()
    assert "Before discharge" in page
    assert 'name="body"' not in page
    assert "no new messages can be sent here" in page
    refused = client.post(
        reverse("messaging:portal_send", args=[episode.pk]), {"body": "Still there?"}, follow=True
    )
    assert "This episode of care is closed" in refused.content.decode()
    client.force_login(therapist)
    staff = client.get(reverse("messaging:thread", args=[episode.pk])).content.decode()
    assert 'name="body"' not in staff
    assert "no new messages can be sent here" in staff
    client.post(reverse("messaging:send", args=[episode.pk]), {"body": "Reply"})
    assert list(Message.objects.values_list("body", flat=True)) == ["Before discharge"]


def test_the_episode_page_shows_the_thread_with_a_reply_box(
    client: Any, patient_user: Any, episode: Any, therapist: Any
) -> None:
    send_message(episode=episode, by=patient_user, body="Question about the band")
    client.force_login(therapist)

    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()

    assert "Messages with the patient" in page
    assert "Question about the band" in page
    assert f'action="{reverse("messaging:send", args=[episode.pk])}"' in page


def test_a_patient_without_an_episode_sees_how_to_reach_the_clinic(
    client: Any, patient_user: Any, open_clinic: Any
) -> None:
    client.force_login(patient_user)
    page = client.get(reverse("messaging:portal_thread")).content.decode()
    assert "once they have opened your care" in page
    assert "+1 555 0100" in page


def test_an_earlier_episodes_thread_stays_readable_from_the_portal(
    client: Any, patient_user: Any, episode: Any, therapist: Any
) -> None:
    message_with_photo(episode, patient_user, body="Old question")
    discharge_episode(episode=episode, on=dt.date(2026, 3, 1), reason="Goals met", by=therapist)
    EpisodeFactory(patient=episode.patient, label="Hamstring strain")
    client.force_login(patient_user)

    page = client.get(reverse("messaging:portal_thread")).content.decode()
    assert "Hamstring strain" in page
    assert 'name="body"' in page
    earlier = reverse("messaging:portal_episode_thread", args=[episode.pk])
    assert f'href="{earlier}"' in page
    assert "Old question" in client.get(earlier).content.decode()


def test_the_clinic_admin_sets_the_hours_the_patient_sees_above_the_box(
    client: Any, clinic_admin: Any, clinic: Any, patient_user: Any, episode: Any
) -> None:
    client.force_login(clinic_admin)
    assert 'name="opening_hours"' in client.get(reverse("accounts:admin_home")).content.decode()
    client.post(
        reverse("accounts:admin_home"),
        {"name": clinic.name, "timezone": "UTC", "distance_unit": "km", "paper_size": "A4",
         "phone": "+1 555 0199", "opening_hours": "Mon-Sat 7:00-19:00"},
    )  # fmt: skip
    clinic.refresh_from_db()
    assert clinic.opening_hours == "Mon-Sat 7:00-19:00"

    client.force_login(patient_user)
    page = client.get(reverse("messaging:portal_thread")).content.decode()
    assert "Mon-Sat 7:00-19:00" in page
    assert "For urgent problems call" in page
    assert "+1 555 0199" in page


def test_the_urgent_number_is_a_link_a_phone_can_dial(clinic: Any) -> None:
    clinic.phone = "(555) 010-2040"
    assert clinic.phone_link == "tel:5550102040"
    clinic.phone = "+351 21 000 0000"
    assert clinic.phone_link == "tel:+351210000000"
    clinic.phone = "ask at the desk"
    assert clinic.phone_link == ""
