"""The exercise and modality library: a shared library that ships with the app plus each
clinic's own entries. Prescriptions (programs app) snapshot what they use, so editing an exercise
here never rewrites what a patient was already given; an exercise in use is archived, not deleted.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q

from exercises.querysets import ExerciseQuerySet, ModalityQuerySet


class LibraryTag(models.Model):
    """One word of a fixed vocabulary: a body region, a piece of equipment or an injury."""

    class Kind(models.TextChoices):
        REGION = "region", "Body region"
        EQUIPMENT = "equipment", "Equipment"
        INJURY = "injury", "Injury"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    slug = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="library_tag_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


web_url = URLValidator(schemes=["http", "https"])


class Exercise(models.Model):
    class Category(models.TextChoices):
        FOAM_ROLLING = "foam_rolling", "Foam rolling and self-massage"
        STRETCHING = "stretching", "Stretching"
        MOBILITY = "mobility", "Mobility"
        RESISTANCE_BAND = "resistance_band", "Resistance band"
        CORE = "core", "Core"
        HIP_GLUTE = "hip_glute", "Hip and glute strength"
        CALF_FOOT_ANKLE = "calf_foot_ankle", "Calf, foot and ankle"
        KNEE_QUAD = "knee_quad", "Knee and quadriceps"
        PLYOMETRICS = "plyometrics", "Plyometrics and hopping"
        BALANCE = "balance", "Balance"
        RUNNING_DRILLS = "running_drills", "Running and gait drills"

    class Difficulty(models.TextChoices):
        BEGINNER = "beginner", "Beginner"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    class Side(models.TextChoices):
        EACH = "each", "Each side"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        BOTH = "both", "Both sides together"

    clinic = models.ForeignKey(
        "accounts.Clinic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exercises",
        help_text="Empty for the shared library that ships with the app.",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    aliases = models.JSONField(default=list, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    category = models.CharField(max_length=20, choices=Category.choices)
    difficulty = models.CharField(
        max_length=12, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    regions = models.ManyToManyField(
        LibraryTag,
        blank=True,
        related_name="exercises_by_region",
        limit_choices_to={"kind": LibraryTag.Kind.REGION},
    )
    equipment = models.ManyToManyField(
        LibraryTag,
        blank=True,
        related_name="exercises_by_equipment",
        limit_choices_to={"kind": LibraryTag.Kind.EQUIPMENT},
    )
    injuries = models.ManyToManyField(
        LibraryTag,
        blank=True,
        related_name="exercises_by_injury",
        limit_choices_to={"kind": LibraryTag.Kind.INJURY},
    )
    instructions = models.JSONField(default=list, blank=True)
    cues = models.JSONField(default=list, blank=True)
    common_mistakes = models.JSONField(default=list, blank=True)
    precautions = models.TextField(blank=True)

    # Default dosage (DOMAIN.md §4); a prescription copies and adjusts these.
    sets = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    rest_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(900)]
    )
    load = models.CharField(max_length=80, blank=True, help_text='For example "red band".')
    tempo = models.CharField(max_length=20, blank=True, help_text='For example "3-0-3".')
    side = models.CharField(max_length=8, choices=Side.choices, default=Side.BOTH)
    times_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    days_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )

    regression = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An easier exercise.",
    )
    progression = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A harder exercise.",
    )
    duplicated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    illustration_pose = models.JSONField(default=dict, blank=True)
    illustration_svg = models.TextField(blank=True)
    video_url = models.URLField(max_length=500, blank=True, validators=[web_url])

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(clinic__isnull=True), name="exercise_shared_slug"
            ),
            models.UniqueConstraint(
                fields=["clinic", "slug"],
                condition=Q(clinic__isnull=False),
                name="exercise_clinic_slug",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__isnull=True) | Q(days_per_week__range=(1, 7)),
                name="exercise_days_per_week_range",
            ),
        ]
        indexes = [
            models.Index(fields=["category", "name"]),
            models.Index(fields=["clinic", "archived_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.clinic_id is None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @staticmethod
    def build_search_text(name: str, aliases: list[str]) -> str:
        return " | ".join([name, *aliases]).lower()

    def dosage_summary(self) -> str:
        parts = []
        if self.sets and self.reps:
            parts.append(f"{self.sets} x {self.reps}")
        elif self.sets and self.hold_seconds:
            parts.append(f"{self.sets} x {self.hold_seconds} s hold")
        elif self.hold_seconds:
            parts.append(f"{self.hold_seconds} s hold")
        if self.sets and self.reps and self.hold_seconds:
            parts.append(f"hold {self.hold_seconds} s")
        if self.load:
            parts.append(self.load)
        if self.tempo:
            parts.append(f"tempo {self.tempo}")
        if self.side != self.Side.BOTH:
            parts.append(self.get_side_display().lower())
        if self.times_per_day and self.times_per_day > 1:
            parts.append(f"{self.times_per_day} times a day")
        if self.days_per_week:
            parts.append(f"{self.days_per_week} days a week")
        return ", ".join(parts)


class HiddenExercise(models.Model):
    """A shared exercise one clinic does not use: left out of its library and the builder's
    search. Programs that already use it keep it (published versions are snapshots)."""

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.CASCADE, related_name="hidden_exercises"
    )
    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="hidden_by_clinics"
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "exercise"], name="hidden_exercise_once"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} hidden by {self.clinic}"


def _photo_path(instance: "ExercisePhoto", filename: str) -> str:
    # A random name: the file is only ever served through a view that checks access.
    return f"exercise-photos/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class ExercisePhoto(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    thumbnail = models.FileField(upload_to=_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.alt_text or f"Photo of {self.exercise}"


class Modality(models.Model):
    class Kind(models.TextChoices):
        COLD_PACK = "cold_pack", "Cold pack"
        ICE_MASSAGE = "ice_massage", "Ice massage"
        COLD_WATER_IMMERSION = "cold_water_immersion", "Cold water immersion"
        HEAT = "heat", "Superficial heat"
        ULTRASOUND = "ultrasound", "Therapeutic ultrasound"
        TENS = "tens", "TENS"
        NMES = "nmes", "NMES"
        SOFT_TISSUE_MASSAGE = "soft_tissue_massage", "Soft-tissue massage"
        IASTM = "iastm", "Instrument-assisted soft-tissue work"
        DRY_NEEDLING = "dry_needling", "Dry needling"
        COMPRESSION = "compression", "Compression"

    clinic = models.ForeignKey(
        "accounts.Clinic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="modalities",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    parameters = models.JSONField(
        default=dict, blank=True, help_text="Default parameter values, checked against the kind."
    )
    home_use = models.BooleanField(default=False)
    home_instructions = models.TextField(blank=True)
    contraindications = models.JSONField(default=list, blank=True)
    precautions = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ModalityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "modalities"
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(clinic__isnull=True), name="modality_shared_slug"
            ),
            models.UniqueConstraint(
                fields=["clinic", "slug"],
                condition=Q(clinic__isnull=False),
                name="modality_clinic_slug",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.clinic_id is None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
