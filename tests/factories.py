"""Every factory_boy factory of the suite, and the one helper that makes a patient's account.

Factories make rows directly, with plausible defaults; they are for the records a test needs
as scenery. A record a clinician makes through a workflow (a signed note, a published program,
a return-to-run plan with its logs) comes from tests/builders.py, which goes through the
services as the app does.
"""

import base64
import secrets
from datetime import date

import factory
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django_otp_webauthn.models import WebAuthnCredential

from assessments.models import SignerCredentials
from exercises.models import Exercise, Modality
from patients.models import CareGoal, Episode, Patient
from rehab_clinic.accounts.models import Clinic, User
from rehab_clinic.push.models import PushSubscription

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


class CareGoalFactory(factory.django.DjangoModelFactory):
    """A goal of the episode's plan of care, not linked to a measure unless told."""

    class Meta:
        model = CareGoal

    episode = factory.SubFactory(EpisodeFactory)
    term = CareGoal.Term.SHORT
    text = "Walk 30 min briskly without pain"
    target_date = date(2026, 12, 31)
    created_by = factory.LazyAttribute(
        lambda goal: (
            goal.episode.patient.primary_therapist
            or UserFactory(clinic=goal.episode.patient.clinic)
        )
    )


def make_patient_user(clinic: Clinic, **patient_fields: object) -> User:
    """A patient record with a portal account at `clinic`."""
    user = UserFactory(clinic=clinic, role=User.Role.PATIENT)
    PatientFactory(clinic=clinic, user=user, **patient_fields)
    user.refresh_from_db()
    return user


def episode_of_a_new_patient(clinic: Clinic) -> Episode:
    """An episode of a patient (without a portal account) at `clinic`."""
    return EpisodeFactory(patient=PatientFactory(clinic=clinic))


class ExerciseFactory(factory.django.DjangoModelFactory):
    """A shared library exercise, as the library pages list it (no drawing)."""

    class Meta:
        model = Exercise

    clinic = None
    name = factory.Sequence(lambda n: f"Test exercise {n}")
    slug = factory.Sequence(lambda n: f"test-exercise-{n}")
    aliases = factory.LazyFunction(list)
    search_text = factory.LazyAttribute(lambda o: Exercise.build_search_text(o.name, o.aliases))
    category = Exercise.Category.CORE
    difficulty = Exercise.Difficulty.BEGINNER
    instructions = factory.LazyFunction(lambda: ["Do the thing.", "Rest."])
    sets = 3
    reps = 10


PROGRAM_CATEGORIES = [
    Exercise.Category.CALF_FOOT_ANKLE,
    Exercise.Category.STRETCHING,
    Exercise.Category.CORE,
    Exercise.Category.HIP_GLUTE,
    Exercise.Category.FOAM_ROLLING,
]


class ProgramExerciseFactory(ExerciseFactory):
    """An exercise as a home program prints it: a drawing, cues, categories in turn, daily."""

    category = factory.Sequence(lambda n: PROGRAM_CATEGORIES[n % len(PROGRAM_CATEGORIES)])
    instructions = factory.LazyAttribute(lambda o: [f"Start {o.name}.", "Move slowly."])
    cues = factory.LazyFunction(lambda: ["Breathe out as you push."])
    sets = 3
    reps = 12
    days_per_week = 7
    times_per_day = 1
    illustration_svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<circle cx="5" cy="5" r="4"/></svg>'
    )


class ModalityFactory(factory.django.DjangoModelFactory):
    """A shared library modality, as the library pages list it."""

    class Meta:
        model = Modality

    clinic = None
    name = factory.Sequence(lambda n: f"Test modality {n}")
    slug = factory.Sequence(lambda n: f"test-modality-{n}")
    kind = Modality.Kind.COLD_PACK
    parameters = factory.LazyFunction(lambda: {"minutes": 15, "barrier": "damp towel"})
    contraindications = factory.LazyFunction(lambda: ["Raynaud's phenomenon"])


class HomeModalityFactory(factory.django.DjangoModelFactory):
    """A cold pack a patient may use at home, as a home program lists it."""

    class Meta:
        model = Modality

    clinic = None
    name = factory.Sequence(lambda n: f"Cold pack {n}")
    slug = factory.Sequence(lambda n: f"cold-pack-{n}")
    kind = Modality.Kind.COLD_PACK
    home_use = True
    home_instructions = "Ice for 15 minutes with a cloth between the pack and the skin."
    precautions = factory.LazyFunction(lambda: ["Check the skin every 5 minutes."])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_push_keys() -> tuple[ec.EllipticCurvePrivateKey, str, bytes, str]:
    """What a browser makes when it subscribes: its P-256 key pair and 16-byte auth secret.
    Returns the private key, the public key and the secret as the subscription carries them
    (base64url), and the raw secret."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    secret = secrets.token_bytes(16)
    return key, _b64url(public), secret, _b64url(secret)


class PushSubscriptionFactory(factory.django.DjangoModelFactory):
    """A browser's subscription at Firefox's push service, with real (throwaway) keys."""

    class Meta:
        model = PushSubscription

    user = factory.SubFactory(UserFactory, role=User.Role.PATIENT)
    endpoint = factory.Sequence(
        lambda n: f"https://updates.push.services.mozilla.com/wpush/v2/t{n}"
    )
    p256dh = factory.LazyFunction(lambda: browser_push_keys()[1])
    auth = factory.LazyFunction(lambda: _b64url(secrets.token_bytes(16)))


class SignerCredentialsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignerCredentials

    user = factory.SubFactory(UserFactory)
    credentials = "PT, DPT"


class PasskeyFactory(factory.django.DjangoModelFactory):
    """A confirmed passkey row, for tests that hand one to our views without a browser ceremony
    (the browser tests register real ones with Chromium's virtual authenticator)."""

    class Meta:
        model = WebAuthnCredential

    user = factory.SubFactory(UserFactory)
    name = "Passkey"
    confirmed = True
    credential_id = factory.LazyFunction(lambda: secrets.token_bytes(32))
    public_key = factory.LazyFunction(lambda: secrets.token_bytes(77))
    aaguid = "00000000-0000-0000-0000-000000000000"
