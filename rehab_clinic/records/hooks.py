"""What records adds to other apps' pages: the portal menu's "My record" and the chart's
"Export record" panel (one query each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from patients.hooks import register_chart_panel
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.navigation import register as register_nav
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import waiting_for_broker

if TYPE_CHECKING:
    from patients.models import Patient

__all__ = ["chart_panel", "register"]


def chart_panel(user: User, patient: Patient) -> dict[str, Any]:
    export = RecordExport.objects.visible_to(user).filter(patient=patient).first()
    return {"patient": patient, "export": export, "waiting": waiting_for_broker(export)}


def register() -> None:
    register_nav(
        role=User.Role.PATIENT, label="My record", url_name="records:portal_record", order=90
    )
    register_chart_panel("records/_chart_panel.html", chart_panel, order=20)
