"""A request carrying a session key that a sign-in step has since rotated must not delete the
browser's new cookie (it signed a patient out right after their second factor); signing out
still deletes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_request_with_a_rotated_key_leaves_the_cookie_alone(
    client: Any, patient_user: Any
) -> None:
    client.force_login(patient_user)
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = client.session
    session.cycle_key()  # what completing a sign-in step does
    session.save()
    late = Client()  # a service worker's update check, still holding the old key
    late.cookies[settings.SESSION_COOKIE_NAME] = old_key

    response = late.get(reverse("portal:home"))

    assert response.status_code == 302  # anonymous now: sent to sign in
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # the new cookie survives


def test_signing_out_still_deletes_the_cookie(client: Any, patient_user: Any) -> None:
    client.force_login(patient_user)
    response = client.post(reverse("accounts:logout"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value == ""
    assert cookie["max-age"] == 0
