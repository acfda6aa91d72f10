"""Audit detail: each change event keeps the old and new value of each changed field.

One test per audited model (patient, episode, a note before signing, a home program and its
dosage, a return-to-run plan, the clinic, a user's role): the changed field is there as
[old, new], fields that did not change are not. Then the pure diff itself, the report's rendering
(escaped), the CSV, and `verify_audit` noticing an edited diff.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.forms import BaseForm
from django.urls import reverse
from django.utils import timezone

from assessments.models import Note
from assessments.services import save_note, start_note
from patients.forms import EpisodeForm, PatientForm
from patients.services import discharge_episode, save_episode, save_patient
from programs.home.forms import ProgramItemForm
from programs.home.services import save_program_item
from programs.running import services as running
from rehab_clinic.audit.changes import (
    field_changes,
    is_secret_field,
    safe_changes,
    snapshot,
    stored_snapshot,
)
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event, verify_chain
from tests.builders import make_plan, make_program

pytestmark = pytest.mark.django_db


def _latest(**filters: Any) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).latest("id")


def _as_posted(form: BaseForm) -> dict[str, Any]:
    """What the browser would send back for an unbound form: every field's current value."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        data[form.add_prefix(name)] = "" if value is None else value
    return data


# --- the pure diff ----------------------------------------------------------------------------


def test_the_diff_has_changed_fields_only_with_old_and_new() -> None:
    before = {"first_name": "Ann", "dob": "1990-01-02", "runs": 3, "flag": False}
    after = {"first_name": "Anna", "dob": "1990-01-02", "runs": 3, "flag": True}
    assert field_changes(before, after) == {"first_name": ["Ann", "Anna"], "flag": [False, True]}


def test_a_field_on_one_side_only_changed_from_or_to_nothing() -> None:
    assert field_changes({"content.main.a": 1}, {"content.main.b": 2}) == {
        "content.main.a": [1, None],
        "content.main.b": [None, 2],
    }


def test_zero_and_false_and_blank_are_told_apart() -> None:
    assert field_changes({"x": 0}, {"x": False}) == {"x": [0, False]}
    assert field_changes({"x": ""}, {"x": None}) == {"x": ["", None]}


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "otp_secret",
        "token_hash",
        "session_key",
        "credential_id",
        "backupCodeSalt",
        "content.main.api_token",
        "signature",
    ],
)
def test_secret_looking_names_are_denied(name: str) -> None:
    assert is_secret_field(name)
    assert safe_changes({name: ["a", "b"], "role": ["therapist", "clinic_admin"]}) == {
        "role": ["therapist", "clinic_admin"]
    }


@pytest.mark.parametrize("name", ["icd10_code", "weekly_distance_m", "content.main.pain_now"])
def test_clinical_names_are_kept(name: str) -> None:
    assert not is_secret_field(name)


def test_a_user_snapshot_reads_only_its_allowlist(therapist: Any) -> None:
    assert set(snapshot(therapist)) <= {"email", "full_name", "clinic", "role", "is_active"}
    assert "password" not in snapshot(therapist)
    assert therapist.password not in str(snapshot(therapist))


def test_values_are_plain_json_scalars(episode: Any) -> None:
    values = snapshot(episode)
    assert all(v is None or isinstance(v, str | int | bool) for v in values.values())
    assert safe_changes({"load": [Decimal("2.50"), 1.5], "key": [UUID(int=1), None]}) == {
        "load": ["2.50", "1.5"]
    }
    assert safe_changes({"when": [dt.date(2026, 1, 2), None]}) == {"when": ["2026-01-02", None]}


def test_long_values_are_cut() -> None:
    stored = safe_changes({"note": ["x" * 5000, "y"]})
    assert len(stored["note"][0]) == 1000


def test_a_json_field_is_spread_into_one_entry_per_answer(therapist: Any, episode: Any) -> None:
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)
    note.content = {"main": {"pain_now": 3, "plan": "Continue"}, "rows": [{"reps": 10}]}
    values = snapshot(note)
    assert values["content.main.pain_now"] == 3
    assert values["content.rows.0.reps"] == 10


# --- one test per audited model ---------------------------------------------------------------


def test_a_patient_change_records_old_and_new_and_not_the_unchanged(
    therapist: Any, patient: Any
) -> None:
    old_last_name, old_dob = patient.last_name, patient.date_of_birth
    form = PatientForm(instance=patient, clinic=patient.clinic)
    data = _as_posted(form) | {"date_of_birth": "1985-03-04", "goal_race": "Berlin Marathon"}
    form = PatientForm(data, instance=patient, clinic=patient.clinic)
    assert form.is_valid(), form.errors
    save_patient(patient=form.save(commit=False), changed=form.changed_data, by=therapist)
    changes = _latest(action="change", object_type="patients.Patient").changes
    assert changes["date_of_birth"] == [old_dob.isoformat(), "1985-03-04"]
    assert changes["goal_race"][1] == "Berlin Marathon"
    assert "last_name" not in changes
    assert "first_name" not in changes
    assert patient.last_name == old_last_name


def test_an_episode_change_records_the_diagnosis_code_old_and_new(
    therapist: Any, episode: Any
) -> None:
    old_code = episode.icd10_code
    form = EpisodeForm(instance=episode)
    form = EpisodeForm(_as_posted(form) | {"icd10_code": "m76.6"}, instance=episode)
    assert form.is_valid(), form.errors
    save_episode(
        episode=form.save(commit=False),
        patient=episode.patient,
        changed=form.changed_data,
        by=therapist,
    )
    changes = _latest(action="change", object_type="patients.Episode").changes
    assert changes == {"icd10_code": [old_code, "M76.6"]}


def test_a_discharge_records_the_status_and_date(therapist: Any, episode: Any) -> None:
    discharge_episode(episode=episode, on=dt.date(2026, 3, 1), reason="Goals met", by=therapist)
    changes = _latest(object_type="patients.Episode", detail__startswith="discharged").changes
    assert changes["status"] == ["active", "discharged"]
    assert changes["discharged_on"] == [None, "2026-03-01"]
    assert "label" not in changes


def test_a_note_saved_before_signing_records_each_changed_answer(
    therapist: Any, episode: Any
) -> None:
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)
    day = dt.date(2026, 2, 2)
    content = {"main": {"pain_now": 4, "subjective": "Sore", "plan": "Continue"}}
    note = save_note(note=note, content=content, visit_date=day, by=therapist, pain_now=4)
    content = {"main": {"pain_now": 2, "subjective": "Sore", "plan": "Continue"}}
    save_note(note=note, content=content, visit_date=day, by=therapist, pain_now=2)
    changes = _latest(action="change", object_type="assessments.Note").changes
    assert changes["content.main.pain_now"] == [4, 2]
    assert "content.main.subjective" not in changes
    assert "visit_date" not in changes


def test_a_dosage_change_records_old_and_new_sets(therapist: Any, episode: Any) -> None:
    program = make_program(episode, therapist, items=1)
    item = program.items.get()
    old_sets = item.sets
    data = _as_posted(ProgramItemForm(instance=item, prefix=f"item-{item.pk}"))
    data[f"item-{item.pk}-sets"] = old_sets + 1
    form = ProgramItemForm(data, instance=item, prefix=f"item-{item.pk}")
    assert form.is_valid(), form.errors
    save_program_item(item=form.save(commit=False), changed=form.changed_data, by=therapist)
    changes = _latest(action="change", object_type="programs.HomeProgram").changes
    assert changes == {"sets": [old_sets, old_sets + 1]}


def test_a_program_title_change_records_old_and_new(
    client: Any, therapist: Any, episode: Any
) -> None:
    program = make_program(episode, therapist, items=1)
    old_title = program.title
    client.force_login(therapist)
    client.post(
        reverse("programs:details", args=[program.pk]),
        {"title": "Calf plan", "note_to_patient": program.note_to_patient},
    )
    changes = _latest(action="change", object_type="programs.HomeProgram").changes
    assert changes == {"title": [old_title, "Calf plan"]}


def test_a_plan_change_records_its_limits_and_status(therapist: Any, episode: Any) -> None:
    plan = make_plan(episode, therapist, pain_during_max=3)
    running.customise_plan(plan=plan, by=therapist, limits={"pain_during_max": 2}, stages=[])
    changes = _latest(detail="Limits and stages customised").changes
    assert changes == {"pain_during_max": [3, 2]}
    running.pause_plan(plan=plan, by=therapist, note="Flu")
    assert _latest(detail="Plan paused: Flu").changes == {"status": ["active", "paused"]}


def test_a_clinic_change_records_old_and_new(client: Any, clinic_admin: Any, clinic: Any) -> None:
    client.force_login(clinic_admin)
    old_zone = clinic.timezone
    client.post(
        reverse("accounts:admin_home"),
        {
            "name": clinic.name,
            "timezone": "America/Denver",
            "distance_unit": "km",
            "paper_size": "A4",
        },
    )
    changes = _latest(action="change", object_type="accounts.Clinic").changes
    assert changes["timezone"] == [old_zone, "America/Denver"]
    assert "name" not in changes
    assert "logo" not in changes


def test_a_role_change_records_old_and_new_role(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    client.force_login(clinic_admin)
    client.post(
        reverse("accounts:staff_edit", args=[therapist.pk]),
        {"full_name": "Pat Renamed", "role": "clinic_admin", "is_active": "on"},
    )
    assert _latest(action="role_change").changes == {"role": ["therapist", "clinic_admin"]}
    renamed = _latest(action="change", object_type="accounts.User").changes
    assert renamed["full_name"][1] == "Pat Renamed"
    assert set(renamed) == {"full_name"}


# --- storing, showing, checking ---------------------------------------------------------------


def test_record_event_drops_a_secret_whatever_the_caller_passed(therapist: Any) -> None:
    event = record_event(
        user=therapist,
        action="change",
        changes={"password": ["old-secret", "new-secret"], "role": ["a", "b"]},
    )
    event.refresh_from_db()
    assert event.changes == {"role": ["a", "b"]}


def test_the_report_shows_the_diff_escaped(client: Any, clinic_admin: Any, patient: Any) -> None:
    record_event(
        user=clinic_admin,
        patient=patient,
        obj=patient,
        action="change",
        changes={"goal_race": ["<b>Old</b>", "<script>alert(1)</script>"], "runs": [None, 3]},
    )
    client.force_login(clinic_admin)
    html = client.get(reverse("audit:report")).content.decode()
    assert 'title="goal_race">Goal race</span>: <del>&lt;b&gt;Old&lt;/b&gt;</del> → ' in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert 'title="runs">Runs</span>: <del>(empty)</del> → <ins>3</ins>' in html
    assert "<script>alert(1)" not in html


def test_the_csv_carries_the_diff(client: Any, clinic_admin: Any) -> None:
    record_event(user=clinic_admin, action="change", changes={"timezone": ["UTC", "Asia/Tokyo"]})
    client.force_login(clinic_admin)
    body = b"".join(client.get(reverse("audit:export_csv")).streaming_content).decode()
    header, *rows = body.splitlines()
    assert header.endswith(",changes")
    assert any(row.endswith("timezone: UTC → Asia/Tokyo") for row in rows)


def test_events_without_a_diff_keep_the_hash_they_had(therapist: Any) -> None:
    event = record_event(user=therapist, action="login")
    assert b"changes" not in event.canonical()
    assert verify_chain(event.chain).intact


def _behind_the_apps_back(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.mark.parametrize(
    "forged",
    ['{"role": ["therapist", "patient"]}', "{}", '{"role": ["therapist", "clinic_admin"]}'],
)
def test_verify_audit_notices_an_edited_diff(therapist: Any, forged: str) -> None:
    """On PostgreSQL (CI) the diff is read back from jsonb, as the command reads it."""
    event = record_event(
        user=therapist, action="role_change", changes={"role": ["therapist", "clinic_admin"]}
    )
    record_event(user=therapist, action="login")
    assert verify_chain(event.chain).intact
    _behind_the_apps_back(
        "UPDATE audit_auditevent SET changes = %s WHERE id = %s", [forged, event.pk]
    )
    report = verify_chain(event.chain)
    if forged == '{"role": ["therapist", "clinic_admin"]}':
        # The same diff written again (key order, spacing) is not a change.
        assert report.intact
        return
    assert not report.intact
    assert report.first_bad_id == event.pk
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_a_stored_snapshot_reads_the_row_not_the_edited_instance(patient: Any) -> None:
    stored_name = patient.first_name
    patient.first_name = "Edited"
    assert stored_snapshot(patient)["first_name"] == stored_name
    assert snapshot(patient)["first_name"] == "Edited"


def test_a_moment_in_a_diff_reads_in_the_zone_of_the_reports_times() -> None:
    # Stored as isoformat in UTC; shown beside a row whose time is the clinic's.
    event = AuditEvent(
        changes={
            "started_at": [None, "2026-12-04T03:11:05.179424+00:00"],
            "started_on": [None, "2026-11-13"],
            "exercise_at": ["18:00:00", "07:30:00"],
        }
    )
    with timezone.override("America/Chicago"):
        rows = event.change_rows
    assert [(row.field, row.old, row.new) for row in rows] == [
        ("started_at", "(empty)", "2026-12-03 21:11:05 CST"),
        ("started_on", "(empty)", "2026-11-13"),
        ("exercise_at", "18:00:00", "07:30:00"),
    ]
