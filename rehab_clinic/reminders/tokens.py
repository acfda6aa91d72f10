"""The one-click unsubscribe link: a signed patient id, good without signing in.

Signed with the secret key and a salt of its own, so no other signed value of the app (and no
guessed id) is accepted. It has no timestamp, so every reminder carries the same link and one
read weeks later still works. It can do one thing only, stop reminder emails, so holding the
link gives no access to a record.
"""

from __future__ import annotations

from django.core import signing

__all__ = ["patient_id_from", "unsubscribe_token"]

SALT = "rehab_clinic.reminders.unsubscribe"


def unsubscribe_token(patient_id: int) -> str:
    return signing.Signer(salt=SALT).sign_object({"patient": patient_id}, compress=True)


def patient_id_from(token: str) -> int | None:
    """The patient the token was made for; None for a token that was not made by us."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    patient = value.get("patient") if isinstance(value, dict) else None
    return patient if isinstance(patient, int) and not isinstance(patient, bool) else None
