"""Field builders and choice lists shared by the note forms and their tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Model

NPRS_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(11)]
YES_NO_UNKNOWN = [("", "Not asked"), ("no", "No"), ("yes", "Yes")]
QUALITY = [("", "Not tested"), ("good", "Good"), ("fair", "Fair"), ("poor", "Poor")]
SIDES = [("", "—"), ("right", "Right"), ("left", "Left")]
OBSERVED = [("", "Not assessed"), ("none", "None"), ("mild", "Mild"), ("marked", "Marked")]
MMT_CHOICES = [("", "—")] + [
    (g, g) for g in ["0", "1", "1+", "2-", "2", "2+", "3-", "3", "3+", "4-", "4", "4+", "5-", "5"]
]
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
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kw
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
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value
