"""Time in and out and minutes per billing code on a daily note: validation beside the fields
with nothing typed lost, the round trip through the form, the units on the preview and on the
signed note, copy forward leaving them behind, and the clinic's editable code list."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from assessments.billing_codes import DEFAULT_CODES, BillingCode
from assessments.billing_services import seed_billing_codes
from assessments.models import Note
from assessments.services import save_note, sign_note, start_note
from rehab_clinic.accounts.services import create_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(clinic):
    seed_billing_codes(clinic=clinic)
    return {c.code: c for c in BillingCode.objects.filter(clinic=clinic)}


@pytest.fixture
def note(episode, therapist, codes):
    return start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)


def _post(client, note, *, time_in="09:00", time_out="09:50", rows=(), **extra):
    data = {
        "visit_date": "2026-11-20",
        "pain_now": "3",
        "subjective": "Calf easier on the stairs.",
        "time_in": time_in,
        "time_out": time_out,
        "modalities-TOTAL_FORMS": "0",
        "modalities-INITIAL_FORMS": "0",
        "minutes-TOTAL_FORMS": str(len(rows)),
        "minutes-INITIAL_FORMS": "0",
    }
    for i, (code, minutes) in enumerate(rows):
        data[f"minutes-{i}-code"] = code
        data[f"minutes-{i}-minutes"] = str(minutes)
    data.update(extra)
    return client.post(reverse("assessments:note_edit", args=[note.pk]), data)


CMS_EXAMPLE_4 = [("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8)]


def test_a_new_clinic_gets_the_default_codes_as_its_own_rows(db):
    clinic, _link = create_clinic(
        name="Hillside Runners",
        timezone_name="Europe/London",
        distance_unit="km",
        admin_email="admin@hillside.example",
        admin_name="Hil Admin",
        base_url="https://clinic.example",
        send_email=False,
    )
    stored = list(BillingCode.objects.filter(clinic=clinic).values_list("code", "timed"))
    assert stored == [(d.code, d.timed) for d in DEFAULT_CODES]
    assert ("97010", False) in stored
    assert ("97032", True) in stored


def test_seeding_twice_keeps_the_clinics_edits(clinic, codes):
    BillingCode.objects.filter(clinic=clinic, code="97010").update(timed=True, label="Packs")
    seed_billing_codes(clinic=clinic)
    assert BillingCode.objects.filter(clinic=clinic).count() == len(DEFAULT_CODES)
    assert BillingCode.objects.get(clinic=clinic, code="97010").label == "Packs"


def test_the_form_offers_the_clinics_active_codes_only(client, therapist, note, codes, clinic):
    BillingCode.objects.filter(clinic=clinic, code="97124").update(active=False)
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_edit", args=[note.pk])).content.decode()
    select = re.search(r'<select name="minutes-0-code".*?</select>', page, re.S).group(0)
    assert 'value="97110"' in select
    assert "97010 Hot or cold packs (untimed)" in select
    assert 'value="97124"' not in select


def test_saved_minutes_come_back_in_the_form_and_show_their_units(client, therapist, note):
    client.force_login(therapist)
    response = _post(client, note, rows=[*CMS_EXAMPLE_4, ("97010", "")])
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.content["main"]["time_in"] == "09:00"
    assert note.content["main"]["time_out"] == "09:50"
    assert [(r["code"], r["minutes"], r["timed"]) for r in note.content["minutes"]] == [
        ("97110", 18, True),
        ("97140", 13, True),
        ("97116", 10, True),
        ("97035", 8, True),
        ("97010", None, False),
    ]
    assert note.content["minutes"][0]["code_name"] == "97110 Therapeutic exercise"
    page = client.get(reverse("assessments:note_edit", args=[note.pk])).content.decode()
    assert re.search(r'<option value="97140" selected>', page)
    assert 'name="time_in" value="09:00"' in page
    assert "Total timed minutes" in page  # the preview, from the saved rows


def test_the_preview_button_works_the_units_out_and_saves_nothing(client, therapist, note):
    client.force_login(therapist)
    response = _post(client, note, rows=CMS_EXAMPLE_4, preview_units="1")
    assert response.status_code == 200
    page = response.content.decode()
    preview = page[page.index('id="units-preview"') :]
    assert re.search(r"<dt[^>]*>Total timed minutes</dt>\s*<dd[^>]*>49</dd>", preview)
    assert re.search(r"<dt[^>]*>Total units</dt>\s*<dd[^>]*>3</dd>", preview)
    assert "<td>97035 Ultrasound</td><td>8</td><td>0</td>" in preview
    note.refresh_from_db()
    assert note.saved_at is None
    assert note.content == {}


@pytest.mark.parametrize(
    ("times", "rows", "field", "message"),
    [
        (("10:00", "09:30"), [], "time_out", "Time out must be after time in"),
        (("10:00", "10:00"), [], "time_out", "Time out must be after time in"),
        (("09:00", "09:30"), [("97110", 31)], "minutes-0-minutes", "More than the 30 minutes"),
        (
            ("09:00", "09:30"),
            [("97110", 20), ("97140", 15)],
            "time_out",
            "The timed minutes add up to 35, more than the 30 minutes",
        ),
        (("09:00", "09:30"), [("97110", -5)], "minutes-0-minutes", "Minutes cannot be negative"),
        (("", ""), [("97110", 10)], "time_in", "Enter time in and time out"),
        (("09:00", "09:30"), [("", 10)], "minutes-0-code", "Choose the code these minutes"),
        (("09:00", "09:30"), [("97110", "")], "minutes-0-minutes", "Enter the minutes of"),
    ],
)
def test_bad_minutes_are_refused_beside_the_field_and_nothing_typed_is_lost(
    client, therapist, note, times, rows, field, message
):
    client.force_login(therapist)
    response = _post(client, note, time_in=times[0], time_out=times[1], rows=rows)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved" in page
    assert message in page
    # The message sits with its field (crispy's error_1_id_<name>, or the table's <id>-error).
    assert re.search(
        rf'id="(error_1_id_{field}|id_{field}-error)"[^>]*>[^<]*(<strong>)?{message}', page
    )
    assert "Calf easier on the stairs." in page
    for code, minutes in rows:
        if code:
            assert re.search(rf'<option value="{code}" selected>', page)
        if minutes != "":
            assert f'value="{minutes}"' in page
    note.refresh_from_db()
    assert note.saved_at is None


def test_untimed_minutes_do_not_count_against_the_session(client, therapist, note):
    client.force_login(therapist)
    response = _post(
        client, note, time_in="09:00", time_out="09:30", rows=[("97110", 30), ("97010", 15)]
    )
    assert response.status_code == 302


def _saved(note, by, rows, times=("09:00", "09:50")):
    return save_note(
        note=note,
        content={
            "main": {"pain_now": 3, "time_in": times[0], "time_out": times[1]},
            "minutes": rows,
            "modalities": [{"modality": None, "parameters": "Damp towel", "minutes": 10}],
        },
        visit_date=dt.date(2026, 11, 20),
        by=by,
        pain_now=3,
    )


def _row(code, minutes, label, timed=True):
    return {"code": code, "minutes": minutes, "code_name": f"{code} {label}", "timed": timed}


def test_the_signed_note_shows_the_units_from_what_it_kept(client, therapist, note, clinic):
    rows = [
        _row("97110", 33, "Therapeutic exercise"),
        _row("97140", 7, "Manual therapy"),
        _row("97010", None, "Hot or cold packs", timed=False),
    ]
    sign_note(note=_saved(note, therapist, rows), by=therapist)
    # The clinic changes its list afterwards: the signed note keeps its own flags and labels.
    BillingCode.objects.filter(clinic=clinic, code="97010").update(timed=True, label="Packs")
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert "Signed and locked" in page
    assert re.search(r"<dt[^>]*>Time in and out</dt>\s*<dd[^>]*>09:00 to 09:50</dd>", page)
    assert re.search(r"<dt[^>]*>Total timed minutes</dt>\s*<dd[^>]*>40</dd>", page)
    assert re.search(r"<dt[^>]*>Timed units \(8-minute rule\)</dt>\s*<dd[^>]*>3</dd>", page)
    assert re.search(r"<dt[^>]*>Untimed codes, one unit each</dt>\s*<dd[^>]*>97010</dd>", page)
    assert re.search(r"<dt[^>]*>Total units</dt>\s*<dd[^>]*>4</dd>", page)
    assert "<td>97110 Therapeutic exercise</td><td>33</td><td>2</td>" in page
    assert "<td>97140 Manual therapy</td><td>7</td><td>1</td>" in page
    assert "<td>97010 Hot or cold packs</td><td></td><td>1 (untimed)</td>" in page
    note.refresh_from_db()
    assert note.hash_matches()


def test_a_signed_notes_minutes_cannot_be_changed(client, therapist, note):
    sign_note(
        note=_saved(note, therapist, [_row("97110", 20, "Therapeutic exercise")]), by=therapist
    )
    client.force_login(therapist)
    response = _post(client, note, rows=[("97110", 45)])
    assert response.status_code == 409
    note.refresh_from_db()
    assert note.content["minutes"][0]["minutes"] == 20


def test_copy_forward_leaves_the_times_and_minutes_behind(therapist, note, episode):
    sign_note(
        note=_saved(note, therapist, [_row("97110", 20, "Therapeutic exercise")]), by=therapist
    )
    second = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist, copy_forward=True)
    assert "minutes" not in second.content
    assert "time_in" not in second.content["main"]
    assert "time_out" not in second.content["main"]
    # A modality's dose (its minutes too) is the plan, and is carried as before.
    assert second.content["modalities"] == [
        {"modality": None, "parameters": "Damp towel", "minutes": 10}
    ]


# The clinic admin's page ------------------------------------------------------------------


def _codes_post(codes, changes=None, new=()):
    changes = changes or {}
    total, initial = str(len(codes) + len(new)), str(len(codes))
    data = {"codes-TOTAL_FORMS": total, "codes-INITIAL_FORMS": initial}
    for i, code in enumerate(codes):
        values = {"label": code.label, "timed": code.timed, "active": code.active}
        values |= changes.get(code.code, {})
        data[f"codes-{i}-label"] = values["label"]
        if values["timed"]:
            data[f"codes-{i}-timed"] = "on"
        if values["active"]:
            data[f"codes-{i}-active"] = "on"
    for j, (code, label, timed) in enumerate(new, start=len(codes)):
        data[f"codes-{j}-code"] = code
        data[f"codes-{j}-label"] = label
        data[f"codes-{j}-active"] = "on"
        if timed:
            data[f"codes-{j}-timed"] = "on"
    return data


def test_the_clinic_admin_edits_retires_and_adds_codes(client, clinic_admin, clinic, codes):
    url = reverse("assessments:billing_codes")
    client.force_login(clinic_admin)
    page = client.get(url).content.decode()
    assert 'value="Therapeutic exercise"' in page
    ordered = list(BillingCode.objects.filter(clinic=clinic))
    data = _codes_post(
        ordered,
        changes={"97010": {"timed": True}, "97124": {"active": False}},
        new=[("97033", "Iontophoresis", True)],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    after = {c.code: c for c in BillingCode.objects.filter(clinic=clinic)}
    assert after["97010"].timed is True
    assert after["97124"].active is False
    assert (after["97033"].label, after["97033"].timed, after["97033"].updated_by) == (
        "Iontophoresis",
        True,
        clinic_admin,
    )
    # The list keeps its order; the new code goes at the end.
    assert [c.code for c in BillingCode.objects.filter(clinic=clinic)] == [
        *(d.code for d in DEFAULT_CODES),
        "97033",
    ]


def test_a_code_number_cannot_be_changed_or_duplicated(client, clinic_admin, clinic, codes):
    url = reverse("assessments:billing_codes")
    client.force_login(clinic_admin)
    ordered = list(BillingCode.objects.filter(clinic=clinic))
    data = _codes_post(ordered, new=[("97110", "Exercise again", True), ("9711", "Short", True)])
    data["codes-0-code"] = "99999"  # the number of an existing code is not editable
    page = client.post(url, data).content.decode()
    assert "97110 is on the list already." in page
    assert "five letters or digits" in page
    assert 'value="Exercise again"' in page  # nothing typed is lost
    assert not BillingCode.objects.filter(clinic=clinic, code="99999").exists()
    assert BillingCode.objects.filter(clinic=clinic).count() == len(DEFAULT_CODES)


def test_only_the_clinic_admin_opens_the_code_list(client, therapist, other_admin, codes):
    url = reverse("assessments:billing_codes")
    client.force_login(therapist)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {}).status_code in (403, 404)
    client.force_login(other_admin)
    page = client.get(url).content.decode()
    assert "Therapeutic exercise" not in page  # another clinic's admin sees their own list only
