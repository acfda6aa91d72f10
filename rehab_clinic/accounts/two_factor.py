"""Second-factor sign-in (django-otp): who needs one, checking a code, enrolment, backup codes,
resetting a lost factor, and when the password or a code was last checked (re-authentication).

Devices are django-otp's: `TOTPDevice` (an authenticator app), `WebAuthnCredential` (a passkey)
and one `StaticDevice` holding the ten single-use backup codes. A session has passed the second
factor when django-otp has recorded a device in it (`request.user.is_verified()`).
"""

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from rehab_clinic.accounts.models import Clinic, User
from rehab_clinic.accounts.sessions import end_sessions_of, rename_session
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Backup codes"
# When the password or a second-factor code was last checked in this session (a timestamp).
AUTH_CHECKED_KEY = "auth_checked_at"
# The key of the authenticator app being set up, until its first code is confirmed.
PENDING_TOTP_KEY = "two_factor_pending_totp_key"


def has_second_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def has_second_factor_expression() -> Any:
    """For annotating a list of users without a query per row."""
    return (
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        | Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True))
        | Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


def must_enrol(user: User) -> bool:
    """Staff of a clinic that requires two-factor sign-in; patients only ever opt in."""
    return (
        user.is_clinic_staff
        and user.clinic_id is not None
        and Clinic.objects.filter(pk=user.clinic_id, require_two_factor=True).exists()
    )


_STATE = "_second_factor_state"


def second_factor_state(user: User) -> tuple[bool, bool]:
    """(has a second factor, must have one), read in one query: this runs on every request of a
    session that has not passed a second factor. Kept on the user object for the request."""
    # getattr/setattr, not __dict__: `request.user` is a lazy wrapper, whose own __dict__ is not
    # the user's (a cache kept there is never found again).
    cached: tuple[bool, bool] | None = getattr(user, _STATE, None)
    if cached is None:
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(enrolled=has_second_factor_expression())
            .values_list("enrolled", "clinic__require_two_factor")
            .first()
        )
        enrolled, required = row or (False, False)
        cached = (bool(enrolled), bool(required) and user.is_clinic_staff)
        setattr(user, _STATE, cached)
    return cached


def remember_state(user: User, *, enrolled: bool) -> None:
    """`second_factor_state` for a user loaded with their clinic and whether they have a second
    factor (the sign-in backend reads both with the user): no query of its own afterwards."""
    clinic = user.clinic if user.clinic_id is not None else None
    required = bool(clinic is not None and clinic.require_two_factor)
    setattr(user, _STATE, (enrolled, required and user.is_clinic_staff))


def second_factor_pending(request: HttpRequest) -> bool:
    """Signed in with a password, but the second step this user needs has not been passed."""
    user = request.user
    if not isinstance(user, User) or user.is_verified():  # type: ignore[attr-defined]
        return False
    enrolled, required = second_factor_state(user)
    return enrolled or required


def mark_checked(request: HttpRequest) -> None:
    request.session[AUTH_CHECKED_KEY] = timezone.now().timestamp()


def checked_recently(request: HttpRequest) -> bool:
    checked = request.session.get(AUTH_CHECKED_KEY)
    if checked is None:
        return False
    age = timezone.now().timestamp() - float(checked)
    return bool(age <= settings.REAUTH_MAX_AGE.total_seconds())


def device_kind(device: Device) -> str:
    if isinstance(device, WebAuthnCredential):
        return "passkey"
    if isinstance(device, StaticDevice):
        return "backup code"
    return "authenticator app"


def _credentials(user: User) -> dict[str, str]:
    return {"email": user.email}


def clear_failed_attempts(request: HttpRequest, user: User) -> None:
    """Sign-in is complete: forget the failures counted for this email and address."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.reset_attempts(
        ip_address=getattr(request, "axes_ip_address", None), username=user.email
    )


def is_locked_out(request: HttpRequest, user: User) -> bool:
    return bool(AxesProxyHandler.is_locked(request, _credentials(user)))


def count_failure(request: HttpRequest, user: User) -> bool:
    """A wrong code counts as a wrong password (django-axes and the audit trail both hear it).
    Returns whether this failure locked the account out."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def complete_sign_in(request: HttpRequest, device: Device) -> None:
    """Record in the session that it passed the second factor with this device. The session key
    changes, as at the password step, since the session now opens more."""
    old_key = request.session.session_key
    request.session.cycle_key()
    if old_key:
        rename_session(old_key, request.session.session_key)
    otp_login(request, device)
    mark_checked(request)
    clear_failed_attempts(request, device.user)
    record_event(
        user=device.user,
        action=AuditEvent.Action.LOGIN,
        detail=f"second factor passed ({device_kind(device)})",
    )


def check_code(user: User, code: str) -> Device | None:
    """The device (app or backup codes) that accepts this code; a backup code is used up."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    return match_token(user, code)


# --- Enrolment ----------------------------------------------------------------------------------


def pending_totp_device(request: HttpRequest, user: User, *, saved: bool) -> TOTPDevice:
    """The authenticator-app device being set up, unconfirmed until a first code matches.

    Its key waits in the session, so showing the QR code (a GET) writes no device; the POST
    that checks a code asks for it `saved`, and a wrong code's throttling is kept on that row.
    """
    key = request.session.get(PENDING_TOTP_KEY) or random_hex(20)
    request.session[PENDING_TOTP_KEY] = key
    device = TOTPDevice.objects.filter(user=user, confirmed=False, key=key).first()
    if device is None:
        device = TOTPDevice(user=user, key=key, name="Authenticator app", confirmed=False)
        if saved:
            device.save()
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key in the base32 form authenticator apps accept when typed, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as an SVG QR code, inline as a data URI (no file, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def confirm_totp(*, request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    if not device.verify_token("".join(code.split())):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    request.session.pop(PENDING_TOTP_KEY, None)
    record_event(
        user=device.user, action=AuditEvent.Action.CREATE, detail="two-factor: authenticator app"
    )
    if not request.user.is_verified():  # type: ignore[union-attr]
        complete_sign_in(request, device)
    return True


@transaction.atomic
def new_backup_codes(*, user: User) -> list[str]:
    """Ten fresh single-use codes; any earlier ones stop working. Shown to the user once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record_event(user=user, action=AuditEvent.Action.CREATE, detail="backup codes issued")
    return codes


def passkey_registered(*, user: User) -> None:
    """django-otp-webauthn saved the passkey; the trail records it here, with the others."""
    record_event(user=user, action=AuditEvent.Action.CREATE, detail="two-factor: passkey")


def backup_codes_left(user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def totp_devices(user: User) -> Any:
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def passkeys(user: User) -> Any:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True)


# --- A lost device ------------------------------------------------------------------------------


@transaction.atomic
def reset_two_factor(*, member: User, by: User | None) -> int:
    """Remove every second factor of `member` and end their sessions; they enrol again at the
    next sign-in. Returns how many devices were removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        count, _ = model.objects.filter(user=member).delete()
        removed += count
    end_sessions_of(member)
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        obj=member,
        clinic=member.clinic,
        detail="two-factor reset" + ("" if by else " (manage.py reset_2fa)"),
    )
    return removed
