"""The audit report's patient and user filters are typed searches with suggestions (htmx, a
<datalist>) instead of drop-downs of every patient and user; the suggestions are the admin's
own clinic's and few; the count stops a look-ahead past the page."""

import re
from typing import Any

import pytest
from django.urls import reverse

from rehab_clinic.accounts import paging
from rehab_clinic.audit.services import record_event
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_report_lists_no_patient_or_user_options_and_the_search_works_without_js(
    client: Any, clinic: Any, clinic_admin: Any, therapist: Any, patient: Any
) -> None:
    others = [PatientFactory(clinic=clinic, last_name=f"Other{n}") for n in range(30)]
    record_event(user=therapist, action="view", patient=patient, obj=patient)
    record_event(user=clinic_admin, action="view", patient=others[0], obj=others[0])
    client.force_login(clinic_admin)
    url = reverse("audit:report")

    html = client.get(url).content.decode()
    options_shown = re.findall(r"<option[^>]*>([^<]*)", html)
    assert len(options_shown) <= 20  # actions, outcomes and sorts only: not 31 patients
    assert not [text for text in options_shown if "Other" in text or "Tester" in text]
    for name, options in (("patient_q", "audit-patient-options"), ("user_q", "audit-user-options")):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert field, name
        assert f'list="{options}"' in field.group(0)
        field_id = re.search(r'id="([^"]+)"', field.group(0)).group(1)  # type: ignore[union-attr]
        assert re.search(rf'<label\s+for="{field_id}"', html)  # a label, for every reader
        assert f'<datalist id="{options}">' in html

    by_patient = client.get(url, {"patient_q": patient.last_name}).content.decode()
    assert patient.full_name in by_patient
    assert others[0].full_name not in by_patient
    by_mrn = client.get(url, {"patient_q": others[0].mrn}).content.decode()
    assert others[0].full_name in by_mrn
    assert patient.full_name not in by_mrn
    by_user = client.get(url, {"user_q": therapist.email}).content.decode()
    assert patient.full_name in by_user
    assert others[0].full_name not in by_user
    assert 'href="/audit/export.csv?user_q=' in by_user  # the export keeps the search


def test_suggestions_are_the_admins_clinic_only_few_and_need_two_letters(
    client: Any, clinic: Any, other_clinic: Any, clinic_admin: Any, therapist: Any
) -> None:
    for n in range(15):
        PatientFactory(clinic=clinic, last_name="Hollowell", first_name=f"Ann{n:02d}")
    stranger = PatientFactory(clinic=other_clinic, last_name="Hollowell", first_name="Zed")
    UserFactory(clinic=other_clinic, full_name="Holly Elsewhere", role="therapist")
    UserFactory(clinic=clinic, full_name="Holly Here", role="therapist")
    client.force_login(clinic_admin)
    patients = reverse("audit:suggest_patients")

    html = client.get(patients, {"patient_q": "Hollow"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count("<option") == 10
    assert "Ann00 Hollowell" in html
    assert stranger.mrn not in html
    assert "Zed" not in html
    assert client.get(patients, {"patient_q": "H"}).content.decode().count("<option") == 0

    users = client.get(reverse("audit:suggest_users"), {"user_q": "holly"}).content.decode()
    assert "Holly Here" in users
    assert "Elsewhere" not in users

    client.force_login(therapist)
    assert client.get(patients, {"patient_q": "Hollow"}).status_code == 403


def test_the_count_stops_a_look_ahead_past_the_page(
    client: Any, clinic_admin: Any, therapist: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(paging, "LOOK_AHEAD", 5)
    for _ in range(60):
        record_event(user=therapist, action="view")
    client.force_login(clinic_admin)
    url = reverse("audit:report")
    first = client.get(url, {"action": "view"}).content.decode()
    assert "More than 55 events match" in first
    assert "Page 1 of at least 2" in first
    second = client.get(url, {"action": "view", "page": "2"}).content.decode()
    assert "60 events match" in second
    assert "Page 2 of 2" in second
    assert 'href="?action=view&amp;page=1"' in second
