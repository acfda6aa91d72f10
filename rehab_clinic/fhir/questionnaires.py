"""Outcome measures: a QuestionnaireResponse per completed questionnaire (item by item), and an
Observation per score (NPRS with its LOINC code, every other total in our own code system)."""

from __future__ import annotations

from typing import Any

from assessments.instruments import INSTRUMENTS
from assessments.models import OutcomeResponse
from assessments.scoring import NA
from rehab_clinic.fhir.codes import (
    LOINC,
    NPRS_LOINC,
    OBSERVATION_CATEGORY,
    UCUM,
    coding,
    concept,
    local_system,
    reference,
    resource_id,
    site_url,
)

SURVEY = [concept(OBSERVATION_CATEGORY, "survey", "Survey")]


def score_quantity(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "score", "system": UCUM, "code": "{score}"}


def _context(response: OutcomeResponse, encounters: dict[int, dict[str, Any]]) -> dict[str, Any]:
    encounter = encounters.get(response.note_id) if response.note_id else None
    return {"encounter": reference(encounter)} if encounter else {}


def _answer(value: Any) -> dict[str, Any]:
    if value == NA:
        return {"valueCoding": coding(local_system("answer"), NA, "Not applicable")}
    if isinstance(value, bool) or not isinstance(value, int | float):
        return {"valueString": str(value)}
    return {"valueInteger": int(value)} if float(value).is_integer() else {"valueDecimal": value}


def questionnaire_response(
    response: OutcomeResponse, *, clinic_id: int, patient: dict[str, Any], context: dict[str, Any]
) -> dict[str, Any]:
    instrument = INSTRUMENTS[response.instrument]
    items = [
        {"linkId": item.code, "text": item.label, "answer": [_answer(response.answers[item.code])]}
        for item in instrument.items
        if response.answers.get(item.code) not in (None, "")
    ]
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id(clinic_id, "QuestionnaireResponse", response.pk),
        "questionnaire": (f"{site_url()}/fhir/Questionnaire/{instrument.code}|{response.version}"),
        "status": "completed",
        "subject": reference(patient),
        "authored": response.taken_on.isoformat(),
        "item": items,
    } | context
    if response.source == OutcomeResponse.Source.PORTAL:
        resource["source"] = reference(patient)
    return resource


def nprs_observation(
    response: OutcomeResponse, *, clinic_id: int, patient: dict[str, Any], context: dict[str, Any]
) -> dict[str, Any] | None:
    value = response.score("pain")
    if value is None:
        return None
    return {
        "resourceType": "Observation",
        "id": resource_id(clinic_id, "Observation", f"outcome-{response.pk}-pain"),
        "status": "final",
        "category": SURVEY,
        "code": concept(
            LOINC,
            NPRS_LOINC,
            "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            text="Pain now (NPRS 0-10)",
        ),
        "subject": reference(patient),
        "effectiveDateTime": response.taken_on.isoformat(),
        "valueQuantity": score_quantity(value),
    } | context


def score_observations(
    response: OutcomeResponse,
    *,
    clinic_id: int,
    patient: dict[str, Any],
    context: dict[str, Any],
    answers: dict[str, Any],
) -> list[dict[str, Any]]:
    """One Observation per subscale scored, derived from the questionnaire's answers."""
    instrument = INSTRUMENTS[response.instrument]
    found = []
    for subscale in instrument.subscales:
        value = response.score(subscale.code)
        if value is None:
            continue
        code = f"{instrument.code}-{subscale.code}"
        found.append(
            {
                "resourceType": "Observation",
                "id": resource_id(clinic_id, "Observation", f"outcome-{response.pk}-{code}"),
                "status": "final",
                "category": SURVEY,
                "code": concept(local_system("instrument-score"), code, subscale.label),
                "subject": reference(patient),
                "effectiveDateTime": response.taken_on.isoformat(),
                "valueQuantity": score_quantity(value),
                "derivedFrom": [reference(answers)],
            }
            | context
        )
    return found


def outcome_resources(
    responses: list[OutcomeResponse],
    *,
    clinic_id: int,
    patient: dict[str, Any],
    encounters: dict[int, dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The QuestionnaireResponses and the score Observations of the responses."""
    answers_out: list[dict[str, Any]] = []
    observations: list[dict[str, Any]] = []
    for response in responses:
        context = _context(response, encounters)
        if response.instrument == "nprs":
            pain = nprs_observation(response, clinic_id=clinic_id, patient=patient, context=context)
            observations += [pain] if pain else []
            continue
        answers = questionnaire_response(
            response, clinic_id=clinic_id, patient=patient, context=context
        )
        answers_out.append(answers)
        observations += score_observations(
            response, clinic_id=clinic_id, patient=patient, context=context, answers=answers
        )
    return answers_out, observations
