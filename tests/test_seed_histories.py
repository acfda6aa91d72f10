"""`seed_demo --patients N`: synthetic patients with whole histories, valid as the app's own.

A few are built through the services, the rest copied in bulk; every copy must look like the
sample it came from (counts per table), name its own patient, therapist and portal account, and
keep the trail verifiable (note hashes, the audit chain).
"""

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from assessments.models import Note, OutcomeResponse
from patients.models import Episode, Patient
from programs.home.models import Completion, HomeProgram, ProgramItem, ProgramVersion
from programs.running.log_models import MorningCheckIn, SessionLog
from programs.running.models import ReturnToRunPlan
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import verify_audit_trail
from rehab_clinic.demo.people import MRN_PREFIX, THERAPIST_DOMAIN
from rehab_clinic.demo.synthetic import seed_histories

pytestmark = pytest.mark.django_db


def _per_patient(queryset: Any, path: str) -> Counter[int]:
    return Counter(dict(queryset.values_list(path).annotate(n=Count("id")).values_list(path, "n")))


@pytest.fixture
def seeded() -> Any:
    """One seeding for all the checks (building the sample through the services is slow)."""
    call_command("seed_demo")
    return seed_histories(30, per_therapist=10, demo_share=8, sample_size=2)


def test_synthetic_patients_have_whole_histories_and_a_verifiable_trail(seeded: Any) -> None:
    report = seeded
    _histories(report)
    _spread_and_trail(report)


def _histories(seeded: Any) -> None:
    patients = list(Patient.objects.filter(mrn__startswith=MRN_PREFIX).order_by("mrn"))
    assert len(patients) == 30 == seeded.patients
    assert seeded.sampled == 2
    ids = {p.pk for p in patients}

    episodes = Episode.objects.filter(patient__in=ids)
    assert _per_patient(episodes.filter(status="active"), "patient") == Counter(
        dict.fromkeys(ids, 1)
    )
    assert _per_patient(episodes.filter(status="discharged"), "patient") == Counter(
        dict.fromkeys(ids, 1)
    )
    notes = Note.objects.filter(episode__patient__in=ids)
    # Older episode: intake and discharge summary; current: intake and eight weekly notes.
    assert _per_patient(notes, "episode__patient") == Counter(dict.fromkeys(ids, 11))
    assert not notes.filter(signed_at__isnull=True).exists()
    assert all(note.hash_matches() for note in notes.select_related("episode"))
    intakes = notes.filter(kind=Note.Kind.INTAKE, episode__status="active")
    measured = OutcomeResponse.objects.filter(note__in=intakes)
    assert set(measured.values_list("instrument", flat=True)) == {"nprs", "lefs"}
    assert _per_patient(measured, "episode__patient") == Counter(dict.fromkeys(ids, 2))

    programs = HomeProgram.objects.filter(episode__patient__in=ids)
    assert _per_patient(programs, "episode__patient") == Counter(dict.fromkeys(ids, 1))
    items = ProgramItem.objects.filter(program__in=programs)
    assert _per_patient(items, "program__episode__patient") == Counter(dict.fromkeys(ids, 10))
    versions = ProgramVersion.objects.filter(program__in=programs)
    assert _per_patient(versions, "program__episode__patient") == Counter(dict.fromkeys(ids, 2))
    ticks = Completion.objects.filter(patient__in=ids)
    today = patients[0].clinic.today()
    days = ticks.values_list("day", flat=True)
    assert min(days) == today - dt.timedelta(days=60)
    assert max(days) < today
    per_patient = _per_patient(ticks, "patient")
    assert set(per_patient) == ids
    assert min(per_patient.values()) > 200
    # Each tick is by the patient's own portal account, on their own program.
    assert not ticks.exclude(recorded_by__patient__pk__in=ids).exists()
    for patient in patients[:5]:
        own = ticks.filter(patient=patient)
        assert set(own.values_list("program__episode__patient", flat=True)) == {patient.pk}
        assert set(own.values_list("recorded_by", flat=True)) == {patient.user_id}

    plans = ReturnToRunPlan.objects.filter(episode__patient__in=ids, status="active")
    assert _per_patient(plans, "episode__patient") == Counter(dict.fromkeys(ids, 1))
    logs = SessionLog.objects.filter(plan__in=plans)
    assert _per_patient(logs, "plan__episode__patient") == Counter(dict.fromkeys(ids, 30))
    checks = MorningCheckIn.objects.filter(plan__in=plans)
    assert _per_patient(checks, "plan__episode__patient") == Counter(dict.fromkeys(ids, 30))
    assert not checks.filter(session_log__isnull=True).exists()
    assert not checks.exclude(session_log__plan=F("plan")).exists()


def _spread_and_trail(seeded: Any) -> None:
    dana = User.objects.get(email="therapist@demo.clinic")
    therapists = User.objects.filter(email__endswith="@" + THERAPIST_DOMAIN)
    assert therapists.count() == 3 == seeded.therapists
    caseloads = Counter(
        Patient.objects.filter(mrn__startswith=MRN_PREFIX).values_list(
            "primary_therapist", flat=True
        )
    )
    assert caseloads[dana.pk] == 8
    assert sorted(caseloads[t.pk] for t in therapists) == [2, 10, 10]

    reports = verify_audit_trail()
    assert all(report.intact for report in reports), [r.reason for r in reports]
    call_command("verify_audit")  # exits non-zero on a broken chain

    # A copy's events name its own patient, therapist and account, never the sample's.
    patients = list(Patient.objects.filter(mrn__startswith=MRN_PREFIX).order_by("mrn"))
    sample, copy = patients[0], patients[2]  # the first sample, and the first copy of it
    theirs = AuditEvent.objects.filter(patient=copy)
    assert theirs.count() == AuditEvent.objects.filter(patient=sample).count() > 100
    assert set(theirs.values_list("user", flat=True)) == {
        copy.primary_therapist_id,
        copy.user_id,
    }
    own_notes = {
        str(pk) for pk in Note.objects.filter(episode__patient=copy).values_list("pk", flat=True)
    }
    noted = set(theirs.filter(object_type="assessments.Note").values_list("object_id", flat=True))
    assert noted == own_notes
