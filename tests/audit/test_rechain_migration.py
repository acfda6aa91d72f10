"""Migration audit 0004 re-chains a trail written as one global chain into one chain per clinic,
and refuses to launder a trail that was already tampered with."""

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from rehab_clinic.audit.services import verify_audit_trail
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0002_append_only_trigger")]


def _old_hash(previous: str, event: Any) -> str:
    fields = {
        "occurred_at": event.occurred_at.isoformat(),
        "user": None,
        "user_email": event.user_email,
        "clinic": event.clinic_id,
        "patient": None,
        "action": event.action,
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "detail": event.detail,
        "ip_address": None,
        "outcome": "success",
    }
    body = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, previous.encode() + body, hashlib.sha256).hexdigest()


def _write_old_trail(clinics: list[Any], tamper: bool = False) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("audit", "AuditEvent")
    previous = "0" * 64
    for n, clinic_id in enumerate([clinics[0].pk, None, clinics[1].pk, clinics[0].pk]):
        event = old(
            occurred_at=timezone.now(),
            user_email=f"user{n}@example.test",
            clinic_id=clinic_id,
            action="login",
            detail=f"event {n}",
            previous_hash=previous,
        )
        event.row_hash = _old_hash(previous, event)
        if tamper and n == 2:
            event.detail = "rewritten"
        event.save()
        previous = event.row_hash


def _migrate_forward() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # To the app's latest migration: the checks below use today's model (and its columns).
    executor.migrate(executor.loader.graph.leaf_nodes("audit"))


def test_existing_events_are_re_chained_per_clinic_and_verify() -> None:
    clinics = [ClinicFactory(), ClinicFactory()]
    _write_old_trail(clinics)
    _migrate_forward()
    from rehab_clinic.audit.models import AuditChainHead, AuditEvent

    chains = {(e.chain, e.sequence, e.detail) for e in AuditEvent.objects.order_by("id")}
    assert chains == {
        (clinics[0].pk, 1, "event 0"),
        (0, 1, "event 1"),
        (clinics[1].pk, 1, "event 2"),
        (clinics[0].pk, 2, "event 3"),
    }
    assert AuditChainHead.objects.get(chain=clinics[0].pk).count == 2
    assert all(report.intact for report in verify_audit_trail())


def test_a_tampered_trail_is_not_re_chained() -> None:
    clinics = [ClinicFactory(), ClinicFactory()]
    _write_old_trail(clinics, tamper=True)
    with pytest.raises(RuntimeError, match="The audit chain is broken at event"):
        _migrate_forward()
    _migrate_forward_after_repair()


def _migrate_forward_after_repair() -> None:
    """Leave the database as the other tests expect: drop the old trail, then migrate."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("DELETE FROM audit_auditevent")
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    _migrate_forward()
