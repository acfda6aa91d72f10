"""The clinic admin uploads a logo and sees it, and finds a refused probe in the audit report."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_uploads_a_logo_sees_it_and_a_gif_is_refused_beside_the_field(
    page: Any, live_server: Any, login: Any, clinic_admin: Any, tmp_path: Any
) -> None:
    good, gif = tmp_path / "logo.png", tmp_path / "logo.gif"
    Image.new("RGBA", (360, 120), (20, 90, 160, 255)).save(good, format="PNG")
    Image.new("P", (40, 40)).save(gif, format="GIF")
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/clinic/")
    page.get_by_label("Logo").set_input_files(str(gif))
    page.get_by_role("button", name="Save clinic details").click()
    page.get_by_text("GIF images are not accepted.").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Logo").set_input_files(str(good))
    page.get_by_role("button", name="Save clinic details").click()
    page.get_by_text("Clinic details saved.").wait_for()
    logo = page.get_by_role("img", name=f"{clinic_admin.clinic.name} logo")
    logo.wait_for()
    # The preview really loads (it was a broken image when it pointed at MEDIA_URL).
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 360


def test_admin_filters_the_audit_report_to_refused_access(
    page: Any,
    live_server: Any,
    login: Any,
    clinic_admin: Any,
    patient_user: Any,
    second_patient_user: Any,
) -> None:
    prober = Client()
    prober.force_login(patient_user)
    prober.get(reverse("patients:chart", args=[second_patient_user.patient.pk]))
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Outcome").select_option("denied")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("refused 403 on patients:chart").wait_for()
    assert page.get_by_role("cell", name=patient_user.email).is_visible()
    assert_no_serious_axe_violations(page)


def test_admin_changes_the_clinic_and_reads_what_changed_in_the_report(
    page: Any, live_server: Any, login: Any, clinic_admin: Any
) -> None:
    old_phone = clinic_admin.clinic.phone
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/clinic/")
    page.get_by_label("Phone").fill("+1 303 555 0199")
    page.get_by_role("button", name="Save clinic details").click()
    page.get_by_text("Clinic details saved.").wait_for()
    page.goto(f"{live_server.url}/audit/")
    diff = page.get_by_role("list", name="What changed").first
    diff.wait_for()
    assert diff.inner_text().strip() == f"Phone: {old_phone or '(empty)'} → +1 303 555 0199"
    assert_no_serious_axe_violations(page)
