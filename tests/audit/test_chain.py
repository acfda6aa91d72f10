"""One audit chain per clinic, each anchored by a signed head and checkpoints outside the table.

The tampering tests act as someone with database access would: on PostgreSQL they switch the
session to replica mode, which skips the append-only triggers.
"""

import logging
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.utils import OperationalError

from rehab_clinic.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent, chain_of
from rehab_clinic.audit.services import (
    _locked_head,
    record_event,
    take_checkpoints,
    verify_audit_trail,
    verify_chain,
)
from tests.factories import ClinicFactory, UserFactory

pytestmark = pytest.mark.django_db


def _behind_the_apps_back(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the test transaction's deferred checks now, or TRUNCATE would refuse to start.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _delete_events(ids: list[int]) -> None:
    for pk in ids:
        _behind_the_apps_back("DELETE FROM audit_auditevent WHERE id = %s", [pk])


def _logins(user: Any, n: int) -> list[AuditEvent]:
    return [record_event(user=user, action="login") for _ in range(n)]


def test_each_clinic_has_its_own_chain_and_system_events_their_own(
    therapist: Any, other_therapist: Any
) -> None:
    ours = _logins(therapist, 3)
    theirs = _logins(other_therapist, 2)
    system = record_event(action="login_failed", user_email="nobody@example.com")
    assert [e.sequence for e in ours] == [1, 2, 3]
    assert [e.sequence for e in theirs] == [1, 2]
    assert {e.chain for e in ours} == {therapist.clinic_id}
    assert (system.chain, system.sequence, system.clinic_id) == (0, 1, None)
    assert theirs[0].previous_hash == "0" * 64
    head = AuditChainHead.objects.get(chain=therapist.clinic_id)
    assert (head.count, head.last_hash) == (3, ours[-1].row_hash)
    assert head.signature_matches()
    assert all(report.intact for report in verify_audit_trail())


def test_verify_audit_reports_an_edit_in_the_middle(therapist: Any) -> None:
    events = _logins(therapist, 4)
    _behind_the_apps_back("UPDATE audit_auditevent SET detail = 'x' WHERE id = %s", [events[1].pk])
    report = verify_chain(events[0].chain)
    assert (report.first_bad_id, report.reason) == (
        events[1].pk,
        "its content does not match its hash",
    )


def test_verify_audit_reports_deleted_tail_rows(therapist: Any) -> None:
    events = _logins(therapist, 5)
    _delete_events([events[3].pk, events[4].pk])
    report = verify_chain(events[0].chain)
    assert not report.intact
    assert report.reason == "the last 2 events were removed (the signed head records 5)"
    with pytest.raises(CommandError, match="the last 2 events were removed"):
        call_command("verify_audit")


def test_verify_audit_reports_tail_deleted_even_when_the_head_is_rolled_back(
    therapist: Any,
) -> None:
    events = _logins(therapist, 3)
    take_checkpoints()
    # An attacker who saved the head's row at 2 events and puts it back after deleting the third
    # fools the head, not the checkpoint taken after the third event.
    old = AuditChainHead(chain=events[0].chain, count=2, last_hash=events[1].row_hash)
    _delete_events([events[2].pk])
    _behind_the_apps_back(
        "UPDATE audit_auditchainhead SET count = 2, last_hash = %s, signature = %s "
        "WHERE chain = %s",
        [old.last_hash, old.compute_signature(), old.chain],
    )
    report = verify_chain(events[0].chain)
    assert report.reason.startswith("the last 1 events were removed (the checkpoint of ")


def test_verify_audit_reports_a_forged_head(therapist: Any) -> None:
    events = _logins(therapist, 3)
    _delete_events([events[2].pk])
    _behind_the_apps_back(
        "UPDATE audit_auditchainhead SET count = 2, last_hash = %s WHERE chain = %s",
        [events[1].row_hash, events[0].chain],
    )
    assert verify_chain(events[0].chain).reason == "the chain's signed head was altered"


def test_verify_audit_reports_delete_then_append(therapist: Any) -> None:
    events = _logins(therapist, 4)
    _delete_events([events[2].pk, events[3].pk])
    later = record_event(user=therapist, action="logout")
    report = verify_chain(events[0].chain)
    assert report.first_bad_id == later.pk
    assert report.reason == "events 3 to 4 of the chain are missing"


def test_verify_audit_reports_an_emptied_table(therapist: Any, capsys: Any) -> None:
    _logins(therapist, 3)
    if connection.vendor == "postgresql":
        _behind_the_apps_back("TRUNCATE audit_auditevent")
    else:
        _behind_the_apps_back("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 0
    report = verify_chain(therapist.clinic_id)
    assert report.reason == "all 3 events are gone (the table was emptied or truncated)"
    with pytest.raises(CommandError, match="all 3 events are gone"):
        call_command("verify_audit")


def test_verify_audit_reports_an_emptied_table_and_head_from_the_checkpoints(
    therapist: Any,
) -> None:
    _logins(therapist, 3)
    take_checkpoints()
    _behind_the_apps_back("DELETE FROM audit_auditevent")
    _behind_the_apps_back("DELETE FROM audit_auditchainhead")
    report = verify_chain(therapist.clinic_id)
    assert report.reason.startswith("the last 3 events were removed (the checkpoint of ")


def test_checkpoints_are_chained_signed_logged_and_only_taken_when_a_head_moved(
    therapist: Any, other_therapist: Any, caplog: Any
) -> None:
    _logins(therapist, 2)
    _logins(other_therapist, 1)
    with caplog.at_level(logging.INFO, logger="rehab_clinic.audit.checkpoint"):
        first = take_checkpoints()
    assert [(c.chain, c.count) for c in first] == [
        (therapist.clinic_id, 2),
        (other_therapist.clinic_id, 1),
    ]
    assert first[1].previous_signature == first[0].signature
    assert f"chain={therapist.clinic_id} count=2" in caplog.text
    assert first[0].signature in caplog.text
    assert take_checkpoints() == []
    _logins(therapist, 1)
    assert [(c.chain, c.count) for c in take_checkpoints()] == [(therapist.clinic_id, 3)]
    assert verify_audit_trail()[-1].intact
    # Removing the newest checkpoint leaves the older heads to compare with, but changing one
    # breaks the checkpoints' own chain.
    _behind_the_apps_back("UPDATE audit_auditcheckpoint SET count = 1 WHERE id = %s", [first[0].pk])
    assert verify_audit_trail()[-1].reason == "the checkpoint was altered"


def test_verify_audit_command_checkpoints_after_an_intact_run(therapist: Any, capsys: Any) -> None:
    _logins(therapist, 2)
    call_command("verify_audit")
    assert "Audit chain intact: 2 events." in capsys.readouterr().out
    assert AuditCheckpoint.objects.get().count == 2


def test_checkpoints_cannot_be_changed_through_the_app(therapist: Any) -> None:
    from rehab_clinic.audit.models import AppendOnlyError

    _logins(therapist, 1)
    (checkpoint,) = take_checkpoints()
    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()


def _truncate_as_in_production(table: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL rehab.allow_truncate = off")  # the test suite's flush sets it
        cursor.execute(f"TRUNCATE {table} CASCADE")


@pytest.mark.parametrize(
    "table",
    [
        "audit_auditevent",
        "audit_auditchainhead",
        "audit_auditcheckpoint",
        "assessments_note",
        "assessments_addendum",
        "assessments_outcomeresponse",
        "programs_programversion",
    ],
)
def test_postgresql_refuses_to_truncate_an_append_only_table(table: str) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite has no TRUNCATE; its DELETE is refused by the app-level guards
    with pytest.raises(Exception, match="cannot be truncated"):
        _truncate_as_in_production(table)


def _write_in_thread(clinic_id: int, user_id: int, outcome: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1500ms'")
                from rehab_clinic.accounts.models import User

                record_event(user=User.objects.get(pk=user_id), action="login")
            outcome["result"] = "written"
        except OperationalError as error:
            outcome["result"] = f"waited: {error}"
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_clinics_never_wait_on_one_lock_but_one_clinics_writers_queue() -> None:
    if connection.vendor != "postgresql":
        return  # the lock is a PostgreSQL row lock; SQLite serialises every writer anyway
    busy, free = ClinicFactory(), ClinicFactory()
    busy_user, free_user = UserFactory(clinic=busy), UserFactory(clinic=free)
    record_event(user=busy_user, action="login")
    with transaction.atomic():
        _locked_head(chain_of(busy.pk))  # one clinic's chain is held by a long transaction
        other, same = {}, {}
        other_thread = _write_in_thread(free.pk, free_user.pk, other)
        other_thread.join(timeout=10)
        same_thread = _write_in_thread(busy.pk, busy_user.pk, same)
        same_thread.join(timeout=10)
    assert other["result"] == "written"
    assert same["result"].startswith("waited: ")
    assert "lock timeout" in same["result"]
    assert AuditEvent.objects.filter(clinic=free).count() == 1
    assert AuditEvent.objects.filter(clinic=busy).count() == 1
    assert all(report.intact for report in verify_audit_trail())
