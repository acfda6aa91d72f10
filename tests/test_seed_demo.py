"""The demo data is a contract other checks rely on: exactly these clinics, accounts and names."""

import math
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection

from patients.models import Episode, Patient
from patients.seed import seed_synthetic
from rehab_clinic.accounts.models import Clinic, User

pytestmark = pytest.mark.django_db

EXPECTED_ACCOUNTS = {
    "admin@demo.clinic": ("Riverside Running Rehab", "clinic_admin", None),
    "therapist@demo.clinic": ("Riverside Running Rehab", "therapist", None),
    "patient@demo.clinic": ("Riverside Running Rehab", "patient", "Maya Okafor"),
    "patient2@demo.clinic": ("Riverside Running Rehab", "patient", "Leo Brandt"),
    "therapist@other.clinic": ("Harbor Sports Physio", "therapist", None),
    "patient@other.clinic": ("Harbor Sports Physio", "patient", "Ines Duarte"),
}


def _snapshot() -> dict[str, int]:
    return {
        "clinics": Clinic.objects.count(),
        "users": User.objects.count(),
        "patients": Patient.objects.count(),
        "episodes": Episode.objects.count(),
    }


def test_seed_demo_creates_exactly_the_contract_and_is_idempotent() -> None:
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first

    riverside = Clinic.objects.get(name="Riverside Running Rehab")
    harbor = Clinic.objects.get(name="Harbor Sports Physio")
    assert (riverside.distance_unit, harbor.distance_unit) == ("mi", "km")
    for email, (clinic_name, role, patient_name) in EXPECTED_ACCOUNTS.items():
        user = authenticate(email=email, password="demo-pass-123")
        assert user is not None, email
        assert (user.clinic.name, user.role) == (clinic_name, role)
        if patient_name:
            assert user.patient.full_name == patient_name
    assert User.objects.get(email="therapist@demo.clinic").full_name == "Dana Whitfield"
    assert User.objects.filter(clinic__in=[riverside, harbor]).count() == len(EXPECTED_ACCOUNTS)
    riverside_patients = Patient.objects.filter(clinic=riverside)
    assert riverside_patients.count() == 8
    assert riverside_patients.filter(user__isnull=True).count() == 6
    assert Patient.objects.filter(clinic=harbor).count() == 1


def test_no_migration_creates_demo_accounts() -> None:
    assert not User.objects.filter(email__endswith=".clinic").exists()


def _inserts_needed(model: Any, rows: int) -> int:
    """INSERT statements a bulk_create of `rows` rows takes on this backend.

    The one backend-specific number here: Django caps a SQLite statement at 999 parameters
    (`max_query_params`), so 2000 patients of ~15 columns need ~30 INSERTs there, against one
    batch of 2000 on PostgreSQL. The work is the same; only the statement size differs.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    batch = min(connection.ops.bulk_batch_size(fields, [None] * rows), 2000)
    return math.ceil(rows / batch)


def test_synthetic_patients_are_added_in_bulk(django_assert_max_num_queries: Any) -> None:
    call_command("seed_demo")
    # Bulk inserts: a fixed handful of queries plus the INSERT batches, never one per patient
    # (bench/seed_bench.py times it).
    bound = 20 + _inserts_needed(Patient, 2000) + _inserts_needed(Episode, 2000)
    assert bound < 200  # far below one query per row, on every backend
    with django_assert_max_num_queries(bound):
        seed_synthetic(2000)
    call_command("seed_demo", patients=3)
    assert Patient.objects.filter(mrn__startswith="SYN-").count() == 2003
    assert Episode.objects.filter(patient__mrn__startswith="SYN-").count() == 2003
