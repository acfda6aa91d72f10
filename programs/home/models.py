"""Home exercise programs: the therapist's draft, its published versions and the patient's ticks.

A `HomeProgram` is the editable draft for one episode of care. Publishing copies everything the
patient needs into a `ProgramVersion` snapshot (JSON), so later edits to the library or the draft
never change what the patient was given. `Completion` rows record the patient doing one session of
one item on one day; a unique key makes a repeated tap harmless.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from patients.models import Patient

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


class Dosage(models.Model):
    """The dosage fields shared by a program item and a template item (DOMAIN.md §4)."""

    class Side(models.TextChoices):
        EACH = "each", "Each side"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        BOTH = "both", "Both together"

    sets = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    rest_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    load = models.CharField("load or band colour", max_length=60, blank=True)
    tempo = models.CharField(max_length=20, blank=True)
    side = models.CharField(max_length=8, choices=Side.choices, default=Side.BOTH)
    times_per_day = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    days_per_week = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    note = models.CharField("note to the patient", max_length=300, blank=True)

    # Every field above, in order: read from the model just below the class, so a new dosage
    # field is copied into snapshots and templates and shown by the item form without a list.
    DOSAGE_FIELDS: ClassVar[tuple[str, ...]]

    class Meta:
        abstract = True

    def dosage(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.DOSAGE_FIELDS}


Dosage.DOSAGE_FIELDS = tuple(field.name for field in Dosage._meta.fields)


def dosage_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The same ranges as the form validators, enforced by the database too."""
    return [
        models.CheckConstraint(
            condition=models.Q(sets__gte=1, sets__lte=10), name=f"{prefix}_sets_range"
        ),
        models.CheckConstraint(
            condition=models.Q(reps__isnull=True) | models.Q(reps__gte=1, reps__lte=100),
            name=f"{prefix}_reps_range",
        ),
        models.CheckConstraint(
            condition=models.Q(hold_seconds__isnull=True)
            | models.Q(hold_seconds__gte=1, hold_seconds__lte=600),
            name=f"{prefix}_hold_range",
        ),
        models.CheckConstraint(
            condition=models.Q(reps__isnull=False) | models.Q(hold_seconds__isnull=False),
            name=f"{prefix}_reps_or_hold",
        ),
        models.CheckConstraint(
            condition=models.Q(times_per_day__gte=1, times_per_day__lte=4),
            name=f"{prefix}_times_per_day_range",
        ),
        models.CheckConstraint(
            condition=models.Q(days_per_week__gte=1, days_per_week__lte=7),
            name=f"{prefix}_days_per_week_range",
        ),
    ]


class ProgramTemplate(models.Model):
    """A clinic's reusable starting point, e.g. "Patellofemoral pain, phase 1"."""

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="program_templates"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    note_to_patient = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "clinic",
                "name",
                condition=models.Q(archived_at__isnull=True),
                name="program_template_name_unique_per_clinic",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TemplateItem(Dosage):
    template = models.ForeignKey(ProgramTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = dosage_constraints("template_item")

    def __str__(self) -> str:
        return f"{self.template} item {self.position}"


class TemplateModality(models.Model):
    template = models.ForeignKey(
        ProgramTemplate, on_delete=models.CASCADE, related_name="modalities"
    )
    modality = models.ForeignKey("exercises.Modality", on_delete=models.PROTECT, related_name="+")
    instructions = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.template} modality {self.position}"


class HomeProgramQuerySet(models.QuerySet["HomeProgram"]):
    def visible_to(self, user: User) -> HomeProgramQuerySet:
        return self.filter(episode__patient__in=Patient.objects.visible_to(user))


class HomeProgram(models.Model):
    """The therapist's working draft of a home program for one episode of care."""

    episode = models.ForeignKey(
        "patients.Episode", on_delete=models.PROTECT, related_name="home_programs"
    )
    title = models.CharField(max_length=120, default="Home exercise program")
    note_to_patient = models.TextField(blank=True)
    # The printed handout in large print (bigger type, three exercises a page). Read live when
    # the PDF renders, so changing it re-renders the current PDF without a new version.
    large_print = models.BooleanField(
        "large print handout",
        default=False,
        help_text="Bigger type and three exercises a page on the printed program.",
    )
    started_from = models.ForeignKey(
        ProgramTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # From the start form: a second submit of the same form finds this program, not a new one.
    start_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HomeProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProgramItem(Dosage):
    program = models.ForeignKey(HomeProgram, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    # Stable across versions: the patient's ticks and adherence follow the item, not the row.
    key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            *dosage_constraints("program_item"),
            models.UniqueConstraint("program", "key", name="program_item_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program} item {self.position}"


class ProgramModality(models.Model):
    program = models.ForeignKey(HomeProgram, on_delete=models.CASCADE, related_name="modalities")
    modality = models.ForeignKey("exercises.Modality", on_delete=models.PROTECT, related_name="+")
    instructions = models.TextField(
        blank=True, help_text="What the patient reads, e.g. 'Ice 15 minutes after each run.'"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.program} modality {self.position}"


def counted_items(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of each item of a version's snapshot that adherence counts."""
    return [
        {
            "key": str(item["key"]),
            "name": item["name"],
            "times_per_day": int(item["times_per_day"]),
            "days_per_week": int(item["days_per_week"]),
        }
        for item in snapshot.get("items", [])
    ]


class ProgramVersionQuerySet(models.QuerySet["ProgramVersion"]):
    def visible_to(self, user: User) -> ProgramVersionQuerySet:
        return self.filter(program__episode__patient__in=Patient.objects.visible_to(user))


class ProgramVersion(models.Model):
    """An immutable published snapshot. Nothing in the app updates a version after creating it.

    `snapshot` = {"title", "note_to_patient", "items": [{"key", "exercise_id", "name", "category",
    "category_label", "instructions", "cues", "illustration_svg", "sets", "reps", "hold_seconds",
    "rest_seconds", "load", "tempo", "side", "side_label", "times_per_day", "days_per_week",
    "note"}], "modalities": [{"modality_id", "name", "kind", "instructions", "home_instructions",
    "precautions"}]}.
    """

    program = models.ForeignKey(HomeProgram, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    # What adherence counts of each item, taken out of the snapshot when the version is created
    # ([{"key", "name", "times_per_day", "days_per_week"}]): Today and the caseload read these
    # few hundred bytes a version instead of the snapshot with its drawings (~40 KB).
    counted = models.JSONField(default=list, editable=False)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProgramVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint("program", "number", name="program_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot.get('title', 'Program')} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.counted = counted_items(self.snapshot)
        super().save(*args, **kwargs)

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self.snapshot.get("items", []))

    @property
    def modalities(self) -> list[dict[str, Any]]:
        return list(self.snapshot.get("modalities", []))


class CompletionQuerySet(models.QuerySet["Completion"]):
    def visible_to(self, user: User) -> CompletionQuerySet:
        return self.filter(patient__in=Patient.objects.visible_to(user))


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    RIGHT = "right", "About right"
    HARD = "hard", "Hard"


class Completion(models.Model):
    """The patient did one session of one program item on one (clinic-local) day."""

    program = models.ForeignKey(HomeProgram, on_delete=models.PROTECT, related_name="completions")
    version = models.ForeignKey(ProgramVersion, on_delete=models.PROTECT, related_name="+")
    # Denormalised from program → episode → patient so scoping and the dashboard stay one join.
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="program_completions"
    )
    item_key = models.UUIDField()
    day = models.DateField()
    session = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # How it felt, if the patient said (optional on the tick): pain 0-10 and difficulty.
    pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    difficulty = models.CharField(max_length=5, choices=Difficulty.choices, blank=True)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                "program", "item_key", "day", "session", name="completion_once_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(session__gte=1, session__lte=4), name="completion_session_range"
            ),
        ]
        indexes = [models.Index(fields=["patient", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.item_key} on {self.day} (session {self.session})"
