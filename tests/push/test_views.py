"""The portal's push choices: the browser's subscription is kept for the signed-in patient only,
bad input is refused with nothing saved, and nobody can turn off another person's phone."""

import json
from typing import Any

import pytest
from django.urls import reverse

from rehab_clinic.push.models import PushSubscription
from rehab_clinic.push.services import MAX_PER_USER
from tests.factories import PushSubscriptionFactory, browser_push_keys

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


def _subscription(endpoint: str = ENDPOINT) -> dict[str, Any]:
    _, p256dh, _, auth = browser_push_keys()
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": p256dh, "auth": auth}}


def _subscribe(client: Any, subscription: Any) -> Any:
    text = subscription if isinstance(subscription, str) else json.dumps(subscription)
    return client.post(reverse("push:subscribe"), {"subscription": text})


def test_a_patient_turns_notifications_on_and_the_subscription_is_kept(
    client: Any, patient_user: Any
) -> None:
    client.force_login(patient_user)
    subscription = _subscription()

    response = _subscribe(client, subscription)

    assert response.status_code == 200
    assert response.json() == {"subscribed": True}
    saved = PushSubscription.objects.get()
    assert saved.user == patient_user
    assert saved.endpoint == ENDPOINT
    assert saved.p256dh == subscription["keys"]["p256dh"]
    assert saved.auth == subscription["keys"]["auth"]


def test_subscribing_again_updates_the_one_row(client: Any, patient_user: Any) -> None:
    client.force_login(patient_user)
    _subscribe(client, _subscription())
    renewed = _subscription()
    _subscribe(client, renewed)
    assert PushSubscription.objects.get().p256dh == renewed["keys"]["p256dh"]


def test_a_person_keeps_at_most_ten_browsers_the_oldest_are_forgotten(
    client: Any, patient_user: Any
) -> None:
    oldest = PushSubscriptionFactory(user=patient_user)
    for _ in range(MAX_PER_USER - 1):
        PushSubscriptionFactory(user=patient_user)
    client.force_login(patient_user)
    _subscribe(client, _subscription())
    assert patient_user.push_subscriptions.count() == MAX_PER_USER
    assert not PushSubscription.objects.filter(pk=oldest.pk).exists()
    assert PushSubscription.objects.filter(endpoint=ENDPOINT).exists()


@pytest.mark.parametrize(
    "bad",
    [
        "not json at all",
        "[1, 2, 3]",
        json.dumps({"endpoint": ENDPOINT}),
        json.dumps({**_subscription(), "endpoint": "http://fcm.googleapis.com/fcm/send/x"}),
        # Not a push service: the server would post wherever it was told (SSRF).
        json.dumps(_subscription("https://169.254.169.254/latest/meta-data")),
        json.dumps(_subscription("https://fcm.googleapis.com.evil.example/x")),
        json.dumps(
            {**_subscription(), "keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}
        ),
        json.dumps({**_subscription(), "keys": {"p256dh": _subscription()["keys"]["p256dh"]}}),
        "",
    ],
)
def test_a_bad_subscription_is_refused_with_400_and_nothing_is_saved(
    client: Any, patient_user: Any, bad: str
) -> None:
    client.force_login(patient_user)
    response = _subscribe(client, bad)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_signed_out_visitors_and_staff_are_refused(client: Any, therapist: Any) -> None:
    response = _subscribe(client, _subscription())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(therapist)
    assert _subscribe(client, _subscription()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_the_subscribe_endpoint_needs_the_csrf_token(patient_user: Any) -> None:
    from django.test import Client  # local import: only this test checks CSRF

    client = Client(enforce_csrf_checks=True)
    client.force_login(patient_user)
    assert _subscribe(client, _subscription()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_turning_off_removes_only_my_subscription(
    client: Any, patient_user: Any, second_patient_user: Any
) -> None:
    mine = PushSubscriptionFactory(user=patient_user)
    theirs = PushSubscriptionFactory(user=second_patient_user)
    client.force_login(patient_user)

    refused = client.post(reverse("push:unsubscribe"), {"endpoint": theirs.endpoint})
    assert refused.status_code == 200
    assert refused.json() == {"removed": 0}
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()

    done = client.post(reverse("push:unsubscribe"), {"endpoint": mine.endpoint})
    assert done.json() == {"removed": 1}
    assert not PushSubscription.objects.filter(pk=mine.pk).exists()
    assert client.post(reverse("push:unsubscribe"), {}).status_code == 400


def test_the_settings_page_offers_the_buttons_only_when_push_is_on(
    client: Any, patient_user: Any, settings: Any, vapid: Any
) -> None:
    client.force_login(patient_user)
    html = client.get(reverse("push:settings")).content.decode()
    assert "Turn on notifications on this phone" in html
    assert f'data-vapid-key="{vapid.public}"' in html
    assert "Add to Home Screen" in html  # the iPhone steps, always there as text

    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    html = client.get(reverse("push:settings")).content.decode()
    assert 'id="push-on"' not in html
    assert "not set up at your clinic" in html
    assert "Add to Home Screen" in html


def test_the_manifest_names_the_clinic_and_the_worker_is_served_for_the_portal(
    client: Any, patient_user: Any
) -> None:
    client.force_login(patient_user)
    response = client.get(reverse("push:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == patient_user.clinic.name
    assert manifest["start_url"] == manifest["scope"] == "/portal/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])

    worker = client.get(reverse("push:service_worker"))
    assert reverse("push:service_worker") == "/portal/sw.js"
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/portal/"
    assert b'addEventListener("push"' in worker.content
    assert b'addEventListener("notificationclick"' in worker.content


def test_portal_pages_link_the_manifest_and_the_csp_allows_worker_and_manifest(
    client: Any, patient_user: Any
) -> None:
    client.force_login(patient_user)
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert 'rel="manifest" href="/portal/manifest.webmanifest"' in html
    assert "js/portal_install.js" in html
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
