"""Single resources of the export on small records: what each field becomes, and that each
stays valid R4 (an N/A answer, a discharged bilateral episode, an undisclosed sex)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assessments.instruments import get_instrument
from assessments.models import OutcomeResponse
from assessments.scoring import NA, score_instrument
from patients.models import Episode, Patient
from rehab_clinic.accounts.models import User
from rehab_clinic.fhir.bundle import patient_bundle
from tests.factories import EpisodeFactory
from tests.fhir.checks import unresolved, validate_each

pytestmark = pytest.mark.django_db


def _of(bundle: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def test_a_portal_faam_with_not_applicable_items_keeps_them_as_coded_answers(
    patient: Patient, patient_user: User
) -> None:
    episode = EpisodeFactory(patient=patient)
    faam = get_instrument("faam")
    answers: dict[str, Any] = {item.code: 3 for item in faam.items}
    first = faam.items[0].code
    answers[first] = NA
    OutcomeResponse.objects.create(
        episode=episode,
        instrument="faam",
        version=faam.version,
        answers=answers,
        scores=score_instrument(faam, answers).as_dict(),
        source=OutcomeResponse.Source.PORTAL,
        entered_by=patient_user,
    )
    bundle = patient_bundle(patient)
    validate_each(bundle)
    assert not unresolved(bundle)
    (response,) = _of(bundle, "QuestionnaireResponse")
    by_item = {item["linkId"]: item["answer"][0] for item in response["item"]}
    assert by_item[first]["valueCoding"]["code"] == NA
    assert {a.get("valueInteger") for code, a in by_item.items() if code != first} == {3}
    scored = {o["code"]["coding"][0]["code"] for o in _of(bundle, "Observation")}
    assert {"faam-adl", "faam-sports"} <= scored


def test_a_discharged_bilateral_episode_is_resolved_with_both_sides_and_no_gender_unknown(
    patient: Patient,
) -> None:
    Patient.objects.filter(pk=patient.pk).update(sex=Patient.Sex.UNDISCLOSED)
    patient.refresh_from_db()
    episode = EpisodeFactory(patient=patient, side=Episode.Side.BILATERAL, icd10_code="M84.361")
    Episode.objects.filter(pk=episode.pk).update(seventh_character="A")
    episode.refresh_from_db()
    episode.discharge(on=dt.date(2026, 11, 1), reason="Goals met")
    EpisodeFactory(patient=patient, side=Episode.Side.UNSPECIFIED)
    bundle = patient_bundle(patient)
    validate_each(bundle)
    (person,) = _of(bundle, "Patient")
    assert "gender" not in person
    unspecified, resolved = sorted(
        _of(bundle, "Condition"), key=lambda c: c["clinicalStatus"]["coding"][0]["code"]
    )
    assert resolved["clinicalStatus"]["coding"][0]["code"] == "resolved"
    assert resolved["code"]["coding"][0]["code"] == "M84.361A"
    assert resolved["bodySite"][0]["coding"][0]["code"] == "51440002"
    assert resolved["abatementDateTime"] == "2026-11-01"
    assert "bodySite" not in unspecified
