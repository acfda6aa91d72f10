"""Times show in the clinic's zone on every page: switch the zone and the note, audit and
portal pages follow, naming the zone where it matters."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from assessments.services import sign_note
from tests.builders import intake

pytestmark = pytest.mark.django_db
SIGNED = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)


def _signed_note(episode, therapist):
    note = intake(episode, therapist)
    with mock.patch("django.utils.timezone.now", return_value=SIGNED):
        sign_note(note=note, by=therapist)
    return note


@pytest.mark.parametrize(
    ("zone", "shown", "abbreviation"),
    [("America/Chicago", "2026-11-20 09:30", "CST"), ("Europe/Berlin", "2026-11-20 16:30", "CET")],
)
def test_note_audit_and_portal_pages_use_the_clinics_zone(
    client, clinic, episode, therapist, clinic_admin, patient_user, zone, shown, abbreviation
):
    clinic.timezone = zone
    clinic.save(update_fields=["timezone"])
    note = _signed_note(episode, therapist)
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert f"{shown} {abbreviation} ({zone})" in page
    assert "UTC" not in page.split('id="signature"', 1)[1].split("</div>", 1)[0]

    client.force_login(patient_user)
    portal = client.get(reverse("assessments:portal_summary", args=[note.pk])).content.decode()
    assert abbreviation in portal
    day, time = shown.split()
    assert f"{int(day[-2:])} Nov 2026 {time} {abbreviation}" in portal

    client.force_login(clinic_admin)
    audit = client.get(reverse("audit:report")).content.decode()
    assert f"Time ({zone})" in audit
    assert f" {abbreviation}</td>" in audit
