"""Demo clinics, accounts and patients. The accounts and names are a contract: do not change."""

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from patients.models import Episode, Patient
from rehab_clinic.accounts.models import Clinic, User

DEMO_PASSWORD = "demo-pass-123"  # noqa: S105  (documented demo password)

DEMO_LOGINS = [
    ("admin@demo.clinic", "clinic admin, Riverside Running Rehab"),
    ("therapist@demo.clinic", "therapist Dana Whitfield, Riverside"),
    ("patient@demo.clinic", "patient Maya Okafor, Riverside"),
    ("patient2@demo.clinic", "patient Leo Brandt, Riverside"),
    ("therapist@other.clinic", "therapist, Harbor Sports Physio"),
    ("patient@other.clinic", "patient Ines Duarte, Harbor"),
]

# (first, last, date of birth, sex, MRN)
RIVERSIDE_PATIENTS = [
    ("Maya", "Okafor", date(1991, 4, 12), "female", "RRR-1001", "patient@demo.clinic"),
    ("Leo", "Brandt", date(1986, 9, 3), "male", "RRR-1002", "patient2@demo.clinic"),
    ("Priya", "Raman", date(1995, 1, 22), "female", "RRR-1003", None),
    ("Tomás", "Herrera", date(1979, 6, 30), "male", "RRR-1004", None),
    ("Grace", "Lindqvist", date(2001, 11, 8), "female", "RRR-1005", None),
    ("Samuel", "Adeyemi", date(1990, 3, 17), "male", "RRR-1006", None),
    ("Hannah", "Byrne", date(1983, 7, 25), "female", "RRR-1007", None),
    ("Kenji", "Watanabe", date(1998, 12, 2), "male", "RRR-1008", None),
]


def _password() -> str:
    return make_password(DEMO_PASSWORD)


def _user(email: str, *, full_name: str, clinic: Clinic, role: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "clinic": clinic, "role": role}
    )
    if created:
        user.password = _password()
        user.save(update_fields=["password"])
    return user


def seed_demo() -> None:
    riverside, _ = Clinic.objects.get_or_create(
        slug="riverside-running-rehab",
        defaults={
            "name": "Riverside Running Rehab",
            "distance_unit": Clinic.DistanceUnit.MI,
            "paper_size": Clinic.PaperSize.LETTER,
            "timezone": "America/Chicago",
            "address": "41 Riverside Drive, Suite 2\nSpringfield",
            "phone": "(555) 010-2040",
            "opening_hours": "Mon-Fri 7:00-19:00, Sat 8:00-12:00",
            "email": "hello@riverside.example",
            # The README's demo sign-ins are a password only; a demo admin can switch it on.
            "require_two_factor": False,
        },
    )
    harbor, _ = Clinic.objects.get_or_create(
        slug="harbor-sports-physio",
        defaults={
            "name": "Harbor Sports Physio",
            "distance_unit": Clinic.DistanceUnit.KM,
            "paper_size": Clinic.PaperSize.A4,
            "timezone": "Europe/Lisbon",
            "address": "Cais do Porto 12\nLisbon",
            "phone": "+351 21 000 0000",
            "email": "clinic@harbor.example",
            "require_two_factor": False,
        },
    )
    _user(
        "admin@demo.clinic",
        full_name="Ruth Castellano",
        clinic=riverside,
        role=User.Role.CLINIC_ADMIN,
    )
    dana = _user(
        "therapist@demo.clinic",
        full_name="Dana Whitfield",
        clinic=riverside,
        role=User.Role.THERAPIST,
    )
    harbor_therapist = _user(
        "therapist@other.clinic", full_name="João Pereira", clinic=harbor, role=User.Role.THERAPIST
    )
    for first, last, born, sex, mrn, email in RIVERSIDE_PATIENTS:
        patient = _patient(riverside, dana, first, last, born, sex, mrn)
        if email:
            _link_portal(patient, email)
    maya = demo_patient("patient@demo.clinic")
    _episode(maya, "Achilles tendinopathy, right", "M76.61", Episode.Side.RIGHT, by=dana)
    leo = demo_patient("patient2@demo.clinic")
    _episode(leo, "Patellofemoral pain, left", "M22.2X2", Episode.Side.LEFT, by=dana)
    ines = _patient(
        harbor, harbor_therapist, "Ines", "Duarte", date(1993, 5, 19), "female", "HSP-2001"
    )
    _link_portal(ines, "patient@other.clinic")
    _episode(
        ines,
        "Medial tibial stress syndrome, left",
        "M76.812",
        Episode.Side.LEFT,
        by=harbor_therapist,
    )


def _patient(
    clinic: Clinic, therapist: User, first: str, last: str, born: date, sex: str, mrn: str
) -> Patient:
    patient, _ = Patient.objects.get_or_create(
        clinic=clinic,
        mrn=mrn,
        defaults={
            "first_name": first,
            "last_name": last,
            "date_of_birth": born,
            "sex": sex,
            "primary_therapist": therapist,
            "email": f"{first.lower()}.{last.lower()}@example.com".replace("á", "a"),
            "weekly_distance_m": 40_000,
            "runs_per_week": 4,
            "longest_run_m": 16_000,
            "usual_pace_s_per_km": 330,
            "years_running": 6,
            "surfaces": Patient.Surface.ROAD,
        },
    )
    return patient


def _link_portal(patient: Patient, email: str) -> None:
    if patient.user_id is None:
        user = _user(
            email, full_name=patient.full_name, clinic=patient.clinic, role=User.Role.PATIENT
        )
        patient.user = user
        patient.email = email
        patient.save(update_fields=["user", "email"])


def _episode(patient: Patient, label: str, code: str, side: str, by: User) -> Episode:
    episode, _ = Episode.objects.get_or_create(
        patient=patient,
        label=label,
        defaults={
            "icd10_code": code,
            "side": side,
            "onset_date": patient.clinic.today() - timedelta(days=40),
            "created_by": by,
        },
    )
    return episode


def demo_patient(email: str) -> Patient:
    """A demo patient by portal email, e.g. demo_patient("patient@demo.clinic") is Maya Okafor."""
    return Patient.objects.select_related("clinic", "user").get(user__email=email)
