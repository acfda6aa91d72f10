"""The caseload, the return-to-run plan list and the audit report read a bounded number of rows
as the clinic grows from 100 to 5,000 patients with histories (runs, check-ins, notes, audit
events, stored flags): what they fetch grows with what they show, not with the clinic.

Rows are counted where the database hands them over (every fetch of every cursor), so a page
that reads a whole table in one query fails here even though its query count stays flat."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.backends import utils as db_utils
from django.urls import reverse
from django.utils import timezone

from assessments.models import Note
from patients.models import Episode, Patient
from programs.home.models import HomeProgram, ProgramVersion
from programs.running.flag_models import PlanFlag
from programs.running.log_models import MorningCheckIn, SessionLog
from programs.running.models import ReturnToRunPlan
from rehab_clinic.audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGS = 3  # runs, and as many check-ins, per plan over the last weeks
AUDITS = 2  # audit events per patient
FLAGGED_EVERY = 4  # every 4th plan shows a flag today: the panels are full at 100 patients


@contextmanager
def rows_read() -> Iterator[list[int]]:
    """Count the rows every cursor fetches while the block runs (either backend)."""
    counted = [0]
    wrapper = db_utils.CursorWrapper
    saved = {name: wrapper.__dict__.get(name) for name in ("fetchone", "fetchmany", "fetchall")}

    def fetchone(self: Any) -> Any:
        row = self.cursor.fetchone()
        counted[0] += row is not None
        return row

    def fetchmany(self: Any, *args: Any) -> Any:
        rows = self.cursor.fetchmany(*args)
        counted[0] += len(rows)
        return rows

    def fetchall(self: Any) -> Any:
        rows = self.cursor.fetchall()
        counted[0] += len(rows)
        return rows

    wrapper.fetchone, wrapper.fetchmany, wrapper.fetchall = fetchone, fetchmany, fetchall  # type: ignore[method-assign,assignment]
    try:
        yield counted
    finally:
        for name, method in saved.items():
            if method is None:
                delattr(wrapper, name)
            else:
                setattr(wrapper, name, method)


def _grow(clinic: Any, therapists: list[Any], start: int, stop: int) -> None:
    """Patients `start`..`stop` with histories, in bulk (a few seconds for thousands)."""
    today = clinic.today()
    now = timezone.now()
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            first_name=f"Runner{n:05d}",
            last_name=f"Bulk{n:05d}",
            date_of_birth=dt.date(1985, 1, 1),
            sex=Patient.Sex.FEMALE,
            mrn=f"B-{n:05d}",
            primary_therapist=therapists[n % len(therapists)],
        )
        for n in range(start, stop)
    )
    author = therapists[0]
    active = Episode.objects.bulk_create(
        Episode(patient=p, label="Achilles tendinopathy", icd10_code="M76.61", created_by=author)
        for p in patients
    )
    Episode.objects.bulk_create(
        Episode(
            patient=p,
            label="Old calf strain",
            icd10_code="S86.111",
            status=Episode.Status.DISCHARGED,
            discharged_on=today - dt.timedelta(days=400),
            created_by=author,
        )
        for p in patients
    )
    Note.objects.bulk_create(
        Note(episode=e, kind=kind, author=author, content={"subjective": "Sore after runs"})
        for e in active
        for kind in (Note.Kind.INTAKE,)
    )
    # A home program published ten days ago and never ticked: every patient is idle, so the
    # caseload's "needs attention" panel has the whole clinic to choose its rows from.
    programs = HomeProgram.objects.bulk_create(HomeProgram(episode=e) for e in active)
    ProgramVersion.objects.bulk_create(
        ProgramVersion(
            program=program,
            number=1,
            snapshot={"items": []},
            published_at=now - dt.timedelta(days=10),
            published_by=author,
        )
        for program in programs
    )
    plans = ReturnToRunPlan.objects.bulk_create(
        ReturnToRunPlan(
            episode=e,
            name="Walk/run ladder",
            status=ReturnToRunPlan.Status.ACTIVE,
            started_on=today - dt.timedelta(days=40),
            created_by=author,
        )
        for e in active
    )
    SessionLog.objects.bulk_create(
        (
            SessionLog(
                plan=plan,
                date=today - dt.timedelta(days=3 * k + 1),
                stage_number=1,
                duration_minutes=Decimal(30),
                run_minutes=Decimal(5),
                pain_during=1,
                pain_after=1,
                logged_by=author,
            )
            for plan in plans
            for k in range(LOGS)
        ),
        batch_size=5000,
    )
    MorningCheckIn.objects.bulk_create(
        (
            MorningCheckIn(
                plan=plan,
                date=today - dt.timedelta(days=3 * k),
                pain=1,
                stiffness=1,
                logged_by=author,
            )
            for plan in plans
            for k in range(LOGS)
        ),
        batch_size=5000,
    )
    PlanFlag.objects.bulk_create(
        PlanFlag(
            plan=plan,
            clinic=clinic,
            kind="limp",
            date=today - dt.timedelta(days=1),
            message="Limp or changed gait.",
            shown_from=today - dt.timedelta(days=1),
            shown_until=today + dt.timedelta(days=5),
        )
        for n, plan in enumerate(plans, start=start)
        if n % FLAGGED_EVERY == 0
    )
    chain = 10**9 + clinic.pk  # a chain of its own: nothing here is verified
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                occurred_at=now - dt.timedelta(minutes=n * AUDITS + k),
                user=author,
                user_email=author.email,
                clinic=clinic,
                patient=p,
                action=AuditEvent.Action.VIEW,
                object_repr=p.full_name,
                chain=chain,
                sequence=n * AUDITS + k + 1,
                previous_hash="0" * 64,
                row_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            )
            for n, p in enumerate(patients, start=start)
            for k in range(AUDITS)
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would after a load like this
            cursor.execute("ANALYZE")


def _pages(client: Any, therapist: Any, admin: Any) -> dict[str, int]:
    pages = {
        "caseload": (therapist, reverse("patients:caseload")),
        "caseload, mine": (therapist, reverse("patients:caseload") + "?mine=1"),
        "plan list": (therapist, reverse("programs:rtr_plan_list")),
        "plan list, mine, flagged": (
            therapist,
            reverse("programs:rtr_plan_list") + "?mine=1&flagged=1",
        ),
        "audit report": (admin, reverse("audit:report")),
        "audit report, searched": (admin, reverse("audit:report") + "?patient_q=Bulk&action=view"),
        "audit report, page 3": (admin, reverse("audit:report") + "?page=3"),
    }
    read = {}
    for name, (user, url) in pages.items():
        client.force_login(user)
        client.get(url)  # the first request of a session creates it
        with rows_read() as counted:
            response = client.get(url)
        assert response.status_code == 200, name
        read[name] = counted[0]
    return read


def test_list_pages_read_a_bounded_number_of_rows_from_100_to_5000_patients(
    client: Any, clinic: Any, therapist: Any, clinic_admin: Any
) -> None:
    therapists = [therapist, *(UserFactory(clinic=clinic) for _ in range(3))]
    _grow(clinic, therapists, 0, 100)
    small = _pages(client, therapist, clinic_admin)
    _grow(clinic, therapists, 100, 5000)
    assert Patient.objects.filter(clinic=clinic).count() == 5000
    large = _pages(client, therapist, clinic_admin)
    for name in small:
        # A page of rows, the panel's 20 flagged runners, bounded counts and the request's
        # own (session, user, clinic): the same at 5,000 patients as at 100, give or take
        # a count row; nowhere near the 5,000 patients, 15,000 runs or 10,000 events.
        assert large[name] <= small[name] + 5, (name, small[name], large[name])
        assert large[name] < 400, (name, large[name])
