"""Modalities on daily notes: the dropdown is filled on every path, rows are added in place,
copy forward carries the modality and its parameters but never the attestation."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from assessments.models import Note
from assessments.services import save_note, sign_note, start_note
from exercises.models import Modality

pytestmark = pytest.mark.django_db


def _two_modalities():
    return [
        Modality.objects.create(name=name, slug=slug, kind=kind, contraindications=["Pacemaker"])
        for name, slug, kind in [
            ("TENS (test)", "tens-test", Modality.Kind.TENS),
            ("Cold pack (test)", "cold-test", Modality.Kind.COLD_PACK),
        ]
    ]


def test_the_modality_dropdown_is_filled_when_the_note_first_opens(client, episode, therapist):
    tens, cold = _two_modalities()
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)  # no draft yet
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_edit", args=[note.pk])).content.decode()
    select = re.search(r'<select name="modalities-0-modality".*?</select>', page, re.S).group(0)
    assert f'value="{tens.pk}"' in select
    assert f'value="{cold.pk}"' in select


def test_copy_forward_keeps_modalities_and_parameters_but_never_the_attestation(
    client, episode, therapist
):
    tens, cold = _two_modalities()
    first = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)
    rows = [
        {
            "modality": tens.pk,
            "modality_name": tens.name,
            "parameters": "100 Hz",
            "minutes": 20,
            "contraindications_checked": True,
        },
        {
            "modality": cold.pk,
            "modality_name": cold.name,
            "parameters": "Damp towel",
            "minutes": 15,
            "contraindications_checked": True,
        },
    ]
    save_note(
        note=first,
        content={"main": {"pain_now": 4}, "modalities": rows},
        visit_date=dt.date(2026, 11, 2),
        by=therapist,
        pain_now=4,
    )
    sign_note(note=first, by=therapist)
    second = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist, copy_forward=True)
    copied = second.content["modalities"]
    assert [r["modality"] for r in copied] == [tens.pk, cold.pk]
    assert [r["parameters"] for r in copied] == ["100 Hz", "Damp towel"]
    assert all("contraindications_checked" not in r for r in copied)
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_edit", args=[second.pk])).content.decode()
    assert re.search(rf'<option value="{tens.pk}" selected>', page)
    assert re.search(rf'<option value="{cold.pk}" selected>', page)
    boxes = re.findall(r'<input[^>]*name="modalities-\d-contraindications_checked"[^>]*>', page)
    assert len(boxes) >= 2
    assert not any("checked>" in box.replace('checked"', "") for box in boxes[:2])


def test_a_modality_row_without_the_tick_or_without_a_modality_is_refused(
    client, episode, therapist
):
    tens, _cold = _two_modalities()
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)
    client.force_login(therapist)
    url = reverse("assessments:note_edit", args=[note.pk])
    base = {
        "visit_date": "2026-11-03",
        "pain_now": "3",
        "modalities-TOTAL_FORMS": "2",
        "modalities-INITIAL_FORMS": "0",
        "minutes-TOTAL_FORMS": "0",  # the treatment minutes table, left empty
        "minutes-INITIAL_FORMS": "0",
        "modalities-0-modality": str(tens.pk),
        "modalities-0-parameters": "100 Hz",
        "modalities-1-parameters": "Damp towel",
        "modalities-1-minutes": "15",
        "modalities-1-contraindications_checked": "on",
    }
    page = client.post(url, base).content.decode()
    assert "Confirm you checked the contraindications" in page
    assert "Choose the modality these parameters were applied with." in page
    note.refresh_from_db()
    assert note.saved_at is None
    # a removed row is dropped, the other is saved with its tick
    fixed = {**base, "modalities-0-contraindications_checked": "on", "modalities-1-DELETE": "on"}
    assert client.post(url, fixed).status_code == 302
    note.refresh_from_db()
    assert [r["modality"] for r in note.content["modalities"]] == [tens.pk]
