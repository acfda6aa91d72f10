"""The synthetic clinic's people: therapists, patients and their portal accounts, in bulk.

`seed_demo --patients N` adds N patients to Riverside Running Rehab: the demo therapist (Dana
Whitfield) gets the first `demo_share` of them, and the rest go to synthetic therapists of about
`per_therapist` patients each. Every synthetic patient has a portal account (their ticks and run
logs are recorded by it). All share the demo password, hashed once.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from patients.models import Patient
from patients.seed import DEMO_PASSWORD
from rehab_clinic.accounts.models import Clinic, User

MRN_PREFIX = "SYN-"
THERAPIST_DOMAIN = "staff.riverside.example"
PATIENT_DOMAIN = "runners.riverside.example"

FIRST = [
    "Alex", "Sam", "Jordan", "Riley", "Casey", "Morgan", "Avery", "Quinn", "Jamie", "Drew",
    "Noor", "Mateo", "Aiko", "Zanele", "Lars", "Imani", "Ravi", "Elena", "Kofi", "Mei",
]  # fmt: skip
LAST = [
    "Smith", "Novak", "Garcia", "Kim", "Osei", "Müller", "Rossi", "Silva", "Khan", "Ito",
    "Dubois", "Nguyen", "Hughes", "Larsen", "Mensah", "Costa", "Petrov", "Ahmed", "Wong", "Reyes",
]  # fmt: skip


@dataclass(frozen=True)
class Cohort:
    """The patients one run added, in MRN order, with who treats them."""

    patients: list[Patient]
    therapists: list[User]


def therapist_count(count: int, *, per_therapist: int, demo_share: int) -> int:
    return math.ceil(max(0, count - demo_share) / per_therapist)


def add_people(count: int, *, per_therapist: int, demo_share: int, seed: int) -> Cohort:
    """`count` patients with portal accounts, spread over Dana and new synthetic therapists."""
    rng = random.Random(seed)
    clinic = Clinic.objects.get(slug="riverside-running-rehab")
    dana = User.objects.get(email="therapist@demo.clinic")
    password = make_password(DEMO_PASSWORD)
    start = Patient.objects.filter(clinic=clinic, mrn__startswith=MRN_PREFIX).count()
    staff_start = User.objects.filter(email__endswith="@" + THERAPIST_DOMAIN).count()
    new_staff = therapist_count(count, per_therapist=per_therapist, demo_share=demo_share)
    therapists = User.objects.bulk_create(
        User(
            email=f"therapist{staff_start + n:03d}@{THERAPIST_DOMAIN}",
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            clinic=clinic,
            role=User.Role.THERAPIST,
            password=password,
        )
        for n in range(new_staff)
    )
    names = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(count)]
    mrns = [f"{MRN_PREFIX}{start + i:07d}" for i in range(count)]
    users = User.objects.bulk_create(
        (
            User(
                email=f"{mrn.lower()}@{PATIENT_DOMAIN}",
                full_name=f"{first} {last}",
                clinic=clinic,
                role=User.Role.PATIENT,
                password=password,
            )
            for mrn, (first, last) in zip(mrns, names, strict=True)
        ),
        batch_size=2000,
    )
    patients = []
    for i, (mrn, (first, last), user) in enumerate(zip(mrns, names, users, strict=True)):
        rest = i - demo_share
        therapist = dana if rest < 0 else therapists[rest // per_therapist]
        patients.append(
            Patient(
                clinic=clinic,
                first_name=first,
                last_name=last,
                date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45)),
                sex=rng.choice([Patient.Sex.FEMALE, Patient.Sex.MALE]),
                email=user.email,
                mrn=mrn,
                primary_therapist=therapist,
                user=user,
                weekly_distance_m=rng.randrange(10, 90) * 1000,
                runs_per_week=rng.randrange(2, 7),
                longest_run_m=rng.randrange(8, 30) * 1000,
                usual_pace_s_per_km=rng.randrange(270, 420),
                years_running=rng.randrange(1, 25),
                surfaces=rng.choice(Patient.Surface.values),
            )
        )
    Patient.objects.bulk_create(patients, batch_size=2000)
    return Cohort(patients=patients, therapists=therapists)
