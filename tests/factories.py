"""factory_boy factories for the foundation. Apps add theirs in tests/<app>/factories.py."""

from datetime import date

import factory

from patients.models import Episode, Patient
from rehab_clinic.accounts.models import Clinic, User

TEST_PASSWORD = "demo-pass-123"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    distance_unit = Clinic.DistanceUnit.KM
    # Tests that are about two-factor sign-in switch it on; the rest sign in with a password.
    require_two_factor = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"User {n}")
    clinic = factory.SubFactory(ClinicFactory)
    role = User.Role.THERAPIST
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    first_name = factory.Sequence(lambda n: f"Runner{n}")
    last_name = "Tester"
    date_of_birth = date(1990, 5, 1)
    sex = Patient.Sex.FEMALE
    mrn = factory.Sequence(lambda n: f"MRN-{n:05d}")
    email = factory.Sequence(lambda n: f"runner{n}@example.test")


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    patient = factory.SubFactory(PatientFactory)
    label = "Achilles tendinopathy, right"
    icd10_code = "M76.61"
    side = Episode.Side.RIGHT
    onset_date = date(2026, 9, 1)


def make_patient_user(clinic: Clinic, **patient_fields: object) -> User:
    """A patient record with a portal account at `clinic`."""
    user = UserFactory(clinic=clinic, role=User.Role.PATIENT)
    PatientFactory(clinic=clinic, user=user, **patient_fields)
    user.refresh_from_db()
    return user
