"""Account workflows: invitations, accepting them, and staff changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.sessions.models import Session
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from patients.hooks import printed_change
from rehab_clinic.accounts.models import Clinic, Invitation, User, UserSession
from rehab_clinic.accounts.sessions import end_sessions_of
from rehab_clinic.audit.changes import field_changes, snapshot, stored_snapshot
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.outbox.mail import queue_email

if TYPE_CHECKING:
    from patients.models import Patient


class InvitationError(Exception):
    pass


def invitation_link(*, token: str, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("accounts:invite_accept", args=[token])


def _send_invitation(*, invitation: Invitation, token: str, base_url: str) -> None:
    """Queue the invitation's email in the caller's transaction (sent by Celery after commit)."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        # The address has an account (at another clinic: the inviting clinic is told nothing).
        # Its owner learns it here, and the invitation stays unused until it expires.
        queue_email(
            to=invitation.email,
            subject=f"{invitation.clinic.name} tried to create an account for you",
            body=(
                f"Hello {invitation.full_name},\n\n"
                f"{invitation.clinic.name} tried to set up an account for this email address, "
                "but it already has an account with us, so no new one was created. If you "
                f"expected this, ask {invitation.clinic.name} to use a different email address "
                "for you.\n"
            ),
        )
        return
    link = invitation_link(token=token, base_url=base_url)
    queue_email(
        to=invitation.email,
        subject=f"Your account at {invitation.clinic.name}",
        body=(
            f"Hello {invitation.full_name},\n\n"
            f"{invitation.clinic.name} has set up an account for you. Open this link to choose "
            f"a password (it works once and expires on {invitation.expires_at:%d %B %Y}):\n\n"
            f"{link}\n"
        ),
    )


@transaction.atomic
def invite_patient(*, patient: Patient, by: User, base_url: str) -> Invitation:
    if patient.user_id is not None:
        raise InvitationError("This patient already has a portal account.")
    if not patient.email:
        raise InvitationError("Add the patient's email address before inviting them.")
    if User.objects.filter(email__iexact=patient.email, clinic=patient.clinic).exists():
        raise InvitationError("Another account at this clinic already uses this email address.")
    # A new invitation replaces any earlier one still waiting.
    Invitation.objects.usable().filter(patient=patient).update(revoked_at=timezone.now())
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        clinic=patient.clinic,
        email=patient.email.lower(),
        full_name=patient.full_name,
        role=User.Role.PATIENT,
        patient=patient,
        token_hash=token_hash,
        created_by=by,
        expires_at=Invitation.default_expiry(),
    )
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE,
        patient=patient,
        obj=invitation,
        detail="portal invitation sent",
    )
    _send_invitation(invitation=invitation, token=token, base_url=base_url)
    return invitation


@transaction.atomic
def invite_staff(
    *,
    clinic: Clinic,
    full_name: str,
    email: str,
    role: str,
    by: User,
    base_url: str,
) -> Invitation:
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        clinic=clinic,
        email=email.lower(),
        full_name=full_name,
        role=role,
        token_hash=token_hash,
        created_by=by,
        expires_at=Invitation.default_expiry(),
    )
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE,
        obj=invitation,
        detail=f"staff invitation as {role}",
    )
    _send_invitation(invitation=invitation, token=token, base_url=base_url)
    return invitation


@transaction.atomic
def save_clinic(*, clinic: Clinic, changed: Sequence[str], by: User, detail: str = "") -> Clinic:
    """Save the clinic's changed details (a form's unsaved instance), audited old → new."""
    before = stored_snapshot(clinic)
    clinic.save()
    diff = field_changes(before, snapshot(clinic))
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        obj=clinic,
        detail=detail or ", ".join(changed),
        changes=diff,
    )
    printed_change(obj=clinic, changed=diff, by=by)  # the handout prints the letterhead
    return clinic


class ClinicExists(Exception):
    pass


# What other apps give a new clinic, in its creating transaction (return to run: its copies of
# the published protocols), so no page has to create them when first read.
_clinic_setup: list[Callable[[Clinic], None]] = []


def register_clinic_setup(step: Callable[[Clinic], None]) -> None:
    if step not in _clinic_setup:
        _clinic_setup.append(step)


@transaction.atomic
def create_clinic(
    *,
    name: str,
    timezone_name: str,
    distance_unit: str,
    admin_email: str,
    admin_name: str,
    base_url: str,
    send_email: bool,
) -> tuple[Clinic, str]:
    """A new clinic and a single-use invitation for its first admin; returns the link.

    There is no acting user: the clinic is created from the command line, so the audit events
    say so. Raises ClinicExists (clinic name or admin email taken) or ValidationError (bad
    input), and then nothing is saved.
    """
    slug = slugify(name)[:60]
    if Clinic.objects.filter(models.Q(name__iexact=name) | models.Q(slug=slug)).exists():
        raise ClinicExists(f"A clinic named {name!r} already exists; nothing was created.")
    email = admin_email.strip().lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or Invitation.objects.usable().filter(email__iexact=email).exists()
    ):
        raise ClinicExists(f"{email} already has an account or a waiting invitation.")
    clinic = Clinic(name=name, slug=slug, timezone=timezone_name, distance_unit=distance_unit)
    clinic.full_clean()
    clinic.save()
    for step in _clinic_setup:
        step(clinic)
    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        clinic=clinic,
        email=email,
        full_name=admin_name,
        role=User.Role.CLINIC_ADMIN,
        token_hash=token_hash,
        expires_at=Invitation.default_expiry(),
    )
    invitation.full_clean()
    invitation.save()
    for obj, detail in (
        (clinic, "clinic created with manage.py create_clinic"),
        (invitation, "first clinic admin invited with manage.py create_clinic"),
    ):
        record_event(action=AuditEvent.Action.CREATE, clinic=clinic, obj=obj, detail=detail)
    if send_email:
        _send_invitation(invitation=invitation, token=token, base_url=base_url)
    return clinic, invitation_link(token=token, base_url=base_url)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    # Lock the row so two clicks on the same link cannot create two accounts.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        raise InvitationError("This link has already been used or has expired.")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                invitation.email,
                password,
                full_name=invitation.full_name,
                clinic=invitation.clinic,
                role=invitation.role,
            )
    except IntegrityError:
        raise InvitationError("An account with this email already exists.") from None
    patient = invitation.patient
    if patient is not None:
        patient.user = user
        patient.save(update_fields=["user", "updated_at"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record_event(
        user=user,
        action=AuditEvent.Action.CREATE,
        obj=user,
        patient=invitation.patient,
        detail="account created from invitation",
    )
    return user


@transaction.atomic
def update_staff(*, member: User, by: User) -> User:
    """Save `member`'s changed role and active flag (a form's unsaved instance), audited."""
    before = User.objects.get(pk=member.pk)
    member.save()
    user = member
    changes = field_changes(snapshot(before), snapshot(user))
    if before.role != user.role:
        record_event(
            user=by,
            action=AuditEvent.Action.ROLE_CHANGE,
            obj=user,
            detail=f"{before.role} -> {user.role}",
            changes={"role": changes["role"]},
        )
    if before.is_active != user.is_active:
        record_event(
            user=by,
            action=AuditEvent.Action.CHANGE,
            obj=user,
            detail="reactivated" if user.is_active else "deactivated",
            changes={"is_active": changes["is_active"]},
        )
        if not user.is_active:
            # Signed out everywhere, not only refused at the next sign-in.
            end_sessions_of(user)
    details = {k: v for k, v in changes.items() if k not in ("role", "is_active")}
    if details:
        record_event(
            user=by,
            action=AuditEvent.Action.CHANGE,
            obj=user,
            detail=", ".join(details),
            changes=details,
        )
    return user


def clear_expired_sessions() -> int:
    """Delete sessions past their expiry date (what `manage.py clearsessions` does); returns how
    many. Safe to run at any time and again: an expired session can never be used."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    # Their rows on the sessions page go with them.
    UserSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
    return deleted


def expire_invitations(*, retention: timedelta) -> int:
    """Delete invitations that can no longer be accepted (used, revoked or expired) once their
    expiry date is `retention` behind; returns how many. Who invited whom stays in the audit
    trail. Usable invitations are never touched, so running it twice changes nothing more."""
    cutoff = timezone.now() - retention
    finished = Invitation.objects.filter(expires_at__lt=cutoff)
    deleted, _ = finished.delete()
    return deleted
