"""The record export asked for while Redis is down: the page answers at once, the export and its
outbox message are kept, the page says it will be prepared when the service is back, and it is
made once Redis is back."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import Patient
from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.models import OutboxMessage
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import EXPORT_TASK
from tests.builders import intake
from tests.programs.documents.conftest import broker_back_up

pytestmark = pytest.mark.django_db


def test_an_export_asked_for_while_redis_is_down_waits_in_the_outbox_and_follows(
    patient: Patient, episode: Any, therapist: Any, patient_user: Any, broker_down: None,
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.OUTBOX_SEND_GRACE = 0
    intake(episode, therapist, signed=True)
    client = Client()
    client.force_login(patient_user)

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("records:portal_prepare"), headers={"HX-Request": "true"})

    assert asked.status_code == 200
    export = RecordExport.objects.get()
    assert export.state == RecordExport.State.QUEUED
    [message] = OutboxMessage.objects.filter(task=EXPORT_TASK)
    assert message.sent_at is None
    assert message.last_error
    status = client.get(reverse("records:portal_status", args=[export.pk]))
    assert status.status_code == 200
    assert 'hx-trigger="every 2s"' in status.content.decode()  # still on its way, not failed
    assert "prepared when the service that makes it is back" in status.content.decode()

    broker_back_up()
    assert outbox.sweep() == 1
    export.refresh_from_db()
    assert export.state == RecordExport.State.READY
    ready = client.get(reverse("records:portal_status", args=[export.pk])).content.decode()
    assert reverse("records:portal_download", args=[export.pk]) in ready
