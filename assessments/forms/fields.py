"""Field builders and choice lists shared by the note forms and their tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Model

from rehab_clinic.accounts.limits import LONG_TEXT

NPRS_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(11)]
YES_NO_UNKNOWN = [("", "Not asked"), ("no", "No"), ("yes", "Yes")]
QUALITY = [("", "Not tested"), ("good", "Good"), ("fair", "Fair"), ("poor", "Poor")]
SIDES = [("", "—"), ("right", "Right"), ("left", "Left")]
OBSERVED = [("", "Not assessed"), ("none", "None"), ("mild", "Mild"), ("marked", "Marked")]
MMT_CHOICES = [("", "—")] + [
    (g, g) for g in ["0", "1", "1+", "2-", "2", "2+", "3-", "3", "3+", "4-", "4", "4+", "5-", "5"]
]
# Typical adult active ranges in degrees (American Academy of Orthopaedic Surgeons values as
# commonly tabulated in goniometry texts): an orientation beside the measurement, not a target.
ROM_NORMS: dict[str, tuple[str, str, int | None]] = {
    "hip_flexion": ("Hip", "Hip flexion", 120),
    "hip_extension": ("Hip", "Hip extension", 20),
    "hip_abduction": ("Hip", "Hip abduction", 45),
    "hip_internal_rotation": ("Hip", "Hip internal rotation", 45),
    "hip_external_rotation": ("Hip", "Hip external rotation", 45),
    "knee_flexion": ("Knee", "Knee flexion", 135),
    "knee_extension": ("Knee", "Knee extension", 0),
    "ankle_dorsiflexion": ("Ankle", "Ankle dorsiflexion", 20),
    "ankle_plantarflexion": ("Ankle", "Ankle plantarflexion", 50),
    "ankle_inversion": ("Ankle", "Ankle inversion", 35),
    "ankle_eversion": ("Ankle", "Ankle eversion", 15),
    "first_mtp_extension": ("1st MTP", "1st MTP extension", 70),
    "lumbar_flexion": ("Lumbar spine", "Lumbar flexion", None),
}


def _rom_choices() -> list[Any]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, (joint, label, norm) in ROM_NORMS.items():
        shown = f"{label} (typical {norm}°)" if norm is not None else label
        groups.setdefault(joint, []).append((code, shown))
    return [("", "—"), *groups.items()]


ROM_CHOICES = _rom_choices()

SPECIAL_TESTS = [
    (
        "Achilles and calf",
        [
            ("arc_sign", "Arc sign"),
            ("royal_london", "Royal London Hospital test"),
            ("calf_squeeze", "Calf squeeze (Thompson)"),
        ],
    ),
    (
        "Knee",
        [
            ("noble", "Noble compression"),
            ("ober", "Ober"),
            ("patellar_grind", "Patellar grind"),
            ("pf_squat", "Pain on squatting"),
        ],
    ),
    (
        "Hip and buttock",
        [
            ("fader_r", "FADER-R"),
            ("resisted_derotation", "Resisted external derotation"),
            ("sls_30", "30-second single-leg stance"),
            ("puranen_orava", "Puranen-Orava"),
            ("bent_knee_stretch", "Modified bent-knee stretch"),
            ("active_30_90", "Active 30/90"),
        ],
    ),
    (
        "Shin and foot",
        [
            ("hop_pain", "Single-leg hop pain"),
            ("windlass", "Windlass"),
            ("calcaneal_squeeze", "Calcaneal squeeze"),
        ],
    ),
]


def _num(label: str, lo: int, hi: int, **kw: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=lo, max_value=hi, required=False, **kw)


def _text(label: str, rows: int = 2, **kw: Any) -> forms.CharField:
    kw.setdefault("max_length", LONG_TEXT)
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kw
    )


def _time(label: str) -> forms.TimeField:
    """A clock time of the visit (hours and minutes, the clinic's own clock)."""
    return forms.TimeField(
        label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


def _decimal(label: str, hi: float, digits: int = 6) -> forms.DecimalField:
    """An optional measure with one decimal, from 0 to a ceiling nobody reaches."""
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=hi,
        max_digits=digits,
        decimal_places=1,
        required=False,
    )


def _nprs(label: str, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=NPRS_CHOICES, coerce=int, empty_value=None, required=required
    )


def _bootstrap(form: forms.Form, *, small: bool = False) -> None:
    """Bootstrap classes for forms rendered field by field (not through crispy)."""
    size = "-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = f"form-select form-select{size}"
        else:
            css = f"form-control form-control{size}"
        widget.attrs["class"] = css


def to_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value
