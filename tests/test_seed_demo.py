"""The demo data is a contract other checks rely on: exactly these clinics, accounts and names."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from patients.models import Episode, Patient
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
