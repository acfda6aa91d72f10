"""Account workflows: invitations, accepting them, and staff changes."""

from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rehab_clinic.accounts.models import Invitation, User
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event


class InvitationError(Exception):
    pass


def _send_invitation(*, invitation: Invitation, token: str, base_url: str) -> None:
    if User.objects.filter(email__iexact=invitation.email).exists():
        # The address has an account (at another clinic: the inviting clinic is told nothing).
        # Its owner learns it here, and the invitation stays unused until it expires.
        send_mail(
            subject=f"{invitation.clinic.name} tried to create an account for you",
            message=(
                f"Hello {invitation.full_name},\n\n"
                f"{invitation.clinic.name} tried to set up an account for this email address, "
                "but it already has an account with us, so no new one was created. If you "
                f"expected this, ask {invitation.clinic.name} to use a different email address "
                "for you.\n"
            ),
            from_email=None,
            recipient_list=[invitation.email],
        )
        return
    link = base_url.rstrip("/") + reverse("accounts:invite_accept", args=[token])
    send_mail(
        subject=f"Your account at {invitation.clinic.name}",
        message=(
            f"Hello {invitation.full_name},\n\n"
            f"{invitation.clinic.name} has set up an account for you. Open this link to choose "
            f"a password (it works once and expires on {invitation.expires_at:%d %B %Y}):\n\n"
            f"{link}\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invite_patient(*, patient: Any, by: User, base_url: str, request: Any = None) -> Invitation:
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
        request=request,
        user=by,
        action=AuditEvent.Action.CREATE,
        patient=patient,
        obj=invitation,
        detail="portal invitation sent",
    )
    transaction.on_commit(
        lambda: _send_invitation(invitation=invitation, token=token, base_url=base_url)
    )
    return invitation


@transaction.atomic
def invite_staff(
    *,
    clinic: Any,
    full_name: str,
    email: str,
    role: str,
    by: User,
    base_url: str,
    request: Any = None,
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
        request=request,
        user=by,
        action=AuditEvent.Action.CREATE,
        obj=invitation,
        detail=f"staff invitation as {role}",
    )
    transaction.on_commit(
        lambda: _send_invitation(invitation=invitation, token=token, base_url=base_url)
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str, request: Any = None) -> User:
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
        request=request,
        user=user,
        action=AuditEvent.Action.CREATE,
        obj=user,
        patient=invitation.patient,
        detail="account created from invitation",
    )
    return user


@transaction.atomic
def update_staff(*, form: Any, by: User, request: Any = None) -> User:
    before = User.objects.get(pk=form.instance.pk)
    user: User = form.save()
    if before.role != user.role:
        record_event(
            request=request,
            user=by,
            action=AuditEvent.Action.ROLE_CHANGE,
            obj=user,
            detail=f"{before.role} -> {user.role}",
        )
    if before.is_active != user.is_active:
        record_event(
            request=request,
            user=by,
            action=AuditEvent.Action.CHANGE,
            obj=user,
            detail="reactivated" if user.is_active else "deactivated",
        )
        if not user.is_active:
            _end_sessions_of(user)
    return user


def _end_sessions_of(user: User) -> None:
    """A deactivated user is signed out everywhere, not only refused at the next sign-in."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
