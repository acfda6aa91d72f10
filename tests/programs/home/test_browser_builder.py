"""The builder keeps what is typed, in Chromium: a dosage typed and then "Add modality" pressed
is saved first; Publish with an unsaved edit is refused with a message; leaving warns."""

from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from programs.home.models import ProgramItem
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_program
from tests.factories import HomeModalityFactory as ModalityFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_typed_dosage_is_kept_when_add_modality_is_pressed(
    live_server: Any, browser: Any, login: Any, therapist: Any, episode: Any
) -> None:
    program = make_program(episode, therapist, items=2, publish=False, modality=False)
    ModalityFactory(name="Heat wrap")
    item = program.items.order_by("position").first()
    page = browser.new_page()
    login(page, therapist)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    card = page.locator(f"#item-{item.pk}")

    card.get_by_label("Sets").fill("4")
    card.get_by_text("Not saved").wait_for()
    page.get_by_label("Home modality").select_option(label="Heat wrap")
    page.get_by_role("button", name="Add modality").click()

    page.get_by_text("Heat wrap added.").wait_for()
    assert ProgramItem.objects.get(pk=item.pk).sets == 4
    assert page.locator(f"#item-{item.pk}").get_by_label("Sets").input_value() == "4"
    assert_no_serious_axe_violations(page)


def test_publish_with_an_unsaved_edit_is_refused_with_a_message(
    live_server: Any, browser: Any, login: Any, therapist: Any, episode: Any
) -> None:
    program = make_program(episode, therapist, items=1, publish=False, modality=False)
    item = program.items.get()
    page = browser.new_page()
    login(page, therapist)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    card = page.locator(f"#item-{item.pk}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    card.get_by_label("Sets").fill("5")
    page.get_by_role("button", name="Publish to patient").click()

    page.get_by_text("Not published: the change to").wait_for()
    assert program.versions.count() == 0
    page.locator(f"#item-{item.pk}").get_by_text("Saved.").wait_for()
    assert dialogs == []  # refused before the confirmation was even asked

    # Unsaved changes make leaving ask first.
    page.locator(f"#item-{item.pk}").get_by_label("Reps").fill("9")
    assert page.evaluate("document.querySelectorAll('form.dosage-form[data-state=dirty]').length")
    page.locator(f"#item-{item.pk}").get_by_label("Reps").blur()
    page.locator(f"#item-{item.pk}").get_by_text("Saved.").wait_for()

    page.get_by_role("button", name="Publish to patient").click()
    page.get_by_text("Version 1 published").wait_for()
    assert program.versions.get().items[0]["sets"] == 5
    assert program.versions.get().items[0]["reps"] == 9


def test_leaving_with_an_unsaved_card_asks_first_and_after_the_save_does_not(
    live_server: Any, browser: Any, login: Any, therapist: Any, episode: Any
) -> None:
    program = make_program(episode, therapist, items=1, publish=False, modality=False)
    item = program.items.get()
    page = browser.new_page()
    login(page, therapist)
    builder = f"{live_server.url}/programs/{program.pk}/"
    elsewhere = f"{live_server.url}/patients/{episode.patient.pk}/"
    page.goto(builder)
    sets = page.locator(f"#item-{item.pk}").get_by_label("Sets")
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on this page"

    page.on("dialog", answer)

    # Typed with real key presses (so the page has a user gesture), not saved yet: the card
    # saves on change, which has not fired while the field keeps the focus. Leaving asks; in
    # this Chromium, `page.close(run_before_unload=True)` shows no dialog, a navigation does.
    sets.click()
    sets.press("Control+A")
    sets.press_sequentially("6")
    page.locator(f"#item-{item.pk}").get_by_text("Not saved").wait_for()
    with pytest.raises(PlaywrightError, match="ERR_ABORTED"):
        page.goto(elsewhere, timeout=5000)

    assert dialogs == ["beforeunload"]
    assert page.url == builder  # staying was chosen: still here, with what was typed
    assert sets.input_value() == "6"
    assert ProgramItem.objects.get(pk=item.pk).sets != 6

    # Saved (leaving the field sends the change): now leaving asks nothing.
    sets.press("Tab")
    page.locator(f"#item-{item.pk}").get_by_text("Saved.").wait_for()
    assert ProgramItem.objects.get(pk=item.pk).sets == 6
    dialogs.clear()
    page.goto(elsewhere)

    assert dialogs == []
    assert page.url == elsewhere
