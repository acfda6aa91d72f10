"""What reminders adds to other apps' pages: the portal menu link and the episode page's
"suggested reminder times" form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from patients.hooks import register_episode_panel
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.navigation import register as register_nav
from rehab_clinic.reminders.forms import SuggestedTimesForm
from rehab_clinic.reminders.models import ReminderSuggestion

if TYPE_CHECKING:
    from patients.models import Episode

__all__ = ["episode_panel", "register"]


def episode_panel(user: User, episode: Episode) -> dict[str, Any]:
    suggestion = ReminderSuggestion.objects.filter(patient_id=episode.patient_id).first()
    initial = {
        name: getattr(suggestion, name)
        for name in ("exercise_at", "check_in_at", "next_run_at")
        if suggestion is not None
    }
    return {
        "episode": episode,
        "form": SuggestedTimesForm(initial=initial, auto_id="id_reminder_%s"),
        "can_edit": user.is_therapist,
    }


def register() -> None:
    register_nav(
        role=User.Role.PATIENT, label="Reminders", url_name="reminders:portal_settings", order=80
    )
    register_episode_panel("reminders/_episode_panel.html", episode_panel, order=70)
