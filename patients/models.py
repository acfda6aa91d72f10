"""Patients (runners) and their episodes of care."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


class PatientQuerySet(models.QuerySet["Patient"]):
    def visible_to(self, user: User, *, archived: bool = False) -> PatientQuerySet:
        """The one gate for every patient-scoped read.

        Therapists and clinic admins see their own clinic's patients; a patient sees only their
        own record; anyone else sees nothing. Archived patients are hidden, except that staff
        may ask for their clinic's archived patients instead (`archived=True`: the archive list
        and restoring from it); a patient never sees an archived record.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_patient:
            return self.none() if archived else self.filter(user=user, archived_at__isnull=True)
        if user.is_clinic_staff and user.clinic_id is not None:
            return self.filter(clinic_id=user.clinic_id, archived_at__isnull=not archived)
        return self.none()

    def own_record(self, user: User) -> PatientQuerySet:
        """A patient user's own record through the gate: empty once archived, and for staff."""
        return self.visible_to(user).filter(user=user)

    def in_care_of(self, user: User) -> PatientQuerySet:
        """The patients whose work lands on this therapist's Today page: their own, and those
        with no primary therapist yet (someone has to pick them up)."""
        return self.filter(
            models.Q(primary_therapist=user) | models.Q(primary_therapist__isnull=True)
        )

    def search(self, text: str) -> PatientQuerySet:
        text = text.strip()
        if not text:
            return self
        query = models.Q(mrn__iexact=text)
        for word in text.split():
            query |= models.Q(first_name__icontains=word) | models.Q(last_name__icontains=word)
        return self.filter(query)


class Patient(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNDISCLOSED = "undisclosed", "Prefer not to say"

    class Surface(models.TextChoices):
        ROAD = "road", "Road"
        TRAIL = "trail", "Trail"
        TRACK = "track", "Track"
        TREADMILL = "treadmill", "Treadmill"
        MIXED = "mixed", "Mixed"

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="patients")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    emergency_contact = models.CharField(max_length=200, blank=True)
    mrn = models.CharField(
        "medical record number",
        max_length=30,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", "Use letters, digits and dashes only.")],
    )
    primary_therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        limit_choices_to={"role": "therapist"},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patient",
    )

    # Running profile
    weekly_distance_m = models.PositiveIntegerField(
        "weekly distance (metres)", null=True, blank=True, validators=[MaxValueValidator(400_000)]
    )
    runs_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(21)]
    )
    longest_run_m = models.PositiveIntegerField(
        "longest run (metres)", null=True, blank=True, validators=[MaxValueValidator(250_000)]
    )
    usual_pace_s_per_km = models.PositiveIntegerField(
        "usual pace (seconds per km)",
        null=True,
        blank=True,
        validators=[MinValueValidator(120), MaxValueValidator(1200)],
    )
    years_running = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(80)]
    )
    goal_race = models.CharField(max_length=120, blank=True)
    goal_race_date = models.DateField(null=True, blank=True)
    shoes = models.CharField(max_length=120, blank=True)
    shoe_age_km = models.PositiveIntegerField(
        "shoe mileage (km)", null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    surfaces = models.CharField(max_length=12, choices=Surface.choices, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    archive_reason = models.CharField(max_length=200, blank=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint("clinic", Lower("mrn"), name="patient_mrn_unique_per_clinic"),
        ]
        indexes = [
            models.Index(fields=["clinic", "last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(self.clinic.today())

    def archive(self, *, by: User, reason: str) -> None:
        self.archived_at = timezone.now()
        self.archived_by = by
        self.archive_reason = reason
        self.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])

    def restore(self) -> None:
        """Back in the caseload (and the portal, for a patient with an account)."""
        self.archived_at = None
        self.archived_by = None
        self.archive_reason = ""
        self.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def visible_to(self, user: User) -> EpisodeQuerySet:
        return self.filter(patient__in=Patient.objects.visible_to(user))

    def active(self) -> EpisodeQuerySet:
        return self.filter(status=Episode.Status.ACTIVE)


class Episode(models.Model):
    """An episode of care: one injury being treated, from intake to discharge."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DISCHARGED = "discharged", "Discharged"

    class Side(models.TextChoices):
        RIGHT = "right", "Right"
        LEFT = "left", "Left"
        BILATERAL = "bilateral", "Bilateral"
        UNSPECIFIED = "unspecified", "Unspecified"
        NOT_APPLICABLE = "na", "Not applicable"

    class SeventhCharacter(models.TextChoices):
        INITIAL = "A", "A: initial encounter"
        ROUTINE = "D", "D: subsequent, routine healing"
        DELAYED = "G", "G: subsequent, delayed healing"
        NONUNION = "K", "K: subsequent, nonunion"
        MALUNION = "P", "P: subsequent, malunion"
        SEQUELA = "S", "S: sequela"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    label = models.CharField("clinical label", max_length=160)
    icd10_code = models.CharField(
        "ICD-10-CM code",
        max_length=8,
        validators=[
            RegexValidator(
                r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$",
                "Enter an ICD-10-CM code such as M76.61 or M84.361.",
            )
        ],
    )
    side = models.CharField(max_length=12, choices=Side.choices, default=Side.UNSPECIFIED)
    seventh_character = models.CharField(max_length=1, choices=SeventhCharacter.choices, blank=True)
    onset_date = models.DateField(null=True, blank=True)
    mechanism = models.TextField(blank=True)
    referral_source = models.CharField(max_length=160, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    discharged_on = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=300, blank=True)
    # No appointment book in the app: the next visit the therapist planned, typed on the form.
    next_visit = models.DateField("next planned visit", null=True, blank=True)
    # The plan of care the referring physician certifies (docs/goals.md).
    referring_physician = models.CharField("referring physician", max_length=160, blank=True)
    certification_start = models.DateField("plan of care certified from", null=True, blank=True)
    certification_end = models.DateField("plan of care certified to", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="active", discharged_on__isnull=True)
                | models.Q(status="discharged", discharged_on__isnull=False),
                name="episode_discharge_date_matches_status",
            ),
            models.CheckConstraint(
                condition=models.Q(certification_start__isnull=True)
                | models.Q(certification_end__isnull=True)
                | models.Q(certification_end__gte=models.F("certification_start")),
                name="episode_certification_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.billing_code})"

    @property
    def billing_code(self) -> str:
        return f"{self.icd10_code}{self.seventh_character}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def discharge(self, *, on: date, reason: str) -> None:
        self.status = self.Status.DISCHARGED
        self.discharged_on = on
        self.discharge_reason = reason
        self.save(update_fields=["status", "discharged_on", "discharge_reason", "updated_at"])


class CareGoalQuerySet(models.QuerySet["CareGoal"]):
    def visible_to(self, user: User) -> CareGoalQuerySet:
        return self.filter(episode__in=Episode.objects.visible_to(user))

    def current(self) -> CareGoalQuerySet:
        """Goals still on the plan of care (a removed goal is kept, hidden)."""
        return self.filter(removed_at__isnull=True)


class CareGoal(models.Model):
    """A short- or long-term goal of an episode's plan of care, optionally linked to a measure
    whose latest value decides its status (patients/goals.py)."""

    class Term(models.TextChoices):
        SHORT = "short", "Short-term"
        LONG = "long", "Long-term"

    class Measure(models.TextChoices):
        NONE = "", "Not linked to a measure"
        OUTCOME = "outcome", "Outcome score"
        HOP_LSI = "hop_lsi", "Hop limb symmetry index (%)"
        RUN_STAGE = "run_stage", "Return-to-run stage"

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", "at least (≥)"
        AT_MOST = "at_most", "at most (≤)"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="goals")
    term = models.CharField(max_length=8, choices=Term.choices, default=Term.SHORT)
    text = models.CharField("goal", max_length=300)
    target_date = models.DateField()
    measure = models.CharField(max_length=12, choices=Measure.choices, blank=True, default="")
    # Which score of the measure: "lefs.total" (instrument.subscale), "single" (hop test), "".
    measure_code = models.CharField(max_length=40, blank=True)
    target_value = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10_000)],
    )
    direction = models.CharField(
        max_length=8, choices=Direction.choices, default=Direction.AT_LEAST
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CareGoalQuerySet.as_manager()

    class Meta:
        ordering = ["term", "target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measure="", measure_code="", target_value__isnull=True)
                | (~models.Q(measure="") & models.Q(target_value__isnull=False)),
                name="care_goal_target_matches_measure",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_linked(self) -> bool:
        return bool(self.measure)

    def remove(self, *, by: User) -> None:
        self.removed_at = timezone.now()
        self.removed_by = by
        self.save(update_fields=["removed_at", "removed_by", "updated_at"])
