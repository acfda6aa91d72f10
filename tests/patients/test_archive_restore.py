"""An archived record is kept, hidden from every list, and can be found and restored: an archive
by mistake (the wrong Sam Lee) was otherwise final, and a former patient who came back could not
be reached. Only the clinic's staff see its archive; restoring is audited."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients.models import Patient
from patients.services import archive_patient
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

ARCHIVED = reverse("patients:archived")


def _archived(clinic: Any, by: User, **fields: Any) -> Patient:
    patient = PatientFactory(clinic=clinic, **fields)
    archive_patient(patient=patient, by=by, reason="Archived the wrong Sam Lee")
    return patient


def test_staff_find_an_archived_patient_and_restore_them(
    client: Any, therapist: User, clinic_admin: User, patient: Patient
) -> None:
    archive_patient(patient=patient, by=therapist, reason="Archived the wrong Sam Lee")
    client.force_login(therapist)
    caseload = client.get(reverse("patients:caseload")).content.decode()
    assert f'data-patient="{patient.pk}"' not in caseload
    assert client.get(reverse("patients:chart", args=[patient.pk])).status_code == 404

    client.force_login(clinic_admin)
    page = client.get(ARCHIVED).content.decode()
    assert f'data-patient="{patient.pk}"' in page
    assert "Archived the wrong Sam Lee" in page
    assert therapist.full_name in page

    response = client.post(reverse("patients:restore", args=[patient.pk]))
    assert response.url == reverse("patients:chart", args=[patient.pk])
    patient.refresh_from_db()
    assert (patient.archived_at, patient.archived_by, patient.archive_reason) == (None, None, "")
    assert client.get(response.url).status_code == 200
    assert f'data-patient="{patient.pk}"' not in client.get(ARCHIVED).content.decode()
    event = AuditEvent.objects.filter(patient=patient, action=AuditEvent.Action.CHANGE).latest("pk")
    assert event.user == clinic_admin
    assert event.detail.startswith("Restored from the archive")
    assert "archived_at" in str(event.changes)


def test_the_patients_portal_works_again_once_restored(
    client: Any, therapist: User, patient_user: User, patient: Patient
) -> None:
    archive_patient(patient=patient, by=therapist, reason="Discharged and left the clinic")
    client.force_login(patient_user)
    assert client.get(reverse("portal:home")).status_code == 403
    client.force_login(therapist)
    client.post(reverse("patients:restore", args=[patient.pk]))
    client.force_login(patient_user)
    assert client.get(reverse("portal:home")).status_code == 200


def test_no_one_else_sees_or_restores_a_clinics_archive(
    client: Any,
    therapist: User,
    other_therapist: User,
    patient_user: User,
    clinic: Any,
    other_clinic: Any,
) -> None:
    ours = _archived(clinic, therapist, last_name="Ourarchive")
    theirs = _archived(other_clinic, other_therapist, last_name="Theirarchive")
    client.force_login(therapist)
    page = client.get(ARCHIVED).content.decode()
    assert "Ourarchive" in page
    assert "Theirarchive" not in page
    assert client.post(reverse("patients:restore", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_archived

    client.force_login(patient_user)
    assert client.get(ARCHIVED).status_code == 403
    assert client.post(reverse("patients:restore", args=[ours.pk])).status_code == 403
    ours.refresh_from_db()
    assert ours.is_archived
    assert Patient.objects.visible_to(patient_user, archived=True).count() == 0


def test_the_archive_list_is_paged_and_reads_a_page_whatever_its_size(
    client: Any, therapist: User, clinic: Any
) -> None:
    for n in range(3):
        _archived(clinic, therapist, last_name=f"Few{n}")
    client.force_login(therapist)
    with CaptureQueriesContext(connection) as few:
        client.get(ARCHIVED)
    for n in range(30):
        _archived(clinic, therapist, last_name=f"Many{n:02d}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(ARCHIVED).content.decode()
    assert len(many) == len(few)
    assert page.count("data-patient=") == 25
    assert "Page 1 of 2" in page
    assert "Many29" in page  # newest archived first
    assert "Few0" in client.get(ARCHIVED, {"page": "2"}).content.decode()


def test_restoring_twice_leads_to_the_chart_and_changes_nothing_more(
    client: Any, therapist: User, clinic: Any
) -> None:
    """A double tap on Restore, or Restore in a second tab: the second request finds the
    record already back and says so, instead of a "not found" page."""
    patient = _archived(clinic, therapist)
    client.force_login(therapist)
    url = reverse("patients:restore", args=[patient.pk])
    client.post(url)
    changes = AuditEvent.objects.filter(patient=patient, action=AuditEvent.Action.CHANGE).count()
    again = client.post(url, follow=True)
    assert again.redirect_chain[0][0] == reverse("patients:chart", args=[patient.pk])
    assert "is already in the caseload" in again.content.decode()
    assert (
        AuditEvent.objects.filter(patient=patient, action=AuditEvent.Action.CHANGE).count()
        == changes
    )
