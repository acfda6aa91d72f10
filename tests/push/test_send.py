"""`send_push` against a push service of our own: a small HTTP server in the test, which records
what a real one (FCM, Mozilla's, Apple's) would receive. The request is VAPID-signed (RFC 8292),
the body is aes128gcm-encrypted for the browser's keys (RFC 8291) and decrypts to the payload;
a subscription the service calls gone is deleted."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from rehab_clinic.push.models import PushSubscription
from rehab_clinic.push.services import send_push
from rehab_clinic.push.tasks import send_push_task
from tests.push.conftest import PushService, b64decode, browser

pytestmark = pytest.mark.django_db

NEUTRAL = {"title": "Riverside Test Clinic", "body": "Time for your exercises.", "url": "/portal/"}


def test_the_push_request_is_vapid_signed_encrypted_for_the_browser_and_carries_the_payload(
    patient_user: Any, push_service: PushService, vapid: Any, settings: Any
) -> None:
    subscription, browser_key, secret = browser(patient_user, push_service)

    assert send_push(patient_user, **NEUTRAL) == 1

    [request] = push_service.received
    assert request["path"] == "/wpush/abc"
    headers = request["headers"]
    assert headers["Content-Encoding"] == "aes128gcm"
    assert headers["TTL"] == str(settings.PUSH_TTL_SECONDS)

    match = re.fullmatch(r"vapid t=([\w.-]+),\s*k=([\w-]+)", headers["Authorization"])
    assert match, headers["Authorization"]
    token, public_key = match.groups()
    assert public_key == vapid.public
    signing_input, _, signature = token.rpartition(".")
    header, claims = (json.loads(b64decode(part)) for part in signing_input.split("."))
    assert header == {"typ": "JWT", "alg": "ES256"}
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == "mailto:clinic@example.test"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    raw = b64decode(signature)
    assert len(raw) == 64
    verifier = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(public_key))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    verifier.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged

    plain = http_ece.decrypt(
        request["body"], private_key=browser_key, auth_secret=secret, version="aes128gcm"
    )
    payload = json.loads(plain)
    assert {k: payload[k] for k in NEUTRAL} == NEUTRAL
    assert payload["icon"].endswith(".png")

    subscription.refresh_from_db()
    assert subscription.last_success_at is not None
    assert subscription.failure_count == 0


def test_a_subscription_the_service_calls_gone_is_deleted(
    patient_user: Any, push_service: PushService, vapid: Any
) -> None:
    gone, _, _ = browser(patient_user, push_service, "gone")
    expired, _, _ = browser(patient_user, push_service, "expired")
    push_service.answers = [410, 404]

    assert send_push(patient_user, **NEUTRAL) == 0

    assert len(push_service.received) == 2
    assert not PushSubscription.objects.filter(pk__in=[gone.pk, expired.pk]).exists()


def test_other_failures_are_counted_and_the_other_phones_still_get_it(
    patient_user: Any, push_service: PushService, vapid: Any
) -> None:
    failing, _, _ = browser(patient_user, push_service, "one")
    working, _, _ = browser(patient_user, push_service, "two")
    push_service.answers = [500]

    assert send_push(patient_user, **NEUTRAL) == 1

    failing.refresh_from_db()
    working.refresh_from_db()
    assert failing.failure_count == 1
    assert failing.last_success_at is None
    assert working.last_success_at is not None


def test_a_redirect_from_the_push_service_is_not_followed(
    patient_user: Any, push_service: PushService, vapid: Any
) -> None:
    subscription, _, _ = browser(patient_user, push_service)
    push_service.answers = [307]

    assert send_push(patient_user, **NEUTRAL) == 0

    assert [r["path"] for r in push_service.received] == ["/wpush/abc"]
    subscription.refresh_from_db()
    assert subscription.failure_count == 1


def test_only_the_users_own_subscriptions_are_sent_to(
    patient_user: Any, second_patient_user: Any, push_service: PushService, vapid: Any
) -> None:
    browser(second_patient_user, push_service, "theirs")
    browser(patient_user, push_service, "mine")

    assert send_push(patient_user, **NEUTRAL) == 1
    assert [r["path"] for r in push_service.received] == ["/wpush/mine"]


def test_without_vapid_keys_push_is_off_and_nothing_is_sent(
    patient_user: Any, push_service: PushService
) -> None:
    browser(patient_user, push_service)
    assert send_push(patient_user, **NEUTRAL) == 0
    assert push_service.received == []


def test_the_notification_opens_only_a_page_of_this_site(patient_user: Any, vapid: Any) -> None:
    for url in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="path"):
            send_push(patient_user, title="t", body="b", url=url)


def test_the_task_sends_to_the_user_and_a_deleted_user_is_nobody(
    patient_user: Any, push_service: PushService, vapid: Any
) -> None:
    browser(patient_user, push_service)
    assert send_push_task(patient_user.pk, NEUTRAL["title"], NEUTRAL["body"], "/portal/") == 1
    assert send_push_task(10**9, "t", "b", "/portal/") == 0
