"""Celery face of web push: the network calls to push services happen here, never in a request."""

from __future__ import annotations

from celery import shared_task

from rehab_clinic.accounts.models import User
from rehab_clinic.push import services

__all__ = ["send_push_task"]


@shared_task(name="push.send", ignore_result=True)
def send_push_task(user_pk: int, title: str, body: str, url: str) -> int:
    """`send_push_task.delay_on_commit(user.pk, title, body, url)`: neutral text only, as
    `services.send_push` says. A user deleted since is nobody to notify."""
    user = User.objects.filter(pk=user_pk).first()
    if user is None:
        return 0
    return services.send_push(user, title=title, body=body, url=url)
