"""The record ZIP: what is inside (a PDF with the signed notes and the runs, the FHIR bundle
with the Patient), the task's progress on the row, the audit trail, and a double tap."""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError

from assessments.models import Note
from assessments.services import set_portal_release
from patients.models import Patient
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.outbox.models import OutboxMessage
from rehab_clinic.records import export_services
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import EXPORT_TASK, request_export
from rehab_clinic.records.tasks import build_record_export
from tests.builders import daily, intake, log_run, make_plan, make_program
from tests.programs.documents.poppler import pdf_text
from tests.records.history import run_export

pytestmark = pytest.mark.django_db


def _zip(export: RecordExport) -> zipfile.ZipFile:
    with export.file.open("rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


@pytest.fixture
def record(patient: Patient, episode: Any, therapist: Any) -> Patient:
    """A signed intake and daily note, a draft, a program and two runs."""
    today = patient.clinic.today()
    intake(episode, therapist, signed=True, day=today.replace(day=1))
    daily(episode, therapist, day=today, pain=3)
    draft = daily(episode, therapist, day=today, signed=False)
    draft.content = {"main": {"subjective": "A DRAFT NOT FOR THE RECORD"}}
    draft.save(update_fields=["content"])
    make_program(episode, therapist, items=2)
    plan = make_plan(episode, therapist)
    log_run(plan, patient.user, today, notes="Hill loop felt easy")
    return patient


def test_the_zip_holds_a_readable_pdf_and_the_fhir_bundle(
    record: Patient, patient_user: Any, tmp_path: Path
) -> None:
    export = run_export(request_export(patient=record, by=patient_user))

    assert export.state == RecordExport.State.READY
    archive = _zip(export)
    assert sorted(archive.namelist()) == ["README.txt", "fhir-bundle.json", "record.pdf"]
    text = pdf_text(archive.read("record.pdf"), tmp_path)
    assert "Achilles tendinopathy" in text  # the signed intake's diagnosis
    assert "Electronically signed by Terry Therapist" in text
    assert "Hill loop felt easy" in text  # the run log
    assert "Paula Patient" in text
    assert "A DRAFT NOT FOR THE RECORD" not in text
    assert export.page_count
    assert export.page_count >= 2

    bundle = json.loads(archive.read("fhir-bundle.json"))
    assert bundle["resourceType"] == "Bundle"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds[0] == "Patient"
    assert {"Condition", "Encounter", "CarePlan"} <= set(kinds)


def test_a_patients_own_export_leaves_out_notes_withheld_from_the_portal(
    record: Patient, patient_user: Any, therapist: Any, tmp_path: Path
) -> None:
    note = Note.objects.signed().filter(kind=Note.Kind.DAILY).get()
    set_portal_release(note=note, by=therapist, withhold=True, reason="Discuss in clinic first")
    mine = run_export(request_export(patient=record, by=patient_user))
    clinics = run_export(request_export(patient=record, by=therapist))

    assert "Better" not in pdf_text(_zip(mine).read("record.pdf"), tmp_path)
    assert "Better" in pdf_text(_zip(clinics).read("record.pdf"), tmp_path)


def test_the_task_reports_each_step_on_the_row(
    record: Patient, patient_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = request_export(patient=record, by=patient_user)
    seen: list[tuple[int, int, str, str]] = []
    step = export_services._step

    def watch(export_id: int, token: str, number: int) -> None:
        step(export_id, token, number)
        row = RecordExport.objects.get(pk=export_id)
        seen.append((row.step, row.steps, row.step_label, row.state))

    monkeypatch.setattr(export_services, "_step", watch)
    export = run_export(export)

    steps = len(export_services.STEPS)
    assert [s[:2] for s in seen] == [(n, steps) for n in range(1, steps + 1)]
    assert {s[3] for s in seen} == {RecordExport.State.RUNNING}
    assert seen[2][2] == "Making the PDF"
    assert (export.step, export.steps, export.percent) == (steps, steps, 100)


def test_a_second_delivery_of_the_message_does_nothing(record: Patient, patient_user: Any) -> None:
    export = run_export(request_export(patient=record, by=patient_user))
    checksum = export.checksum

    assert export_services.make_export(export.pk, token="another-worker") == "ready"
    export.refresh_from_db()
    assert export.checksum == checksum


def test_a_failure_is_kept_on_the_row(
    record: Patient, patient_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(patient: Patient) -> dict[str, Any]:
        raise ValueError("no bundle today")

    monkeypatch.setattr(export_services, "patient_bundle", broken)
    export = request_export(patient=record, by=patient_user)
    assert build_record_export.apply(args=[export.pk]).get()["state"] == "failed"
    export.refresh_from_db()
    assert export.is_failed
    assert "ValueError" in export.error
    assert not export.file


def test_asking_twice_reuses_the_export_on_its_way(record: Patient, patient_user: Any) -> None:
    first = request_export(patient=record, by=patient_user)
    second = request_export(patient=record, by=patient_user)

    assert first.pk == second.pk
    assert RecordExport.objects.count() == 1
    assert OutboxMessage.objects.filter(task=EXPORT_TASK).count() == 1
    with pytest.raises(IntegrityError):  # and the database refuses a second pending one
        RecordExport.objects.create(
            patient=record, kind=RecordExport.Kind.PORTAL, requested_by=patient_user
        )


def test_the_patients_and_the_clinics_exports_are_apart(
    record: Patient, patient_user: Any, therapist: Any
) -> None:
    mine = request_export(patient=record, by=patient_user)
    clinics = request_export(patient=record, by=therapist)

    assert mine.pk != clinics.pk
    assert list(RecordExport.objects.visible_to(patient_user)) == [mine]
    assert list(RecordExport.objects.visible_to(therapist)) == [clinics]


def test_the_request_and_the_finished_export_are_audited(
    record: Patient, patient_user: Any
) -> None:
    export = run_export(request_export(patient=record, by=patient_user))
    events = AuditEvent.objects.filter(object_type="records.RecordExport", object_id=export.pk)

    requested = events.get(action=AuditEvent.Action.CREATE)
    assert requested.user == patient_user
    assert requested.patient == record
    made = events.get(action=AuditEvent.Action.EXPORT)
    assert made.patient == record
    assert "pages" in made.detail
