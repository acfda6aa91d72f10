"""What messaging plugs into other apps: the portal's menu link with its unread count, the
therapist's Today queue of unread threads, and the thread's panel on the episode page."""

from __future__ import annotations

from typing import Any

from patients.hooks import register_episode_panel, register_today_queue
from patients.models import Episode
from rehab_clinic.accounts import navigation
from rehab_clinic.accounts.models import User
from rehab_clinic.messaging.forms import MessageForm
from rehab_clinic.messaging.models import Side
from rehab_clinic.messaging.queries import (
    PANEL_SHOWN,
    patient_unread_count,
    thread_context,
    unread_messages_queue,
)

__all__ = ["episode_panel", "register"]


def episode_panel(user: User, episode: Episode) -> dict[str, Any]:
    return {
        **thread_context(episode, Side.CLINIC, limit=PANEL_SHOWN),
        "form": MessageForm(),
        "can_send": user.is_therapist,
    }


def register() -> None:
    navigation.register(
        role=User.Role.PATIENT,
        label="Messages",
        url_name="messaging:portal_thread",
        order=80,
        count=patient_unread_count,
    )
    register_today_queue("messages", unread_messages_queue, order=15)
    register_episode_panel("messaging/_episode_panel.html", episode_panel, order=20)
