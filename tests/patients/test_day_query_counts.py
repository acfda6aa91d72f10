"""The Today page and the caseload run the same number of queries at 10, 1,000 and 10,000
patients: every queue and column is a fixed set of queries, never one per patient."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Note
from patients.models import Episode, Patient
from rehab_clinic.accounts.models import Invitation, User
from tests.builders import log_run, make_plan, make_program

pytestmark = pytest.mark.django_db


def _grow(clinic: Any, therapist: User, upto: int) -> None:
    """Bulk-create patients until the clinic has `upto`, each with an active episode, a draft
    daily note (so drafts and progress notes are due), no questionnaire (due at intake) and an
    invitation waiting for a week: every queue and column has rows for every patient."""
    have = Patient.objects.filter(clinic=clinic).count()
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            first_name=f"Bulk{n}",
            last_name="Runner",
            date_of_birth=dt.date(1990, 1, 1),
            sex=Patient.Sex.MALE,
            mrn=f"B{n:06d}",
            email=f"bulk{n}@example.test",
            primary_therapist=therapist,
        )
        for n in range(have, upto)
    )
    episodes = Episode.objects.bulk_create(
        Episode(patient=p, label="Shin splints", icd10_code="M76.81", created_by=therapist)
        for p in patients
    )
    Note.objects.bulk_create(
        Note(episode=e, kind=Note.Kind.DAILY, author=therapist, visit_date=dt.date(2026, 11, 2))
        for e in episodes
    )
    Invitation.objects.bulk_create(
        Invitation(
            clinic=clinic,
            email=p.email,
            full_name=p.full_name,
            role=User.Role.PATIENT,
            patient=p,
            token_hash=f"{p.pk:064d}",
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
        for p in patients
    )
    Invitation.objects.filter(clinic=clinic).update(
        created_at=timezone.now() - dt.timedelta(days=7)
    )


@pytest.fixture
def busy_clinic(clinic: Any, therapist: User, episode: Any) -> Any:
    """A few patients with the rows that bulk creation cannot make cheaply: a flagged
    return-to-run plan and a published home program nobody ticks."""
    clinic.progress_note_every = 1
    clinic.save()
    episode.patient.primary_therapist = therapist
    episode.patient.save()
    plan = make_plan(episode, therapist)
    log_run(plan, therapist, clinic.today(), limp=True, notes="Sore")
    make_program(episode, therapist)
    return clinic


# Sign-in bookkeeping touches these on a clock (the session's last-seen time once a minute, in
# its own savepoint), not per patient: a slow build of 10,000 rows would otherwise count it.
CLOCKED = ("django_session", "accounts_usersession", "axes_", "SAVEPOINT")


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return sum(
        1 for query in captured.captured_queries if not any(t in query["sql"] for t in CLOCKED)
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("patients:today"),
        reverse("patients:caseload"),
        reverse("patients:caseload") + "?flagged=1&sort=-last_visit",
        reverse("patients:caseload") + "?no_recent_visit=1&mine=1&sort=next_visit&page=2",
    ],
)
def test_the_query_count_is_the_same_at_10_and_1000_patients(
    client: Any, busy_clinic: Any, therapist: User, url: str
) -> None:
    client.force_login(therapist)
    _grow(busy_clinic, therapist, 10)
    client.get(url)  # warm the session and the caches
    small = _queries(client, url)
    _grow(busy_clinic, therapist, 1000)
    assert _queries(client, url) == small


def test_the_caseload_query_count_is_the_same_at_10000_patients(
    client: Any, busy_clinic: Any, therapist: User
) -> None:
    client.force_login(therapist)
    url = reverse("patients:caseload") + "?sort=last_visit"
    _grow(busy_clinic, therapist, 10)
    client.get(url)
    small = _queries(client, url)
    _grow(busy_clinic, therapist, 10_000)
    assert _queries(client, url) == small
