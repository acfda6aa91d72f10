"""The FHIR bundle of the demo's Maya Okafor: valid resource by resource, every reference
resolved, stable, read back with fhir.resources, and read in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from assessments.models import Note, OutcomeResponse
from patients.models import Episode, Patient
from programs.home.models import HomeProgram, ProgramVersion
from rehab_clinic.accounts.models import User
from rehab_clinic.fhir.bundle import patient_bundle
from rehab_clinic.fhir.codes import ICD10CM, LOINC, NPRS_LOINC
from tests.fhir.checks import UUID_URN, unresolved, validate_each

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya() -> Patient:
    call_command("seed_demo")
    return Patient.objects.select_related("clinic").get(first_name="Maya", last_name="Okafor")


def _of(bundle: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def test_every_resource_of_mayas_bundle_is_valid_r4_and_every_reference_resolves(
    maya: Patient,
) -> None:
    bundle = patient_bundle(maya)
    validate_each(bundle)
    assert bundle["type"] == "collection"
    assert not unresolved(bundle)
    kinds = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    for expected in (
        "Patient",
        "Condition",
        "Encounter",
        "Observation",
        "QuestionnaireResponse",
        "CarePlan",
        "DocumentReference",
    ):
        assert kinds[expected] >= 1, kinds
    assert kinds["Patient"] == 1
    # One visit and one document per signed note.
    signed = Note.objects.signed().filter(episode__patient=maya).count()
    assert kinds["Encounter"] == kinds["DocumentReference"] == signed
    assert all(UUID_URN.match(e["fullUrl"]) for e in bundle["entry"])
    assert len({e["fullUrl"] for e in bundle["entry"]}) == len(bundle["entry"])


def test_the_bundle_reads_back_with_her_episode_lefs_items_and_plans(maya: Patient) -> None:
    text = json.dumps(patient_bundle(maya))
    bundle = Bundle.model_validate_json(text)
    resources = [entry.resource for entry in bundle.entry or []]

    person = next(r for r in resources if r.get_resource_type() == "Patient")
    assert person.name[0].family == "Okafor"
    assert person.birthDate == dt.date(1991, 4, 12)
    assert person.gender == "female"
    assert person.identifier[0].value == maya.mrn
    assert maya.clinic.slug in person.identifier[0].system

    conditions = [r for r in resources if r.get_resource_type() == "Condition"]
    achilles = next(c for c in conditions if c.code.coding[0].code == "M76.61")
    assert achilles.code.coding[0].system == ICD10CM
    assert achilles.bodySite[0].coding[0].code == "24028007"  # right
    assert achilles.clinicalStatus.coding[0].code == "active"

    answers = [
        r
        for r in resources
        if r.get_resource_type() == "QuestionnaireResponse" and "/lefs|" in r.questionnaire
    ]
    assert len(answers) == 2  # intake and the later visit
    intake = min(answers, key=lambda r: r.authored)
    assert [item.linkId for item in intake.item] == [f"q{n}" for n in range(1, 21)]
    assert sum(item.answer[0].valueInteger for item in intake.item) == 52

    plans = [r for r in resources if r.get_resource_type() == "CarePlan"]
    titles = {p.category[0].text for p in plans}
    assert {"Home exercise program", "Return-to-run plan"} <= titles
    assert all(p.activity and p.activity[0].detail.description for p in plans)
    condition_url = f"urn:uuid:{achilles.id}"
    assert all(p.addresses[0].reference == condition_url for p in plans)


def test_pain_scores_carry_the_loinc_code_and_totals_point_at_their_answers(
    maya: Patient,
) -> None:
    bundle = patient_bundle(maya)
    observations = _of(bundle, "Observation")
    pain = [o for o in observations if o["code"]["coding"][0]["code"] == NPRS_LOINC]
    assert {o["code"]["coding"][0]["system"] for o in pain} == {LOINC}
    assert sorted(o["valueQuantity"]["value"] for o in pain) == [3, 4, 5]
    lefs = [o for o in observations if o["code"]["coding"][0]["code"] == "lefs-total"]
    assert sorted(o["valueQuantity"]["value"] for o in lefs) == [52, 61]
    answer_urls = {f"urn:uuid:{r['id']}" for r in _of(bundle, "QuestionnaireResponse")}
    assert all(o["derivedFrom"][0]["reference"] in answer_urls for o in lefs)
    cadence = [o for o in observations if o["code"]["coding"][0]["code"] == "running-cadence"]
    assert [o["valueQuantity"]["value"] for o in cadence] == [158]
    rom = [o for o in observations if o["code"]["coding"][0]["code"] == "ankle_dorsiflexion"]
    assert [(o["valueQuantity"]["value"], o["bodySite"]["text"]) for o in rom] == [(32, "Right")]


def test_hop_tests_give_the_limb_symmetry_index_with_both_sides(maya: Patient) -> None:
    episode = Episode.objects.get(patient=maya, icd10_code="M76.61")
    therapist = User.objects.get(email="therapist@demo.clinic")
    note = Note.objects.create(
        episode=episode,
        kind=Note.Kind.PROGRESS,
        author=therapist,
        content={"main": {"pain_now": 1}, "hops": [{"test": "single", "right": 90, "left": 120}]},
    )
    note.sign(by=therapist)
    bundle = patient_bundle(maya)
    hop = next(
        o for o in _of(bundle, "Observation") if o["code"]["coding"][0]["code"] == "hop-lsi-single"
    )
    assert hop["valueQuantity"] == {
        "value": 75.0,
        "unit": "%",
        "system": "http://unitsofmeasure.org",
        "code": "%",
    }
    assert [c["valueQuantity"]["value"] for c in hop["component"]] == [90.0, 120.0]
    assert hop["encounter"]["reference"] in {e["fullUrl"] for e in bundle["entry"]}
    validate_each(bundle)


def test_ids_are_the_same_on_every_export_and_drafts_and_struck_measures_are_left_out(
    maya: Patient,
) -> None:
    first = patient_bundle(maya)
    second = patient_bundle(maya)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    episode = Episode.objects.get(patient=maya, icd10_code="M76.61")
    therapist = User.objects.get(email="therapist@demo.clinic")
    Note.objects.create(episode=episode, kind=Note.Kind.DAILY, author=therapist, content={})
    lefs = {f"q{n}": 4 for n in range(1, 21)}
    for struck in (True, False):
        OutcomeResponse.objects.create(
            episode=episode,
            instrument="lefs",
            version="1999",
            answers=lefs,
            scores={"total": {"score": 80}},
            source=OutcomeResponse.Source.PORTAL,
            entered_by=maya.user,
            struck_at=timezone.now() if struck else None,
            struck_by=therapist if struck else None,
            struck_reason="Filled in twice" if struck else "",
        )
    third = patient_bundle(maya)
    assert len(_of(third, "Encounter")) == len(_of(first, "Encounter"))
    answers = _of(third, "QuestionnaireResponse")
    assert len(answers) == len(_of(first, "QuestionnaireResponse")) + 1
    from_portal = [r for r in answers if "source" in r]
    assert [r["source"]["reference"] for r in from_portal] == [third["entry"][0]["fullUrl"]]
    assert "encounter" not in from_portal[0]


def test_the_bundle_reads_in_the_same_number_of_queries_however_many_notes(
    maya: Patient,
) -> None:
    with CaptureQueriesContext(connection) as before:
        patient_bundle(maya)
    episode = Episode.objects.get(patient=maya, icd10_code="M76.61")
    therapist = User.objects.get(email="therapist@demo.clinic")
    for offset in range(5):
        note = Note.objects.create(
            episode=episode,
            kind=Note.Kind.DAILY,
            visit_date=episode.created_at.date() + dt.timedelta(days=offset),
            author=therapist,
            content={"main": {"pain_now": 2}},
        )
        note.sign(by=therapist)
    program = HomeProgram.objects.filter(episode=episode).get()
    latest = program.versions.order_by("-number").first()
    assert latest is not None
    ProgramVersion.objects.create(
        program=program,
        number=latest.number + 1,
        snapshot=latest.snapshot | {"title": "Achilles loading, phase 2"},
        published_at=timezone.now(),
        published_by=therapist,
    )
    with CaptureQueriesContext(connection) as after:
        bundle = patient_bundle(maya)
    assert len(after) == len(before) <= 8
    validate_each(bundle)
    # The home program as the patient holds it now: the newest version only.
    homes = [p for p in _of(bundle, "CarePlan") if p["category"][0]["text"].startswith("Home")]
    assert [p["title"] for p in homes] == ["Achilles loading, phase 2"]
