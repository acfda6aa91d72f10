"""The one-click unsubscribe: a signed link that needs no sign-in; GET only asks, POST stops the
reminder emails (also the mail program's RFC 8058 POST, which has no CSRF token)."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rehab_clinic.reminders.models import ReminderSettings
from rehab_clinic.reminders.tokens import patient_id_from, unsubscribe_token
from tests.builders import reminders_on
from tests.test_get_writes_nothing import writes_in

pytestmark = pytest.mark.django_db


def _link(patient: Any) -> str:
    return reverse("reminders:unsubscribe", args=[unsubscribe_token(patient.pk)])


def test_the_get_of_the_unsubscribe_page_writes_nothing_and_asks(patient: Any) -> None:
    reminders_on(patient, exercise_on=True)
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(_link(patient))
    assert response.status_code == 200
    assert b"Stop reminder emails" in response.content
    assert writes_in(captured.captured_queries) == []
    assert ReminderSettings.objects.get(patient=patient).email_on


def test_the_one_click_post_needs_no_sign_in_and_no_csrf_token(patient: Any) -> None:
    reminders_on(patient, exercise_on=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post(_link(patient), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"no more reminder emails" in response.content
    settings = ReminderSettings.objects.get(patient=patient)
    assert not settings.email_on
    stopped = settings.email_stopped_at
    assert client.post(_link(patient)).status_code == 200  # a second click changes nothing
    assert ReminderSettings.objects.get(patient=patient).email_stopped_at == stopped


@pytest.mark.parametrize("token", ["x", "MQ:abc:def", "not-a-token"])
def test_a_link_not_made_by_us_is_not_found(patient: Any, token: str) -> None:
    reminders_on(patient, exercise_on=True)
    url = reverse("reminders:unsubscribe", args=[token])
    assert Client().get(url).status_code == 404
    assert Client().post(url).status_code == 404
    assert ReminderSettings.objects.get(patient=patient).email_on


def test_a_token_signed_for_something_else_is_refused(patient: Any) -> None:
    from django.core import signing  # local import: only this test signs with another salt

    forged = signing.Signer(salt="another.purpose").sign_object({"patient": patient.pk})
    assert patient_id_from(forged) is None
    assert patient_id_from(unsubscribe_token(patient.pk)) == patient.pk


def test_ticking_email_again_in_the_portal_resubscribes(patient: Any, patient_user: Any) -> None:
    reminders_on(patient, exercise_on=True)
    Client().post(_link(patient))
    client = Client()
    client.force_login(patient_user)
    page = client.get(reverse("reminders:portal_settings"))
    assert b"Reminder emails are stopped" in page.content
    reminders_on(patient, exercise_on=True, email_on=True)
    assert ReminderSettings.objects.get(patient=patient).email_on
