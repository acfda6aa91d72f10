"""A smaller two-year history than the benchmark's (bench/record_export.py) makes its ZIP end to
end through the task; no timing is asserted here, the benchmark states and measures it."""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from patients.models import Patient
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import request_export
from rehab_clinic.records.tasks import build_record_export
from tests.programs.documents.poppler import pdf_text
from tests.records.history import two_year_history

pytestmark = pytest.mark.django_db


def test_a_two_year_history_makes_its_zip(
    patient: Patient, therapist: Any, patient_user: Any, tmp_path: Path
) -> None:
    two_year_history(patient, therapist, episodes=3, notes=9, runs=20)
    export = request_export(patient=patient, by=patient_user)

    assert build_record_export.apply(args=[export.pk]).get()["state"] == "ready"
    export.refresh_from_db()
    assert export.state == RecordExport.State.READY
    with export.file.open("rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    text = pdf_text(archive.read("record.pdf"), tmp_path)
    assert "3 episodes of care, 9 signed notes, 20 runs logged" in text
    assert "Run 20 felt steady" in text
    bundle = json.loads(archive.read("fhir-bundle.json"))
    conditions = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert len(conditions) == 3
