"""What the portal's script posts: the browser's subscription, as `PushSubscription.toJSON()`."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings

__all__ = ["SubscriptionForm", "UnsubscribeForm", "allowed_push_service"]

_SUBSCRIPTION_MAX = 4000
_ENDPOINT_MAX = 1000


def allowed_push_service(endpoint: str) -> bool:
    """An https URL on one of PUSH_SERVICE_HOSTS (or a subdomain of one)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or parts.username or parts.password:
        return False
    return any(host == known or host.endswith("." + known) for known in settings.PUSH_SERVICE_HOSTS)


def _key_bytes(value: Any) -> bytes | None:
    if not isinstance(value, str) or not value or len(value) > 200:
        return None
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


def _endpoint(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > _ENDPOINT_MAX:
        raise forms.ValidationError("The subscription has no push address.")
    if not allowed_push_service(value):
        raise forms.ValidationError("This browser's push service is not one the clinic can use.")
    return value


class SubscriptionForm(forms.Form):
    subscription = forms.CharField(max_length=_SUBSCRIPTION_MAX, strip=False)

    def clean_subscription(self) -> dict[str, str]:
        try:
            data = json.loads(self.cleaned_data["subscription"])
        except ValueError:
            raise forms.ValidationError("The subscription is not valid JSON.") from None
        if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
            raise forms.ValidationError("The subscription has no keys.")
        endpoint = _endpoint(data.get("endpoint"))
        p256dh, auth = data["keys"].get("p256dh"), data["keys"].get("auth")
        public = _key_bytes(p256dh)
        secret = _key_bytes(auth)
        # An uncompressed P-256 point and a 16-byte secret (RFC 8291 section 3).
        if public is None or len(public) != 65 or public[0] != 4:
            raise forms.ValidationError("The subscription's public key is not a P-256 key.")
        if secret is None or len(secret) != 16:
            raise forms.ValidationError("The subscription's auth secret is not 16 bytes.")
        return {"endpoint": endpoint, "p256dh": str(p256dh), "auth": str(auth)}


class UnsubscribeForm(forms.Form):
    endpoint = forms.CharField(max_length=_ENDPOINT_MAX, strip=False)
