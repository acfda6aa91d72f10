"""The notification pages: the staff member's own, at their clinic; one click to the plan; the
unread count in the menu in one query; the choices page."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rehab_clinic.notifications.models import AlertPreference, Notification, Reason
from rehab_clinic.notifications.services import raise_alert
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _alert(patient: Any, reason: str = Reason.STEP_BACK, link: str = "/patients/") -> Any:
    [notification] = raise_alert(patient=patient, reason=reason, link=link)
    return notification


def test_the_list_shows_my_notifications_and_opening_one_marks_it_read_and_goes_there(
    client: Any, therapist: Any, patient: Any
) -> None:
    notification = _alert(patient, link=f"/patients/{patient.pk}/")
    client.force_login(therapist)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Paula Patient: Step back" in html
    assert "1 unread." in html

    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == f"/patients/{patient.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "Nothing unread." in client.get(reverse("notifications:list")).content.decode()


def test_mark_read_and_mark_all_read(client: Any, therapist: Any, patient: Any) -> None:
    first = _alert(patient, Reason.STEP_BACK)
    _alert(patient, Reason.STOP_SIGN)
    client.force_login(therapist)
    assert client.get(reverse("notifications:read", args=[first.pk])).status_code == 405
    client.post(reverse("notifications:read", args=[first.pk]))
    assert Notification.objects.filter(read_at=None).count() == 1
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at=None).exists()


def test_another_clinics_staff_and_another_therapist_get_404(
    client: Any, therapist: Any, patient: Any, other_therapist: Any, other_admin: Any, clinic: Any
) -> None:
    notification = _alert(patient)
    colleague = UserFactory(clinic=clinic)
    for outsider in (other_therapist, other_admin, colleague):
        client.force_login(outsider)
        assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
        assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
        assert "Paula" not in client.get(reverse("notifications:list")).content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_patients_cannot_open_the_pages(client: Any, patient_user: Any, patient: Any) -> None:
    notification = _alert(patient)
    client.force_login(patient_user)
    for url in (
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("notifications:open", args=[notification.pk]),
    ):
        assert client.get(url).status_code == 403


def test_an_archived_patients_notifications_are_hidden(
    client: Any, therapist: Any, patient: Any
) -> None:
    notification = _alert(patient)
    patient.archive(by=therapist, reason="moved away")
    client.force_login(therapist)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404


def test_the_menu_shows_the_unread_count_in_one_query_whatever_the_number(
    client: Any, therapist: Any, clinic: Any
) -> None:
    client.force_login(therapist)
    url = reverse("notifications:preferences")

    def page() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return html, len(queries)

    html, baseline = page()
    assert "data-nav-count" not in html
    for _ in range(2):
        _alert(PatientFactory(clinic=clinic, primary_therapist=therapist))
    html, two = page()
    assert 'data-nav-count>2<span class="visually-hidden"> unread</span>' in html
    for _ in range(10):
        _alert(PatientFactory(clinic=clinic, primary_therapist=therapist))
    html, twelve = page()
    assert "data-nav-count>12<" in html
    assert twelve == two <= baseline + 1


def test_the_list_is_paginated_with_a_bounded_number_of_queries(
    client: Any, therapist: Any, clinic: Any
) -> None:
    client.force_login(therapist)
    patients = [PatientFactory(clinic=clinic, primary_therapist=therapist) for _ in range(55)]
    for patient in patients[:5]:
        _alert(patient)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    for patient in patients[5:]:
        _alert(patient)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("notifications:list")).content.decode()
    assert len(many) == len(few)
    assert "Page 1 of 2" in html
    assert html.count("data-notification=") == 50


def test_the_choices_page_saves_each_reasons_delivery_and_the_digest_hour(
    client: Any, therapist: Any
) -> None:
    client.force_login(therapist)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "No activity for 7 days" in page
    data = dict.fromkeys(Reason.values, "immediate")
    data |= {Reason.NO_ACTIVITY: "digest", Reason.STEP_BACK: "off", "digest_hour": "18"}
    response = client.post(url, data)
    assert response.status_code == 302
    preference = AlertPreference.objects.get(user=therapist)
    assert preference.digest_hour == 18
    assert preference.delivery_for(Reason.NO_ACTIVITY) == "digest"
    assert preference.delivery_for(Reason.STEP_BACK) == "off"


def test_bad_choices_are_refused_beside_the_field_and_nothing_is_saved(
    client: Any, therapist: Any
) -> None:
    client.force_login(therapist)
    data = dict.fromkeys(Reason.values, "immediate") | {"digest_hour": "24"}
    data[Reason.STOP_SIGN] = "carrier-pigeon"
    html = client.post(reverse("notifications:preferences"), data).content.decode()
    assert "Select a valid choice" in html
    assert not AlertPreference.objects.exists()
