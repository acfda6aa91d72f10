"""Periodic checkpoint of the audit chain heads: schedule `checkpoint_audit_chains` in Celery
beat every few minutes (docs/operations.md); `manage.py verify_audit` also takes one."""

from celery import shared_task

from rehab_clinic.audit.services import take_checkpoints


@shared_task(name="audit.checkpoint_audit_chains", acks_late=True)
def checkpoint_audit_chains() -> int:
    return len(take_checkpoints())
