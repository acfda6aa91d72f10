"""Scheduled housekeeping for charting (run by Celery beat, see CELERY_BEAT_SCHEDULE)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from assessments.models import NoteDraft


def drop_stale_drafts(*, retention: timedelta) -> int:
    """Delete autosaved drafts nobody has touched for `retention`; returns how many. A draft is
    only unsaved typing (the note itself is never touched), and a second run finds nothing."""
    deleted, _ = NoteDraft.objects.filter(saved_at__lt=timezone.now() - retention).delete()
    return deleted


@shared_task(name="assessments.drop_stale_drafts")
def drop_stale_drafts_task() -> int:
    return drop_stale_drafts(retention=timedelta(days=settings.NOTE_DRAFT_RETENTION_DAYS))
