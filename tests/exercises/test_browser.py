"""In Chromium: an admin adds an exercise with a photo; a therapist finds it by search and filter.

axe-core checks the library pages on the way.
"""

import io
import re
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from exercises.models import ExercisePhoto
from exercises.seed import load_shared_library
from tests.a11y import assert_no_serious_axe_violations


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_adds_an_exercise_with_a_photo_and_a_therapist_finds_it(
    live_server: Any, page: Any, login: Any, clinic_admin: Any, therapist: Any
) -> None:
    load_shared_library()
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/library/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="New exercise").click()
    page.locator("#id_name").fill("Banded hip hinge")
    page.locator("#id_aliases").fill("band good morning")
    page.locator("#id_category").select_option("hip_glute")
    page.get_by_label("Buttock").check()
    page.get_by_label("Resistance band").check()
    page.get_by_label("Proximal hamstring tendinopathy").check()
    page.locator("#id_instructions").fill("Stand on the band.\nHinge at the hips.\nStand tall.")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Banded hip hinge")).to_be_visible()

    page.get_by_role("link", name="Add photo").click()
    page.locator("#id_image").set_input_files(
        files=[{"name": "hinge.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.locator("#id_alt_text").fill("Runner hinging with a band under the feet")
    page.get_by_role("button", name="Upload").click()
    photo = page.get_by_role("img", name="Runner hinging with a band under the feet")
    expect(photo).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", photo.element_handle()) > 0
    assert ExercisePhoto.objects.count() == 1
    assert_no_serious_axe_violations(page)
    for path in ("/library/modalities/new/?kind=ultrasound", "/library/transfer/"):
        page.goto(f"{live_server.url}{path}")
        assert_no_serious_axe_violations(page)

    page.context.clear_cookies()
    login(page, therapist)
    page.goto(f"{live_server.url}/library/")
    page.get_by_label("Name, body region or condition").fill("good morning")
    results = page.locator("#exercise-results")
    expect(results.get_by_role("link", name="Banded hip hinge")).to_be_visible()
    expect(results.get_by_role("link", name="Clamshell", exact=True)).to_have_count(0)
    page.get_by_label("Name, body region or condition").fill("")
    expect(results.get_by_role("link", name="A-march")).to_be_visible()
    page.get_by_label("Used for").select_option("hamstring_tendinopathy")
    expect(page).to_have_url(re.compile(r"injury=hamstring_tendinopathy"))
    page.get_by_label("Equipment").select_option("band")
    expect(page).to_have_url(re.compile(r"equipment=band"))
    expect(results.get_by_role("link", name="A-march")).to_have_count(0)
    expect(results.get_by_role("link", name="Banded hip hinge")).to_be_visible()
    expect(results.get_by_role("link", name="Band glute bridge")).to_be_visible()
    assert_no_serious_axe_violations(page)
    results.get_by_role("link", name="Banded hip hinge").click()
    expect(
        page.get_by_role("img", name="Runner hinging with a band under the feet")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    page.goto(f"{live_server.url}/library/modalities/")
    page.get_by_role("link", name="Therapeutic ultrasound").click()
    expect(page.get_by_text("Over the eyes")).to_be_visible()
    assert_no_serious_axe_violations(page)
