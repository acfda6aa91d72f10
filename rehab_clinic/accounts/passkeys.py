"""Passkeys (django-otp-webauthn) as a second factor: the relying party is this site's host."""

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.request import split_domain_port
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from rehab_clinic.accounts.two_factor import complete_sign_in, passkey_registered


def relying_party_id(request: HttpRequest) -> str:
    """The host name the browser sees (Host is already checked against ALLOWED_HOSTS)."""
    domain, _port = split_domain_port(request.get_host())
    return domain


# django-otp-webauthn ships no types, so mypy sees its classes as Any.
class ClinicWebAuthnHelper(WebAuthnHelper):  # type: ignore[misc]
    def get_allowed_origins(self) -> list[str]:
        origins = list(super().get_allowed_origins())
        if relying_party_id(self.request) == "localhost":
            # localhost is a secure context over plain http, on whatever port runs the site.
            origins.append(f"http://{self.request.get_host()}")
        return origins


class PasskeySecondFactorView(CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """Checks the passkey of a user who has just given their password (passwordless sign-in is
    off), then records the second factor as every other factor does."""

    def complete_auth(self, device: Any) -> None:
        if device.user_id != self.request.user.pk:
            raise PermissionDenied
        complete_sign_in(self.request, device)


class PasskeyRegistrationView(CompleteCredentialRegistrationView):  # type: ignore[misc]
    """django-otp-webauthn's registration, with the new passkey in the audit trail.

    A member enrolling their first factor has passed only the password. The library then marks
    the session verified with the new passkey (django-otp's own login) and nothing more; here that
    session passes the second factor as after any other: a new session key, the audit event, the
    failed attempts cleared. A session already verified keeps the device it was verified with.
    """

    def post(self, *args: Any, **kwargs: Any) -> Any:
        was_verified = self.request.user.is_verified()
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            passkey_registered(user=self.request.user)
            if not was_verified:
                # The library answers with the new passkey's id.
                passkey = WebAuthnCredential.objects.get(
                    pk=json.loads(response.content)["id"], user=self.request.user
                )
                complete_sign_in(self.request, passkey)
        return response
