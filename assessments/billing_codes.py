"""The clinic's list of procedure (CPT/HCPCS) codes a daily note records minutes against.

Data, not constants: every clinic gets `DEFAULT_CODES` when it is created (and existing clinics
in migration 0006), and its admin edits labels, adds codes, switches a code between timed and
untimed, or retires it. A note keeps the code, label and timed flag as they were on the day, so
editing the list never changes a signed note's units (docs/billing.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

code_format = RegexValidator(
    r"^[A-Z0-9]{5}$", "A procedure code is five letters or digits, such as 97110 or G0283."
)


class BillingCode(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=5, validators=[code_format])
    label = models.CharField(max_length=80)
    timed = models.BooleanField(
        default=True,
        help_text="Timed codes are billed in 15-minute units by the 8-minute rule; an untimed "
        "code is one unit a visit.",
    )
    active = models.BooleanField(default=True, help_text="Offered on new daily notes.")
    position = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="one_billing_code_per_clinic"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


@dataclass(frozen=True)
class DefaultCode:
    code: str
    label: str
    timed: bool


# The usual outpatient physical therapy codes for a running clinic. Which are timed follows the
# CPT descriptors ("each 15 minutes") as CMS lists them for therapy (docs/billing.md); whether a
# payer bundles a code (hot/cold packs often are) is the clinic's to decide, so it is editable.
DEFAULT_CODES = (
    DefaultCode("97110", "Therapeutic exercise", timed=True),
    DefaultCode("97112", "Neuromuscular re-education", timed=True),
    DefaultCode("97140", "Manual therapy", timed=True),
    DefaultCode("97116", "Gait training", timed=True),
    DefaultCode("97530", "Therapeutic activities", timed=True),
    DefaultCode("97035", "Ultrasound", timed=True),
    DefaultCode("97032", "Electrical stimulation, attended", timed=True),
    DefaultCode("97124", "Massage", timed=True),
    DefaultCode("97014", "Electrical stimulation, unattended", timed=False),
    DefaultCode("G0283", "Electrical stimulation, unattended (Medicare)", timed=False),
    DefaultCode("97010", "Hot or cold packs", timed=False),
)


def active_codes(clinic_id: int) -> list[BillingCode]:
    """The codes a new entry can use, in the clinic's order (one query)."""
    return list(BillingCode.objects.filter(clinic_id=clinic_id, active=True))
