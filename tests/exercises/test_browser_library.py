"""In Chromium as a clinic admin: archive an exercise, find it with "show archived", restore it;
the admin's menu fits on one line at 1366 px; a patient-size drawing enlarges and closes."""

from typing import Any

import pytest
from django.template import Context, Template
from playwright.sync_api import expect

from exercises.illustration import render_pose_spec
from tests.a11y import assert_no_serious_axe_violations
from tests.factories import ExerciseFactory

SQUAT_POSE = {
    "start": {"base": "standing"},
    "end": {"base": "standing", "th_n": 80, "sh_n": -28, "th_f": 78, "sh_f": -30},
    "moving": "hip",
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_archives_an_exercise_finds_it_with_show_archived_and_restores_it(
    live_server: Any, page: Any, login: Any, clinic_admin: Any
) -> None:
    own = ExerciseFactory(clinic=clinic_admin.clinic, name="Our ladder drill")
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/library/{own.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_text("Archived:")).to_be_visible()

    page.goto(f"{live_server.url}/library/")
    page.get_by_label("Name, body region or condition").fill("ladder")
    expect(page.get_by_text("No exercises match these filters.")).to_be_visible()
    page.get_by_label("Show archived and hidden").check()
    card = page.locator(".library-grid article", has_text="Our ladder drill")
    expect(card).to_be_visible()
    expect(card.get_by_text("Archived")).to_be_visible()
    assert "show=archived" in page.url
    assert_no_serious_axe_violations(page)
    card.get_by_role("button", name="Restore Our ladder drill").click()
    expect(page.get_by_text("The exercise is back in the library.")).to_be_visible()

    page.goto(f"{live_server.url}/library/?q=ladder")
    expect(page.locator(".library-grid article", has_text="Our ladder drill")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admins_menu_fits_on_one_line_at_1366_px(
    live_server: Any, page: Any, login: Any, clinic_admin: Any
) -> None:
    # The demo clinic's and admin's names (seed_demo), which are longer than the fixtures'.
    clinic_admin.clinic.name = "Riverside Running Rehab"
    clinic_admin.clinic.save()
    clinic_admin.full_name = "Ruth Castellano"
    clinic_admin.save()
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/library/")
    nav = page.locator("nav[aria-label='Main']")
    items = nav.locator(".nav-link, .navbar-brand")
    assert items.count() >= 5
    middles = set()
    for i in range(items.count()):
        box = items.nth(i).bounding_box()
        middles.add(round(box["y"] + box["height"] / 2))
    assert max(middles) - min(middles) <= 4, middles
    assert nav.bounding_box()["height"] < 70


ENLARGE = Template(
    "{% load exercise_pictures %}<!doctype html><html lang='en'><head><title>t</title>"
    "<link rel='stylesheet' href='/static/css/exercises.css'></head><body><main>"
    "{% exercise_picture exercise %}</main>"
    "<script src='/static/js/exercise-picture.js'></script></body></html>"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_large_drawing_enlarges_with_a_button_and_closes_with_escape(
    live_server: Any, page: Any, login: Any, patient_user: Any, settings: Any
) -> None:
    exercise = ExerciseFactory(
        name="Squat",
        illustration_pose=SQUAT_POSE,
        illustration_svg=render_pose_spec("Squat", SQUAT_POSE),
    )
    markup = ENLARGE.render(Context({"exercise": exercise}))
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, patient_user)
    page.route(
        f"{live_server.url}/picture-test",
        lambda route: route.fulfill(status=200, content_type="text/html", body=markup),
    )
    page.goto(f"{live_server.url}/picture-test")
    picture = page.get_by_role("img", name="Drawing of Squat")
    expect(picture).to_be_visible()
    assert picture.bounding_box()["width"] >= 300  # large enough to follow on a phone
    page.get_by_role("button", name="Enlarge the drawing of Squat").click()
    dialog = page.get_by_role("dialog", name="Squat")
    assert_no_serious_axe_violations(page)
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Enlarge the drawing of Squat").focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
