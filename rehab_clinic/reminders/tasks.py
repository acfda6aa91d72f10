"""Celery face of the reminders: beat runs `reminders.send_due` every five minutes."""

from __future__ import annotations

from celery import shared_task

from rehab_clinic.reminders import services

__all__ = ["send_due_reminders"]


@shared_task(name="reminders.send_due", ignore_result=True)
def send_due_reminders() -> int:
    """Run by Celery beat (`CELERY_BEAT_SCHEDULE["patient-reminders"]`); idempotent."""
    return services.send_reminders()
