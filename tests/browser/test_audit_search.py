"""The clinic admin finds one patient's and one user's trail in the audit report by typing:
suggestions from the admin's own clinic appear as they type, Enter filters, axe passes."""

from typing import Any

import pytest

from rehab_clinic.audit.services import record_event
from tests.a11y import assert_no_serious_axe_violations
from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_types_a_patient_and_a_user_and_the_report_narrows(
    page: Any, live_server: Any, login: Any, clinic: Any, clinic_admin: Any, therapist: Any
) -> None:
    wanted = PatientFactory(clinic=clinic, first_name="Ottoline", last_name="Quarrington")
    other = PatientFactory(clinic=clinic, first_name="Bea", last_name="Quarles")
    record_event(user=therapist, action="view", patient=wanted, obj=wanted)
    record_event(user=clinic_admin, action="view", patient=other, obj=other)
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/audit/")

    patient = page.get_by_label("Patient")
    patient.press_sequentially("Quar", delay=40)
    options = page.locator("#audit-patient-options option")
    options.nth(1).wait_for(state="attached")
    labels = options.evaluate_all("os => os.map(o => o.label || o.textContent)")
    assert any("Ottoline Quarrington" in text for text in labels)
    assert any("Bea Quarles" in text for text in labels)
    assert_no_serious_axe_violations(page)

    patient.fill(wanted.mrn)  # what picking the suggestion puts in the box
    patient.press("Enter")
    page.get_by_role("cell", name=wanted.full_name).first.wait_for()
    assert page.get_by_role("cell", name=other.full_name).count() == 0
    assert "1 event matches" in page.content()

    page.get_by_label("Patient").fill("")
    user = page.get_by_label("User")
    user.press_sequentially(therapist.full_name.split()[0][:4], delay=40)
    page.locator("#audit-user-options option").first.wait_for(state="attached")
    user.fill(therapist.email)
    user.press("Enter")
    page.get_by_role("cell", name=wanted.full_name).first.wait_for()
    assert page.get_by_role("cell", name=other.full_name).count() == 0
    assert_no_serious_axe_violations(page)


CUT_SELECTS = """() => Array.from(document.querySelectorAll('main select')).filter((select) => {
  const style = getComputedStyle(select);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = select.options[select.selectedIndex].text;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return context.measureText(text).width > room + 0.5;
}).map((select) => select.name)"""


@pytest.mark.parametrize("width", [1280, 1600])
def test_the_report_filters_show_their_chosen_option_whole(
    page: Any, live_server: Any, login: Any, clinic_admin: Any, width: int
) -> None:
    # At 1280 pixels the sort read "Newest firs", the outcome "Any outcor".
    page.set_viewport_size({"width": width, "height": 900})
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/audit/")
    assert page.evaluate(CUT_SELECTS) == []
