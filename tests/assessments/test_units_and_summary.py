"""Pace and shoe mileage in the clinic's unit on the intake, and the patient's plain-language
visit summary (drafted from the note, accepted by the therapist, shown first in the portal)."""

import pytest
from django.urls import reverse

from assessments.models import Note
from assessments.services import save_note, sign_note, start_note
from assessments.visit_summary import draft_patient_summary
from tests.assessments.test_views import INTAKE_POST

pytestmark = pytest.mark.django_db


def test_a_miles_clinic_sees_pace_per_mile_and_shoe_mileage_in_miles(
    client, clinic, episode, therapist
):
    clinic.distance_unit = "mi"
    clinic.save(update_fields=["distance_unit"])
    patient = episode.patient
    patient.usual_pace_s_per_km = 326  # 5:26 /km
    patient.shoe_age_km = 644
    patient.save(update_fields=["usual_pace_s_per_km", "shoe_age_km"])
    note = start_note(episode=episode, kind=Note.Kind.INTAKE, by=therapist)
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_edit", args=[note.pk])).content.decode()
    assert 'value="8:45 /mi"' in page  # 326 s/km x 1.609344
    assert "/km" not in page
    assert "Shoe mileage (mi)" in page
    assert 'name="shoe_mileage" value="400"' in page  # 644 km
    data = {**INTAKE_POST, "shoe_mileage": "250"}
    assert client.post(reverse("assessments:note_edit", args=[note.pk]), data).status_code == 302
    note.refresh_from_db()
    assert note.content["main"]["shoe_age_km"] == 402  # stored in km, as on the profile
    detail = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert "250 mi" in detail


def test_the_summary_draft_speaks_plainly():
    draft = draft_patient_summary(
        {
            "main": {
                "pain_now": 3,
                "response": "Less pain on stairs.",
                "plan": "Add hopping next week.",
                "recommendations": "Calf raises daily.",
            },
            "strength": [{"mmt_right": "4-", "dynamometer_right": "310.0"}],
        }
    )
    assert draft["found"] == "You rated your pain 3 out of 10 today. Less pain on stairs."
    assert draft["plan"] == "Add hopping next week."
    assert draft["home"] == "Calf raises daily."
    assert "310" not in " ".join(draft.values())


def test_the_patient_reads_the_accepted_summary_first_and_the_full_note_one_tap_away(
    client, episode, therapist, patient_user
):
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)
    save_note(
        note=note,
        content={"main": {"pain_now": 3, "objective": "MMT plantarflexors 4-/5, 310 N"}},
        visit_date=note.visit_date,
        by=therapist,
        pain_now=3,
    )
    client.force_login(therapist)
    url = reverse("assessments:note_patient_summary", args=[note.pk])
    client.post(url, {"found": "x", "plan": "y", "home": "z"})
    note.refresh_from_db()
    assert note.patient_summary == {}  # unsigned: refused
    sign_note(note=note, by=therapist)
    detail = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert "You rated your pain 3 out of 10 today." in detail  # the draft, ready to accept
    client.post(
        url,
        {
            "found": "Your calf is getting stronger.",
            "plan": "We add hopping next week.",
            "home": "Calf raises every day.",
        },
    )
    note.refresh_from_db()
    assert note.hash_matches()  # the summary is not part of the signed content
    client.force_login(patient_user)
    page = client.get(reverse("assessments:portal_summary", args=[note.pk])).content.decode()
    found = page.index("Your calf is getting stronger.")
    full = page.index('<details id="full-note"')
    assert found < full < page.index("MMT plantarflexors 4-/5, 310 N")
    assert "Read the full signed note" in page
