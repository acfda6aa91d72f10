"""Refused access to a patient's records leaves a trace, and a crawler cannot flood the trail."""

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from rehab_clinic.audit.middleware import DENIALS_PER_MINUTE
from rehab_clinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()


def _denials(user: Any) -> Any:
    return AuditEvent.objects.filter(user=user, outcome=AuditEvent.Outcome.DENIED)


def test_a_patient_probing_another_patients_chart_leaves_a_row(
    client: Any, patient_user: Any, second_patient_user: Any
) -> None:
    client.force_login(patient_user)
    victim = second_patient_user.patient
    assert client.get(reverse("patients:chart", args=[victim.pk])).status_code == 403
    event = _denials(patient_user).get()
    assert event.object_id == f"pk={victim.pk}"
    assert event.detail == "refused 403 on patients:chart"
    assert event.object_repr == f"/patients/{victim.pk}/"
    assert event.clinic_id == patient_user.clinic_id
    assert event.patient is None  # the patient asked for is not revealed to the prober's trail


def test_another_clinics_therapist_asking_for_a_chart_leaves_a_404_row(
    client: Any, other_therapist: Any, patient: Any
) -> None:
    client.force_login(other_therapist)
    assert client.get(reverse("patients:chart", args=[patient.pk])).status_code == 404
    assert _denials(other_therapist).get().detail == "refused 404 on patients:chart"


def test_allowed_views_and_routes_without_a_record_leave_no_denial(
    client: Any, therapist: Any, patient: Any, patient_user: Any
) -> None:
    client.force_login(therapist)
    assert client.get(reverse("patients:chart", args=[patient.pk])).status_code == 200
    client.force_login(patient_user)
    assert client.get(reverse("audit:report")).status_code == 403  # not a patient record
    assert not AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).exists()


def test_a_thousand_probes_leave_a_bounded_number_of_rows(
    client: Any, patient_user: Any, second_patient_user: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("rehab_clinic.audit.middleware.current_minute", lambda: 42)
    client.force_login(patient_user)
    for pk in range(1000, 2000):
        client.get(reverse("patients:chart", args=[pk]))
    rows = _denials(patient_user).order_by("id")
    assert rows.count() == DENIALS_PER_MINUTE + 1
    assert rows.last().detail.endswith("more refusals on this route this minute are not recorded")
    # Another route has its own allowance.
    client.get(reverse("patients:episode", args=[1]))
    assert rows.count() == DENIALS_PER_MINUTE + 2
    # The next minute starts a new allowance.
    monkeypatch.setattr("rehab_clinic.audit.middleware.current_minute", lambda: 43)
    client.get(reverse("patients:chart", args=[5]))
    assert rows.count() == DENIALS_PER_MINUTE + 3


def test_denials_show_in_the_audit_report_and_filter_by_outcome(
    client: Any, clinic_admin: Any, patient_user: Any, second_patient_user: Any
) -> None:
    client.force_login(patient_user)
    client.get(reverse("patients:chart", args=[second_patient_user.patient.pk]))
    client.force_login(clinic_admin)
    html = client.get(reverse("audit:report"), {"outcome": "denied"}).content.decode()
    assert "refused 403 on patients:chart" in html
    assert patient_user.email in html
    html = client.get(reverse("audit:report"), {"outcome": "success"}).content.decode()
    assert "refused 403 on patients:chart" not in html
