"""Sign-ins, failed sign-ins and sign-outs go to the audit trail; each sign-in is recorded as one
of the user's sessions (and forgotten at sign-out)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from rehab_clinic.accounts import sessions, two_factor
from rehab_clinic.accounts.middleware import LAST_SEEN_KEY, STARTED_KEY
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


@receiver(user_logged_in)
def _audit_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[STARTED_KEY] = now
        request.session[LAST_SEEN_KEY] = now
        two_factor.mark_checked(request)
        sessions.record_session(request, user)
        if not two_factor.has_second_factor(user):
            # Nothing left to guess: the sign-in is complete with the password.
            two_factor.clear_failed_attempts(request, user)
    record_event(user=user, action=AuditEvent.Action.LOGIN)


@receiver(user_login_failed)
def _audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    record_event(
        action=AuditEvent.Action.LOGIN_FAILED,
        outcome=AuditEvent.Outcome.FAILURE,
        user_email=attempted[:254],
    )


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.forget_session(request.session.session_key)
    if user is not None:
        record_event(user=user, action=AuditEvent.Action.LOGOUT)
