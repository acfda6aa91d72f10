"""One patient's record as a FHIR R4 Bundle of type ``collection`` (plain JSON, no FHIR
library at run time). The patient comes in already through ``visible_to``; everything else is
read through them in a fixed number of queries, whatever the length of the history.

What is exported: signed notes only (a draft is not part of the record), outcome measures that
were not struck and are not tied to an unsigned note, published home programs and the
return-to-run plans the runner was given (not drafts).
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from assessments.models import Note, OutcomeResponse
from patients.models import Episode, Patient
from programs.home.models import HomeProgram, ProgramVersion
from programs.running.models import ReturnToRunPlan
from rehab_clinic.fhir.codes import full_url, resource_id
from rehab_clinic.fhir.encounters import visit_resources
from rehab_clinic.fhir.findings import finding_observations
from rehab_clinic.fhir.patient import condition_resources, patient_resource
from rehab_clinic.fhir.plans import care_plans
from rehab_clinic.fhir.questionnaires import outcome_resources


def patient_bundle(patient: Patient) -> dict[str, Any]:
    clinic = patient.clinic
    episodes = list(Episode.objects.filter(patient=patient).order_by("created_at", "id"))
    notes = list(
        Note.objects.signed()
        .filter(episode__patient=patient)
        .select_related("signed_by")
        .order_by("visit_date", "signed_at", "id")
    )
    responses = list(
        OutcomeResponse.objects.filter(episode__patient=patient, struck_at__isnull=True)
        .filter(Q(note__isnull=True) | Q(note__signed_at__isnull=False))
        .order_by("taken_on", "id")
    )
    programs = list(
        HomeProgram.objects.filter(episode__patient=patient).order_by("created_at", "id")
    )
    # Only the version each program is at now: older snapshots (with their drawings) stay unread.
    current = ProgramVersion.objects.filter(program=OuterRef("program")).order_by("-number")
    versions = {
        version.program_id: version
        for version in ProgramVersion.objects.filter(
            program__episode__patient=patient, pk=Subquery(current.values("pk")[:1])
        )
    }
    plans = list(
        ReturnToRunPlan.objects.filter(episode__patient=patient)
        .shown_to_runner()
        .prefetch_related("stages")
        .order_by("created_at", "id")
    )

    person = patient_resource(patient)
    conditions = condition_resources(episodes, person)
    encounters, documents = visit_resources(
        notes, clinic_id=clinic.pk, patient=person, conditions=conditions
    )
    answers, scores = outcome_resources(
        responses, clinic_id=clinic.pk, patient=person, encounters=encounters
    )
    findings = finding_observations(
        notes,
        clinic_id=clinic.pk,
        patient=person,
        encounters=encounters,
        sides={episode.pk: episode.side for episode in episodes},
    )
    plan_resources = care_plans(
        programs,
        versions,
        plans,
        clinic=clinic,
        patient=person,
        conditions=conditions,
        active_episodes={episode.pk for episode in episodes if episode.is_active},
    )
    resources = [
        person,
        *conditions.values(),
        *encounters.values(),
        *scores,
        *findings,
        *answers,
        *plan_resources,
        *documents,
    ]
    return {
        "resourceType": "Bundle",
        "id": resource_id(clinic.pk, "Bundle", f"everything-{patient.pk}"),
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [{"fullUrl": full_url(str(r["id"])), "resource": r} for r in resources],
    }
