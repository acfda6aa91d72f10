"""Each role signs in through the real form in Chromium, lands on its page and uses it."""

from typing import Any

import pytest

from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_therapist_adds_a_patient_opens_an_episode_and_discharges_it(
    page: Any, live_server: Any, login: Any, therapist: Any
) -> None:
    login(page, therapist)
    page.get_by_role("heading", name="Today").wait_for()
    page.get_by_role("link", name="Caseload").click()
    page.get_by_role("heading", name="Caseload").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="New patient").click()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Quintero")
    page.get_by_label("Date of birth").fill("2099-04-05")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Medical record number").fill("RQ-1")
    page.get_by_label("Weekly distance (mi)").fill("20")
    page.get_by_role("button", name="Save patient").click()
    # The mistake is explained beside the field and nothing typed is lost.
    page.get_by_text("The date of birth cannot be in the future.").wait_for()
    assert page.get_by_label("First name").input_value() == "Rosa"
    assert page.get_by_label("Weekly distance (mi)").input_value() == "20"
    page.get_by_label("Date of birth").fill("1994-04-05")
    page.get_by_role("button", name="Save patient").click()
    page.get_by_role("heading", name="Rosa Quintero").wait_for()
    assert page.get_by_text("20.0 mi").is_visible()
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="New episode").click()
    page.get_by_label("Clinical label").fill("Iliotibial band syndrome, left")
    page.get_by_label("ICD-10-CM code").fill("M76.32")
    page.get_by_label("Side").select_option("left")
    page.get_by_role("button", name="Save episode").click()
    page.get_by_role("heading", name="Iliotibial band syndrome, left").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Discharge").click()
    page.get_by_label("Discharged on").fill("2026-11-01")
    page.get_by_label("Reason").fill("Back to full training")
    page.get_by_role("button", name="Discharge episode").click()
    page.get_by_text("Episode discharged.").wait_for()

    page.get_by_role("link", name="Caseload").click()
    page.get_by_label("Search by name or record number").fill("Quint")
    page.get_by_role("link", name="Quintero, Rosa").wait_for()


def test_patient_lands_on_the_portal_on_a_phone_and_edits_their_details(
    page: Any, live_server: Any, login: Any, patient_user: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, patient_user)
    page.get_by_role("heading", name="Hello, Paula").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("link", name="My details").click()
    page.get_by_label("Phone").fill("555-0199")
    page.get_by_role("button", name="Save my details").click()
    page.get_by_text("Your details were saved.").wait_for()
    patient_user.patient.refresh_from_db()
    assert patient_user.patient.phone == "555-0199"


def test_admin_lands_on_the_clinic_page_changes_a_role_and_reads_the_audit_report(
    page: Any, live_server: Any, login: Any, clinic_admin: Any, therapist: Any
) -> None:
    login(page, clinic_admin)
    page.get_by_role("heading", name=clinic_admin.clinic.name).wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Staff").click()
    # Checked once the page is there (axe ran on the clinic page while Staff was loading).
    page.get_by_role("heading", name="Staff").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=f"Edit {therapist.full_name}").click()
    page.get_by_label("Role").select_option("clinic_admin")
    page.get_by_role("button", name="Save staff member").click()
    page.get_by_text(f"{therapist.full_name} was updated.").wait_for()
    page.get_by_role("link", name="Audit report").click()
    page.get_by_label("Action").select_option("role_change")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("cell", name="Role changed").wait_for()
    assert_no_serious_axe_violations(page)


def test_sign_in_page_is_accessible_and_refuses_a_wrong_password(
    page: Any, live_server: Any, therapist: Any
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Email").fill(therapist.email)
    page.get_by_label("Password").fill("wrong-one")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("That email and password do not match an active account.").wait_for()
    assert page.get_by_label("Email").input_value() == therapist.email
