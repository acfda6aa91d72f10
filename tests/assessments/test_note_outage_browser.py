"""A note typed while the server cannot save it survives a reload: the text is kept in this
browser until the server confirms a draft, and the message blames the server, not the sign-in."""

import json

import pytest
from playwright.sync_api import expect

from assessments.models import Note
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

UNREACHABLE = "The server is unreachable; your text is kept on this device."


def _start_intake(live_server, page, login, therapist, patient):
    episode = EpisodeFactory(patient=patient, label="Shin splints", icd10_code="M76.81")
    login(page, therapist)
    page.goto(f"{live_server.url}/assessments/episodes/{episode.pk}/")
    page.get_by_role("button", name="Start intake evaluation").click()
    expect(page.get_by_label("Gait notes")).to_be_visible()
    return Note.objects.get(episode=episode)


def _local_copy(page, note, user):
    raw = page.evaluate(f"window.localStorage.getItem('note-draft:{note.pk}:user:{user.pk}')")
    return json.loads(raw) if raw else None


def test_text_typed_while_the_draft_request_fails_survives_a_reload(
    live_server, page, login, therapist, patient
):
    note = _start_intake(live_server, page, login, therapist, patient)
    page.route("**/draft/", lambda route: route.abort())
    page.get_by_label("Gait notes").fill("Typed while the database was down")
    expect(page.locator("#autosave-status")).to_have_text(UNREACHABLE, timeout=15000)
    assert not note.drafts.exists()

    page.reload()
    expect(page.get_by_label("Gait notes")).to_have_value("Typed while the database was down")
    expect(page.locator("#autosave-status")).to_contain_text("kept on this device")

    # The server is back: the kept text is saved, and the copy on this device is cleared.
    page.unroute("**/draft/")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved", timeout=15000)
    assert _local_copy(page, note, therapist) is None
    draft = note.drafts.get()
    assert ["Typed while the database was down"] in draft.data.values()


def test_a_server_error_on_autosave_blames_the_server_not_the_sign_in(
    live_server, page, login, therapist, patient
):
    note = _start_intake(live_server, page, login, therapist, patient)
    page.route("**/draft/", lambda route: route.fulfill(status=500, body="database down"))
    page.get_by_label("Gait notes").fill("Still typing")
    expect(page.locator("#autosave-status")).to_have_text(UNREACHABLE, timeout=15000)
    kept = _local_copy(page, note, therapist)
    assert kept is not None
    assert "Still typing" in json.dumps(kept["fields"])


def test_a_copy_older_than_the_saved_note_is_not_restored(
    live_server, page, login, therapist, patient
):
    note = _start_intake(live_server, page, login, therapist, patient)
    name = page.get_by_label("Gait notes").get_attribute("name")
    stale = json.dumps({"at": 1000, "fields": {name: ["stale text from long ago"]}})
    page.evaluate(
        "([key, value]) => window.localStorage.setItem(key, value)",
        [f"note-draft:{note.pk}:user:{therapist.pk}", stale],
    )
    page.reload()
    expect(page.get_by_label("Gait notes")).to_have_value("")
    assert _local_copy(page, note, therapist) is None
