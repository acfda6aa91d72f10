"""Sensible maximums for what people type, in one place.

Every text field has a maximum length and every number a plausible range; tests/test_form_limits.py
walks every form of the project and fails for a field without one. Plain forms declare their
limits on the field (`max_length=LONG_TEXT`); model forms set `formfield_callback =
limited_formfield` in their Meta, which gives a model's TextField a maximum and turns a model
number's validators into the form field's range, so the message shows beside the field.
"""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

LONG_TEXT = 5_000  # a clinical free-text answer; a page and a half of typing
SHORT_TEXT = 300
ADDRESS = 300  # printed on every PDF letterhead
PASSWORD = 256
URL = 500
MESSAGE = 2_000  # one secure message to or from the clinic: a long email's worth
NOTE_DRAFT_CHARS = 1_000_000  # the longest note form full in any script, with room to spare
DYNAMOMETER_N = 3_000  # a hand-held dynamometer reads up to about 2,000 N

# Text fields by model field name that deserve less than LONG_TEXT.
TEXT_BY_NAME = {"address": ADDRESS, "mechanism": 2_000, "aliases": 1_000}

# Number fields whose model gives no upper bound: the plausible range.
RANGE_BY_NAME: dict[str, tuple[int, int]] = {
    "unsettled_mornings_to_step_back": (1, 14),
    "weekly_morning_trend_tolerance": (0, 10),
    "single_run_spike_pct": (0, 500),
    "weekly_volume_spike_pct": (0, 500),
    "lookback_days": (1, 365),
}

_NUMBERS = (models.IntegerField, models.DecimalField, models.FloatField)


def _bound(field: "models.Field[Any, Any]", kind: type) -> Any:
    values = [v.limit_value for v in field.validators if isinstance(v, kind)]  # type: ignore[attr-defined]
    if not values:
        return None
    return max(values) if kind is MinValueValidator else min(values)


def limited_formfield(db_field: "models.Field[Any, Any]", **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.TextField) and not db_field.choices:
        kwargs.setdefault(
            "max_length", db_field.max_length or TEXT_BY_NAME.get(db_field.name, LONG_TEXT)
        )
    elif isinstance(db_field, _NUMBERS) and not db_field.choices:
        low, high = RANGE_BY_NAME.get(db_field.name, (None, None))
        low = _bound(db_field, MinValueValidator) if low is None else low
        high = _bound(db_field, MaxValueValidator) if high is None else high
        positive = (
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.PositiveBigIntegerField,
        )
        if low is None and isinstance(db_field, positive):
            low = 0
        if low is not None:
            kwargs.setdefault("min_value", low)
        if high is not None:
            kwargs.setdefault("max_value", high)
    return db_field.formfield(**kwargs)
