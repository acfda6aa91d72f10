"""The builder keeps what is typed: Publish carries the draft revision the page showed and is
refused when the draft changed since; the message after publishing says whether the patient can
see the program yet; cards are plain templates with the fields and errors beside them."""

import re
from typing import Any

import pytest
from django.urls import reverse

from programs.home import services
from tests.builders import make_program
from tests.programs.home.test_publishing import _messages

pytestmark = pytest.mark.django_db


def _revision(html: str) -> str:
    found = re.search(r'name="revision" value="([^"]+)" id="draft-revision"', html)
    assert found, "the page carries no draft revision"
    return found.group(1)


def _dosage(item: Any, **changes: str) -> dict[str, Any]:
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-{name}": "" if val is None else val for name, val in item.dosage().items()}
    return data | {f"{prefix}-{name}": value for name, value in changes.items()}


def test_a_stale_page_cannot_publish_and_the_saved_edit_sends_the_new_revision(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=1, publish=False)
    item = program.items.get()
    client.force_login(therapist)
    shown = _revision(client.get(reverse("programs:builder", args=[program.pk])).content.decode())

    # Another tab (or a save after this page was drawn) changes the draft.
    saved = client.post(
        reverse("programs:item_update", args=[program.pk, item.pk]),
        _dosage(item, sets="4"),
        HTTP_HX_REQUEST="true",
    )
    stale = client.post(
        reverse("programs:publish", args=[program.pk]), {"revision": shown}, follow=True
    )

    assert services.STALE_DRAFT in _messages(stale)
    assert program.versions.count() == 0
    # The card's answer carries the new revision for the publish form.
    fresh = saved["X-Draft-Revision"]
    assert fresh != shown
    client.post(reverse("programs:publish", args=[program.pk]), {"revision": fresh})
    assert program.versions.get().items[0]["sets"] == 4


def test_adding_or_moving_an_item_also_sends_the_new_revision(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=2, publish=False)
    first = program.items.order_by("position").first()
    client.force_login(therapist)
    shown = _revision(client.get(reverse("programs:builder", args=[program.pk])).content.decode())

    moved = client.post(
        reverse("programs:item_move", args=[program.pk, first.pk]),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
    )

    assert moved["X-Draft-Revision"] != shown
    program.refresh_from_db()
    assert moved["X-Draft-Revision"] == services.draft_revision(program)


def test_after_publishing_the_message_says_the_patient_sees_it_when_they_have_an_account(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=1, publish=False)
    client.force_login(therapist)
    page = client.get(reverse("programs:builder", args=[program.pk])).content.decode()

    response = client.post(
        reverse("programs:publish", args=[program.pk]), {"revision": _revision(page)}, follow=True
    )

    assert f"Version 1 published. {episode.patient.first_name} sees it now." in _messages(response)
    assert "Send portal invitation" not in response.content.decode()


def test_without_a_portal_account_the_message_says_so_and_offers_the_invitation(
    client: Any, episode: Any, therapist: Any
) -> None:
    patient = episode.patient
    patient.user.is_active = False
    patient.user.save(update_fields=["is_active"])
    program = make_program(episode, therapist, items=1, publish=False)
    client.force_login(therapist)

    response = client.post(reverse("programs:publish", args=[program.pk]), follow=True)

    html = response.content.decode()
    assert any("has no portal account yet" in m for m in _messages(response))
    assert "The patient sees it now" not in html
    assert "Send portal invitation" in html
    assert reverse("patients:invite", args=[patient.pk]) in html


def test_a_card_shows_each_field_its_help_and_its_error_beside_it_without_crispy(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=1, publish=False)
    item = program.items.get()
    client.force_login(therapist)

    response = client.post(
        reverse("programs:item_update", args=[program.pk, item.pk]),
        _dosage(item, sets="42"),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    prefix = f"id_item-{item.pk}"
    for name in ("sets", "reps", "hold_seconds", "rest_seconds", "load", "tempo", "side", "note"):
        assert f'for="{prefix}-{name}"' in html
    assert f'id="{prefix}-sets_error_1"' in html
    assert "less than or equal to 10" in html
    assert re.search(
        rf'class="form-control form-control-sm is-invalid"[^>]*id="{prefix}-sets"', html
    )
    assert "e.g. 3-0-3" in html
    assert 'data-state="error"' in html


def test_posting_a_card_unchanged_keeps_the_draft_revision(
    client: Any, episode: Any, therapist: Any
) -> None:
    # The card's autosave and its Save button can both send the same values.
    program = make_program(episode, therapist, items=1, publish=False)
    item = program.items.get()
    client.force_login(therapist)
    url = reverse("programs:item_update", args=[program.pk, item.pk])
    first = client.post(url, _dosage(item, sets="4"), HTTP_HX_REQUEST="true")
    item.refresh_from_db()

    again = client.post(url, _dosage(item), HTTP_HX_REQUEST="true")

    assert again["X-Draft-Revision"] == first["X-Draft-Revision"]
    assert "Saved." in again.content.decode()
