"""Scheduled housekeeping: each beat job removes exactly what is past its date, keeps the rest,
and a second run changes nothing."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from assessments.models import Note, NoteDraft
from assessments.tasks import drop_stale_drafts_task
from rehab_clinic.accounts.models import Invitation, User
from rehab_clinic.accounts.tasks import clear_expired_sessions, expire_invitations
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.audit.tasks import checkpoint_audit_chains
from rehab_clinic.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_names_a_registered_task() -> None:
    celery_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "accounts.clear_expired_sessions",
        "accounts.expire_invitations",
        "assessments.drop_stale_drafts",
        "audit.checkpoint_audit_chains",
        "outbox.sweep",
        "notifications.daily_checks",
        "notifications.send_digests",
        "reminders.send_due",
        "records.delete_expired",
        "programs.drop_unsaved_run_files",
    }
    assert scheduled <= set(celery_app.tasks)


def test_the_audit_checkpoint_job_copies_each_moved_head_once(clinic: Any) -> None:
    record_event(action=AuditEvent.Action.VIEW, clinic=clinic, detail="a page was read")
    assert checkpoint_audit_chains.apply().get() >= 1
    assert checkpoint_audit_chains.apply().get() == 0  # nothing moved since: nothing copied
    record_event(action=AuditEvent.Action.VIEW, clinic=clinic, detail="another page")
    assert checkpoint_audit_chains.apply().get() == 1


def test_expired_sessions_are_cleared_and_live_ones_kept() -> None:
    live, dead = SessionStore(), SessionStore()
    live.create()
    dead.create()
    Session.objects.filter(session_key=dead.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert clear_expired_sessions.apply().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert clear_expired_sessions.apply().get() == 0


def _invitation(clinic: Any, by: User, email: str, expires_in: timedelta, **extra: Any) -> Any:
    return Invitation.objects.create(
        clinic=clinic,
        email=email,
        full_name=email,
        role=User.Role.THERAPIST,
        token_hash=Invitation.new_token()[1],
        created_by=by,
        expires_at=timezone.now() + expires_in,
        **extra,
    )


def test_finished_invitations_are_deleted_after_the_retention(
    clinic: Any, clinic_admin: User
) -> None:
    long_ago = -timedelta(days=settings.INVITATION_RETENTION_DAYS + 1)
    old_expired = _invitation(clinic, clinic_admin, "a@x.test", long_ago)
    old_used = _invitation(clinic, clinic_admin, "b@x.test", long_ago, used_at=timezone.now())
    recently_expired = _invitation(clinic, clinic_admin, "c@x.test", -timedelta(days=1))
    waiting = _invitation(clinic, clinic_admin, "d@x.test", timedelta(days=3))

    assert expire_invitations.apply().get() == 2
    remaining = set(Invitation.objects.values_list("pk", flat=True))
    assert remaining == {recently_expired.pk, waiting.pk}
    assert not {old_expired.pk, old_used.pk} & remaining
    assert Invitation.objects.usable().get() == waiting
    assert expire_invitations.apply().get() == 0


def test_stale_drafts_are_dropped_and_recent_ones_and_notes_kept(
    episode: Any, therapist: User, clinic_admin: User
) -> None:
    note = Note.objects.create(episode=episode, kind=Note.Kind.DAILY, author=therapist)
    stale = NoteDraft.objects.create(note=note, user=therapist, data={"a": ["1"]})
    fresh = NoteDraft.objects.create(note=note, user=clinic_admin, data={"a": ["2"]})
    NoteDraft.objects.filter(pk=stale.pk).update(
        saved_at=timezone.now() - timedelta(days=settings.NOTE_DRAFT_RETENTION_DAYS + 1)
    )
    assert drop_stale_drafts_task.apply().get() == 1
    assert list(NoteDraft.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert Note.objects.filter(pk=note.pk).exists()
    assert drop_stale_drafts_task.apply().get() == 0
