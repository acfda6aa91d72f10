"""`manage.py export_fhir --patient <record number or id> [--clinic <slug>] [--output FILE]`:
one patient's FHIR R4 Bundle as JSON, on standard output or into a file; audited as an export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from patients.models import Patient
from rehab_clinic.fhir.services import export_patient_bundle


class Command(BaseCommand):
    help = "Write one patient's record as a FHIR R4 Bundle (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient", required=True, help="Record number (MRN) or id.")
        parser.add_argument("--clinic", default="", help="Clinic slug, when MRNs repeat.")
        parser.add_argument("--output", default="", help="File to write (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        patient = _find(str(options["patient"]).strip(), str(options["clinic"]).strip())
        bundle = export_patient_bundle(patient=patient, by=None)
        text = json.dumps(bundle, indent=2, ensure_ascii=False)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote {len(bundle['entry'])} resources to {options['output']}")
        else:
            self.stdout.write(text)


def _find(key: str, clinic: str) -> Patient:
    found = Patient.objects.select_related("clinic").filter(mrn__iexact=key)
    if clinic:
        found = found.filter(clinic__slug=clinic)
    matches = list(found[:2])
    if not matches and key.isdigit():
        matches = list(Patient.objects.select_related("clinic").filter(pk=int(key))[:1])
    if not matches:
        raise CommandError(f"No patient with record number or id {key!r}.")
    if len(matches) > 1:
        raise CommandError(f"Record number {key!r} is used by more than one clinic: add --clinic.")
    return matches[0]
