"""The staff member's alert choices: how each reason reaches them, and the digest hour."""

from __future__ import annotations

from typing import Any

from django import forms

from rehab_clinic.notifications.models import AlertPreference, Delivery, Reason

__all__ = ["AlertPreferenceForm"]

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class AlertPreferenceForm(forms.Form):
    digest_hour = forms.TypedChoiceField(
        label="Send the daily digest at",
        choices=HOURS,
        coerce=int,
        help_text="Clinic time. The digest comes once a day, only when something is waiting.",
    )

    def __init__(self, *args: Any, preference: AlertPreference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["digest_hour"].initial = preference.digest_hour
        for reason in Reason:
            self.fields[reason.value] = forms.ChoiceField(
                label=reason.label,
                choices=Delivery.choices,
                initial=preference.delivery_for(reason.value),
                widget=forms.RadioSelect,
            )
        self.order_fields([*Reason.values, "digest_hour"])

    def deliveries(self) -> dict[str, str]:
        return {reason: self.cleaned_data[reason] for reason in Reason.values}
