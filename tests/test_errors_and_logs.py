"""Our error pages (DEBUG off), the one log line per request, and Sentry reports scrubbed of
patient data (a stub transport: nothing leaves the machine)."""

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sentry_sdk
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from sentry_sdk.transport import Transport

from rehab_clinic.sentry import init_sentry

pytestmark = pytest.mark.django_db


@pytest.fixture
def boom_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.DEBUG = False


def _page(response: Any) -> str:
    return response.content.decode()


def test_404_is_generic_for_anonymous_and_names_the_clinic_for_a_signed_in_user(
    client: Any, therapist: Any
) -> None:
    # Anonymous users are sent to sign in by default-deny, except on public routes.
    anonymous = client.get("/accounts/invite/no-such-token-at-all/nothing-here")
    assert anonymous.status_code == 404
    assert "Page not found" in _page(anonymous)
    assert "Riverside Test Clinic" not in _page(anonymous)
    assert 'href="/accounts/login/"' in _page(anonymous)

    client.force_login(therapist)
    signed_in = client.get("/patients/999999/")
    assert signed_in.status_code == 404
    assert "Page not found" in _page(signed_in)
    assert "Riverside Test Clinic" in _page(signed_in)
    assert "Back to your start page" in _page(signed_in)


def test_403_is_our_page_with_the_clinics_name(client: Any, patient_user: Any) -> None:
    client.force_login(patient_user)
    response = client.get(reverse("patients:caseload"))
    assert response.status_code == 403
    assert "This page is not open to you" in _page(response)
    assert "Riverside Test Clinic" in _page(response)


def test_a_failed_csrf_check_is_our_403_page(therapist: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "This page is not open to you" in _page(response)
    assert "CSRF" not in _page(response)


def test_pages_carry_our_favicon(client: Any) -> None:
    page = _page(client.get(reverse("accounts:login")))
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    icon = finders.find("img/favicon.svg")
    assert icon
    assert Path(icon).read_text().startswith("<svg")


def test_400_is_our_page(client: Any, settings: Any) -> None:
    response = client.get("/", headers={"host": "evil.example"})  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    assert "Something in that request was not right" in _page(response)


def test_500_shows_no_stack_trace_and_names_the_clinic(
    boom_urls: None, therapist: Any, patient: Any
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(therapist)
    response = client.get(f"/test-boom/{patient.pk}/")
    assert response.status_code == 500
    page = _page(response)
    assert "Something went wrong on our side" in page
    assert "Riverside Test Clinic" in page
    for leak in ("Traceback", "ValueError", "Paula", "error_urls.py", "secret_local"):
        assert leak not in page

    client.logout()
    anonymous = Client(raise_request_exception=False).get("/healthz")
    assert anonymous.status_code in (200, 503)  # unaffected


def test_each_request_logs_one_line_with_ids_and_no_patient_data(
    client: Any, therapist: Any, patient: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(therapist)
    with caplog.at_level(logging.INFO, logger="rehab_clinic.requests"):
        response = client.get(
            reverse("patients:chart", args=[patient.pk]) + "?q=Paula",
            headers={"x-request-id": "lb-abc12345"},
        )
    assert response.status_code == 200
    lines = [r for r in caplog.records if r.name == "rehab_clinic.requests"]
    assert len(lines) == 1
    line = lines[0].getMessage()
    assert f"user={therapist.pk} clinic={therapist.clinic_id}" in line
    assert "route=/patients/<int:pk>/ status=200" in line
    assert lines[0].request_id == "lb-abc12345" == response["X-Request-ID"]
    assert "Paula" not in line
    assert "q=" not in line


class _Recorder(Transport):
    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[Any] = []

    def capture_envelope(self, envelope: Any) -> None:
        self.envelopes.append(envelope)


@pytest.fixture
def sentry_recorder() -> Iterator[_Recorder]:
    """Sentry as settings start it with SENTRY_DSN, sending into a list instead of the network."""
    recorder = _Recorder()
    init_sentry(dsn="http://key@127.0.0.1:9/1", environment="test", transport=recorder)
    yield recorder
    sentry_sdk.init()  # back to a disabled client for the rest of the run


def test_a_failing_request_reaches_sentry_without_the_patients_name(
    boom_urls: None, therapist: Any, patient: Any, sentry_recorder: _Recorder
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(therapist)
    response = client.post(
        f"/test-boom/{patient.pk}/?search=Paula+Patient",
        {"note": "Paula Patient reports knee pain"},
        headers={"x-search-hint": "Paula"},
    )
    assert response.status_code == 500
    sentry_sdk.get_client().flush()
    payloads = [
        item.payload.get_bytes().decode()
        for envelope in sentry_recorder.envelopes
        for item in envelope.items
    ]
    events = [json.loads(p) for p in payloads if '"exception"' in p]
    assert events, "the error was reported"
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["user"] == {"id": str(therapist.pk)}
    assert event["tags"]["clinic_id"] == str(therapist.clinic_id)
    assert event["tags"]["route"] == "/test-boom/<int:pk>/"
    assert not set(event.get("request", {})) - {"method"}  # no url, query, body, headers
    everything = "\n".join(payloads)
    for leak in ("Paula", "Patient reports", "knee pain"):
        assert leak not in everything
