"""Celery face of the alerts: the immediate emails go through `outbox.send_email`; beat runs the
daily checks (a runner quiet for 7 days) and the digests."""

from __future__ import annotations

import logging

from celery import shared_task

from rehab_clinic.notifications import hooks, services

__all__ = ["run_daily_checks", "send_digests"]

logger = logging.getLogger(__name__)


@shared_task(name="notifications.daily_checks", ignore_result=True)
def run_daily_checks() -> int:
    """Run by Celery beat (`CELERY_BEAT_SCHEDULE["alert-checks"]`); each check is idempotent."""
    raised = sum(check() for check in hooks.daily_checks())
    if raised:
        logger.info("Daily alert checks raised %s notifications", raised)
    return raised


@shared_task(name="notifications.send_digests", ignore_result=True)
def send_digests() -> int:
    """Run by Celery beat (`CELERY_BEAT_SCHEDULE["alert-digests"]`): one digest a person a day."""
    return services.send_digests()
