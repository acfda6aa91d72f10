"""Scheduled housekeeping for accounts (run by Celery beat, see CELERY_BEAT_SCHEDULE). Thin: each
calls a service and reports what it removed; each is idempotent."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from rehab_clinic.accounts import services


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> int:
    return services.clear_expired_sessions()


@shared_task(name="accounts.expire_invitations")
def expire_invitations() -> int:
    return services.expire_invitations(retention=timedelta(days=settings.INVITATION_RETENTION_DAYS))
