"""Workflows for the clinic's billing code list: its defaults, and the clinic admin's edits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from assessments.billing_codes import DEFAULT_CODES, BillingCode
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic, User

EDITABLE = ("label", "timed", "active")
"""What the admin changes on a code the clinic has; a code's number is fixed once it exists."""


@transaction.atomic
def seed_billing_codes(*, clinic: Clinic) -> None:
    """Give a clinic the default code list (idempotent: a code it has already is kept as is)."""
    have = set(BillingCode.objects.filter(clinic=clinic).values_list("code", flat=True))
    BillingCode.objects.bulk_create(
        BillingCode(clinic=clinic, code=d.code, label=d.label, timed=d.timed, position=position)
        for position, d in enumerate(DEFAULT_CODES)
        if d.code not in have
    )


@transaction.atomic
def save_billing_codes(
    *, clinic: Clinic, by: User, rows: list[dict[str, Any]]
) -> list[BillingCode]:
    """Store the clinic's list as the admin left it: each row either names an existing code of
    this clinic (``id``) or is a new one (with its ``code``). Codes are never deleted: notes
    name them; the admin retires one by making it inactive."""
    existing = {c.pk: c for c in BillingCode.objects.select_for_update().filter(clinic=clinic)}
    last = max((c.position for c in existing.values()), default=-1)
    saved = []
    for row in rows:
        code = existing.get(row["id"]) if row.get("id") else None
        if row.get("id") and code is None:
            raise ValueError("That code belongs to another clinic.")
        if code is None:  # a new code goes at the end of the list
            last += 1
            code = BillingCode(clinic=clinic, code=row["code"], position=last)
        for name in EDITABLE:
            setattr(code, name, row[name])
        code.updated_by = by
        code.full_clean(exclude=["clinic", "updated_by"])
        code.save()
        saved.append(code)
    record_event(
        action=AuditEvent.Action.CHANGE, user=by, clinic=clinic, detail="billing code list"
    )
    return saved
