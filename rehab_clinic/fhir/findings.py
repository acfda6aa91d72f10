"""Examination findings of signed notes as Observations: the hop tests' limb symmetry index,
running cadence and range of motion (codes of our own: docs/fhir.md says why)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.forms.fields import ROM_NORMS
from assessments.hops import hop_battery
from assessments.models import Note
from rehab_clinic.fhir.codes import (
    OBSERVATION_CATEGORY,
    UCUM,
    concept,
    laterality,
    local_system,
    reference,
    resource_id,
)

EXAM = [concept(OBSERVATION_CATEGORY, "exam", "Exam")]
UNITS = {"cm": ("cm", "cm"), "s": ("s", "s"), "%": ("%", "%"), "deg": ("°", "deg")}


def _quantity(value: Decimal | float | int, unit: str) -> dict[str, Any]:
    shown, code = UNITS.get(unit, (unit, unit))
    return {"value": float(value), "unit": shown, "system": UCUM, "code": code}


def _observation(
    note: Note,
    key: str,
    *,
    clinic_id: int,
    patient: dict[str, Any],
    encounter: dict[str, Any],
    code: dict[str, Any],
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": resource_id(clinic_id, "Observation", f"note-{note.pk}-{key}"),
        "status": "final",
        "category": EXAM,
        "code": code,
        "subject": reference(patient),
        "encounter": reference(encounter),
        "effectiveDateTime": note.visit_date.isoformat(),
    }


def hop_observations(note: Note, side: str, **common: Any) -> list[dict[str, Any]]:
    found = []
    for result in hop_battery(note.content.get("hops", []), injured_side=side):
        if result.lsi is None or result.involved is None or result.uninvolved is None:
            continue
        code = concept(
            local_system("exam"), f"hop-lsi-{result.test}", f"{result.label}, limb symmetry index"
        )
        observation = _observation(note, f"hop-{result.test}", code=code, **common)
        observation["valueQuantity"] = _quantity(result.lsi, "%")
        observation["component"] = [
            {
                "code": concept(local_system("exam"), f"hop-{result.test}-{limb}", label),
                "valueQuantity": _quantity(value, result.unit),
            }
            for limb, label, value in (
                ("involved", "Involved side", result.involved),
                ("uninvolved", "Uninvolved side", result.uninvolved),
            )
        ]
        found.append(observation)
    return found


def cadence_observation(note: Note, **common: Any) -> list[dict[str, Any]]:
    value = note.content.get("main", {}).get("cadence")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return []
    code = concept(local_system("exam"), "running-cadence", "Running cadence")
    observation = _observation(note, "cadence", code=code, **common)
    observation["valueQuantity"] = {
        "value": value,
        "unit": "steps/min",
        "system": UCUM,
        "code": "/min",
    }
    return [observation]


def rom_observations(note: Note, **common: Any) -> list[dict[str, Any]]:
    found = []
    for number, row in enumerate(note.content.get("rom", []) or []):
        if not isinstance(row, dict) or row.get("motion") not in ROM_NORMS:
            continue
        motion = row["motion"]
        for side in ("right", "left"):
            value = row.get(side)
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            label = ROM_NORMS[motion][1]
            code = concept(local_system("rom"), motion, label)
            observation = _observation(note, f"rom-{number}-{side}", code=code, **common)
            observation["valueQuantity"] = _quantity(value, "deg")
            observation["bodySite"] = laterality(side)
            if row.get("how"):
                observation["note"] = [{"text": str(row["how"])}]
            found.append(observation)
    return found


def finding_observations(
    notes: list[Note],
    *,
    clinic_id: int,
    patient: dict[str, Any],
    encounters: dict[int, dict[str, Any]],
    sides: dict[int, str],
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for note in notes:
        if not isinstance(note.content, dict):
            continue
        common = {"clinic_id": clinic_id, "patient": patient, "encounter": encounters[note.pk]}
        found += hop_observations(note, sides[note.episode_id], **common)
        found += cadence_observation(note, **common)
        found += rom_observations(note, **common)
    return found
