"""Clinics, users and their roles, and patient portal invitations."""

import hashlib
import secrets
import zoneinfo
from datetime import date, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/Chicago.")


class Clinic(models.Model):
    class DistanceUnit(models.TextChoices):
        KM = "km", "Kilometres"
        MI = "mi", "Miles"

    class PaperSize(models.TextChoices):
        A4 = "A4", "A4"
        LETTER = "Letter", "US Letter"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    distance_unit = models.CharField(
        max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.KM
    )
    paper_size = models.CharField(max_length=6, choices=PaperSize.choices, default=PaperSize.A4)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Shown to patients above the message box, with "for urgent problems call" and the phone.
    opening_hours = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown to patients above the message box, e.g. Mon-Fri 8:00-18:00, "
        "Sat 9:00-12:00.",
    )
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    logo = models.ImageField(upload_to="clinic-logos/", blank=True)
    require_two_factor = models.BooleanField(
        "Require two-factor sign-in for all staff",
        default=True,
        help_text="Staff must confirm each sign-in with an authenticator app code or a passkey.",
    )
    # The therapist's day (docs/therapist_day.md): the rules behind the Today page's queues.
    mrn_prefix = models.CharField(
        "record number prefix",
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]*$", "Use letters, digits and dashes only.")],
        help_text="Put before the number given to a new patient whose record number is left "
        "blank, e.g. RUN-.",
    )
    # The last number given; raised under a row lock (patients.services), never by hand.
    mrn_sequence = models.PositiveIntegerField(default=0, editable=False)
    progress_note_every = models.PositiveSmallIntegerField(
        "progress note every (visits)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="A progress note is due after this many visits since the last evaluation "
        "or progress note.",
    )
    low_adherence_percent = models.PositiveSmallIntegerField(
        "low home-program adherence (%)",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Today lists a patient whose home program was done less than this share "
        "over the last 14 days.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The clinic's time zone: every date and time the app shows or judges is read in it."""
        try:
            return zoneinfo.ZoneInfo(self.timezone or "UTC")
        except (KeyError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def phone_link(self) -> str:
        """The phone as a `tel:` link a phone can dial (digits and a leading +), or ""."""
        digits = "".join(c for c in self.phone if c.isdigit())
        if not digits:
            return ""
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}"

    def today(self) -> date:
        """Today's date at the clinic: the one definition of "today" for clinical rules."""
        return timezone.localdate(timezone=self.zone)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        CLINIC_ADMIN = "clinic_admin", "Clinic admin"
        THERAPIST = "therapist", "Therapist"
        PATIENT = "patient", "Patient"

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    # Django's own flag for the (unused) admin site; never granted through the app.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["clinic_admin", "therapist", "patient"]),
                name="user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def home_clinic(self) -> Clinic:
        """The clinic of a user who must have one (every role does; the decorators check it)."""
        if self.clinic is None:
            raise PermissionDenied
        return self.clinic

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == self.Role.CLINIC_ADMIN

    @property
    def is_therapist(self) -> bool:
        return self.role == self.Role.THERAPIST

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in {self.Role.CLINIC_ADMIN, self.Role.THERAPIST}


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> "InvitationQuerySet":
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use, expiring link that lets a person set a password for a new account.

    Only a hash of the token is stored: a copy of the database does not let anyone accept it.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=User.Role.choices)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # Empty only for a clinic's first admin, invited by `manage.py create_clinic`.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="patient") | models.Q(patient__isnull=False),
                name="patient_invitation_names_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @classmethod
    def find_usable(cls, token: str) -> "Invitation | None":
        return cls.objects.usable().filter(token_hash=_hash_token(token)).first()

    @staticmethod
    def default_expiry() -> Any:
        return timezone.now() + timedelta(days=settings.PATIENT_INVITE_DAYS)


class UserSession(models.Model):
    """Which signed-in session belongs to whom, so a user's sessions can be listed and ended
    without decoding every session in the database. Written at sign-in, removed at sign-out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"Session of {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"


class SubmissionKey(models.Model):
    """One submit of a form that creates something, keyed by the token rendered into the form.

    The unique key per user is what makes a double tap, a flaky retry or two racing requests
    save once: the second insert waits for the first and then fails, and its request answers
    with the first one's redirect (`result_url`). See `accounts/submissions.py`.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"Submission {self.key[:8]}… by user {self.user_id}"
