"""The link expires: after RECORD_EXPORT_DAYS the download says so (410, a clear page) and the
beat job deletes the file, once; a live export is kept."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import request_export
from rehab_clinic.records.tasks import delete_expired_record_exports
from tests.builders import intake
from tests.records.history import run_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(patient: Patient, episode: Any, therapist: Any, patient_user: Any) -> RecordExport:
    intake(episode, therapist, signed=True)
    return run_export(request_export(patient=patient, by=patient_user))


def _expire(export: RecordExport) -> None:
    RecordExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def test_the_link_lasts_the_configured_number_of_days(ready: RecordExport) -> None:
    assert ready.ready_at is not None
    assert ready.expires_at is not None
    assert ready.expires_at - ready.ready_at == timedelta(days=settings.RECORD_EXPORT_DAYS)


def test_an_expired_link_says_so_and_serves_nothing(ready: RecordExport, patient_user: Any) -> None:
    client = Client()
    client.force_login(patient_user)
    url = reverse("records:portal_download", args=[ready.pk])
    _expire(ready)

    response = client.get(url)

    assert response.status_code == 410
    assert "This download link has expired" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_the_beat_job_deletes_expired_files_once_and_keeps_live_ones(
    ready: RecordExport, patient: Patient, therapist: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    live = run_export(request_export(patient=patient, by=therapist))
    name = ready.file.name
    storage = ready.file.storage
    _expire(ready)

    with django_capture_on_commit_callbacks(execute=True):
        assert delete_expired_record_exports.apply().get() == 1
    ready.refresh_from_db()
    assert ready.state == RecordExport.State.EXPIRED
    assert not ready.file
    assert not storage.exists(name)
    assert storage.exists(live.file.name)
    assert AuditEvent.objects.filter(
        object_id=ready.pk, detail="record export expired: file deleted"
    ).exists()
    assert delete_expired_record_exports.apply().get() == 0


def test_the_page_of_an_expired_export_offers_to_prepare_it_again(
    ready: RecordExport, patient_user: Any
) -> None:
    _expire(ready)
    client = Client()
    client.force_login(patient_user)

    page = client.get(reverse("records:portal_record")).content.decode()

    assert "has expired" in page
    assert "Prepare my record" in page
