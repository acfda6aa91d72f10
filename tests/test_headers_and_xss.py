"""Security headers on every page, and user text that can never run as script."""

from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_signed_in_pages_are_never_cached_and_carry_a_strict_policy(
    client: Any, therapist: Any, patient: Any
) -> None:
    client.force_login(therapist)
    response = client.get(reverse("patients:chart", args=[patient.pk]))
    assert "no-store" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_patient_text_is_escaped_on_caseload_chart_and_audit_report(
    client: Any, therapist: Any, clinic_admin: Any, clinic: Any
) -> None:
    patient = PatientFactory(clinic=clinic, first_name=XSS, last_name=XSS, goal_race=XSS)
    client.force_login(therapist)
    for url in [reverse("patients:caseload"), reverse("patients:chart", args=[patient.pk])]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
        assert "&lt;script&gt;" in html
    client.force_login(clinic_admin)
    assert "<script>alert" not in client.get(reverse("audit:report")).content.decode()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1, max_size=60), pace=st.text(max_size=8), mrn=st.text(max_size=12))
def test_the_patient_form_never_crashes_and_never_half_saves(
    client: Any, therapist: Any, name: str, pace: str, mrn: str
) -> None:
    from patients.models import Patient

    client.force_login(therapist)
    before = Patient.objects.count()
    data = {
        "first_name": name,
        "last_name": "Fuzz",
        "date_of_birth": "1990-01-01",
        "sex": "female",
        "mrn": mrn,
        "usual_pace": pace,
    }
    response = client.post(reverse("patients:create"), data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert Patient.objects.count() == before
        assert "invalid-feedback" in response.content.decode()
