"""The audit context: a service audits the request's address without being handed the request."""

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from patients.services import archive_patient
from rehab_clinic.audit.context import AuditContext, AuditContextMiddleware, bound, current
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event, record_read
from rehab_clinic.request_log import RequestLogMiddleware

pytestmark = pytest.mark.django_db


def test_a_change_made_through_a_page_records_the_address_of_the_request(
    client: Any, therapist: Any, patient: Any
) -> None:
    client.force_login(therapist)
    client.post(
        reverse("patients:archive", args=[patient.pk]),
        {"reason": "Moved away"},
        REMOTE_ADDR="198.51.100.4",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.ARCHIVE)
    assert (event.user, event.patient, event.ip_address) == (therapist, patient, "198.51.100.4")


def test_a_service_called_outside_a_request_records_no_address(
    therapist: Any, patient: Any
) -> None:
    assert current() is None
    archive_patient(patient=patient, by=therapist, reason="Moved away")
    event = AuditEvent.objects.get(action=AuditEvent.Action.ARCHIVE)
    assert event.ip_address is None
    assert event.user == therapist


def test_the_bound_context_is_what_an_event_records_and_it_ends_with_the_block(
    therapist: Any,
) -> None:
    with bound(AuditContext(ip="203.0.113.9", user_agent="pytest", request_id="abc12345")):
        assert current() == AuditContext("203.0.113.9", "pytest", "abc12345")
        event = record_event(user=therapist, action=AuditEvent.Action.CHANGE)
    assert current() is None
    assert event.ip_address == "203.0.113.9"


def test_the_middleware_binds_address_user_agent_and_request_id_for_the_request_only(
    rf: Any,
) -> None:
    seen: list[AuditContext | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current())
        return HttpResponse()

    chain = RequestLogMiddleware(AuditContextMiddleware(view))
    request = rf.get(
        "/",
        REMOTE_ADDR="192.0.2.30",
        HTTP_USER_AGENT="Runner/1.0",
        HTTP_X_REQUEST_ID="req-0001-abcd",
    )
    chain(request)
    assert seen == [
        AuditContext(ip="192.0.2.30", user_agent="Runner/1.0", request_id="req-0001-abcd")
    ]
    assert current() is None


@pytest.mark.parametrize(
    "action", [AuditEvent.Action.CHANGE, AuditEvent.Action.CREATE, AuditEvent.Action.ARCHIVE]
)
def test_a_view_cannot_record_a_write_as_a_read(therapist: Any, action: str) -> None:
    with pytest.raises(ValueError, match="not a read"):
        record_read(by=therapist, action=action)
    assert not AuditEvent.objects.exists()
