"""In Chromium: daily-note modalities through copy forward, a failed intake save landing on
its error summary, ROM rows added in place, and axe on the intake form and the portal summary."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Note
from assessments.services import save_note, set_patient_summary, sign_note, start_note
from exercises.models import Modality
from tests.a11y import assert_no_serious_axe_violations
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_daily_note_modalities_copy_forward_without_the_attestation(
    live_server, page, login, therapist, patient
):
    tens = Modality.objects.create(name="TENS (clinic)", slug="tens-b", kind=Modality.Kind.TENS)
    cold = Modality.objects.create(
        name="Cold pack (clinic)", slug="cold-b", kind=Modality.Kind.COLD_PACK
    )
    episode = EpisodeFactory(patient=patient)
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/episodes/{episode.pk}/")
    page.get_by_role("button", name="New daily note (copy forward)").click()
    page.get_by_label("Pain now (NPRS 0-10)").select_option("3")
    page.get_by_label("Modality, row 1").select_option(str(tens.pk))
    page.get_by_label("Parameters, row 1").fill("100 Hz, 200 µs")
    page.get_by_label("Minutes, row 1").fill("20")
    page.get_by_label("Contraindications checked, row 1").check()
    page.get_by_role("button", name="Add a row to modalities applied").click()
    page.get_by_label("Modality, row 2").select_option(str(cold.pk))
    page.get_by_label("Parameters, row 2").fill("Damp towel barrier")
    page.get_by_label("Minutes, row 2").fill("15")
    page.get_by_label("Contraindications checked, row 2").check()
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Draft: not signed.")).to_be_visible()
    page.get_by_role("link", name="Review and sign").click()
    expect(page.get_by_role("region", name="What will be locked")).to_contain_text("TENS (clinic)")
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.locator("#signature")).to_contain_text("Signed and locked")

    page.goto(f"{live_server.url}/patients/episodes/{episode.pk}/")
    page.get_by_role("button", name="New daily note (copy forward)").click()
    expect(page.get_by_label("Modality, row 1")).to_have_value(str(tens.pk))
    expect(page.get_by_label("Parameters, row 1")).to_have_value("100 Hz, 200 µs")
    expect(page.get_by_label("Minutes, row 1")).to_have_value("20")
    expect(page.get_by_label("Modality, row 2")).to_have_value(str(cold.pk))
    expect(page.get_by_label("Parameters, row 2")).to_have_value("Damp towel barrier")
    expect(page.get_by_label("Contraindications checked, row 1")).not_to_be_checked()
    expect(page.get_by_label("Contraindications checked, row 2")).not_to_be_checked()

    page.get_by_label("Pain now (NPRS 0-10)").select_option("2")
    page.get_by_role("button", name="Save note").click()
    beside = page.locator("#id_modalities-0-contraindications_checked-error")
    expect(beside).to_have_text(
        "Confirm you checked the contraindications before applying this modality."
    )
    expect(page.locator("#id_modalities-1-contraindications_checked-error")).to_be_visible()
    new_note = Note.objects.filter(episode=episode).latest("id")
    assert new_note.saved_at is None


def test_a_failed_intake_save_lands_on_the_error_summary_and_rom_rows_are_added_in_place(
    live_server, page, login, therapist, patient
):
    episode = EpisodeFactory(patient=patient)
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/episodes/{episode.pk}/")
    page.get_by_role("button", name="Start intake evaluation").click()
    expect(page.get_by_role("navigation", name="Sections of this note")).to_be_visible()
    assert_no_serious_axe_violations(page)
    rows = page.locator("#table-rom tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("Movement, row 1").select_option("ankle_dorsiflexion")
    page.get_by_label("Right (°), row 1").fill("12")
    page.get_by_label("Left (°), row 1").fill("22")
    page.get_by_role("button", name="Add a row to range of motion").click()
    expect(rows).to_have_count(3)  # added in place, nothing saved yet
    assert Note.objects.get(episode=episode).saved_at is None
    page.get_by_label("Movement, row 3").select_option("knee_flexion")
    page.get_by_label("Right (°), row 3").fill("300")  # impossible: refused
    # "Pain now" left blank: refused too
    page.get_by_role("button", name="Save note").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Pain now (NPRS 0-10): This field is required.")
    link = summary.get_by_role("link", name=re.compile(r"Range of motion, row 3: Right"))
    expect(link).to_have_count(1)
    link.click()
    expect(page.locator("#id_rom-2-right")).to_be_focused()
    expect(page.locator("#id_rom-2-right")).to_have_value("300")
    cell = page.locator("#id_rom-2-right").locator("xpath=..")
    expect(cell.locator(".text-danger")).to_have_count(1)  # one message per error
    expect(page.get_by_label("Left (°), row 1")).to_have_value("22")
    assert_no_serious_axe_violations(page)


def test_the_portal_summary_reads_plainly_first_and_passes_axe_on_a_phone(
    live_server, page, login, therapist, patient_user
):
    patient = patient_user.patient
    episode = EpisodeFactory(patient=patient)
    note = start_note(episode=episode, kind=Note.Kind.INTAKE, by=therapist)
    save_note(
        note=note,
        content={
            "main": {"nprs_now": 4, "diagnosis": "Achilles tendinopathy"},
            "strength": [
                {
                    "muscle_group": "Plantarflexors",
                    "mmt_right": "4-",
                    "mmt_left": "5",
                    "dynamometer_right": "310.0",
                    "dynamometer_left": "390.0",
                }
            ],
        },
        visit_date=note.visit_date,
        by=therapist,
        pain_now=4,
    )
    note = sign_note(note=note, by=therapist)
    set_patient_summary(
        note=note,
        by=therapist,
        summary={
            "found": "Your right calf tires sooner than the left.",
            "plan": "We build calf strength over the next weeks.",
            "home": "Do the calf raises in your program every day.",
        },
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/summaries/{note.pk}/")
    expect(page.get_by_role("heading", name="What we found")).to_be_visible()
    expect(page.get_by_text("Your right calf tires sooner than the left.")).to_be_visible()
    expect(page.get_by_text("310.0")).to_be_hidden()  # the clinical note waits one tap away
    assert_no_serious_axe_violations(page)
    page.get_by_text("Read the full signed note").click()
    expect(page.get_by_role("region", name="Strength")).to_contain_text("310.0")
    assert_no_serious_axe_violations(page)
