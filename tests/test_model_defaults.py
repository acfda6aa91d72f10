"""No model field has a fixed date or time as its default.

Django's `fields.W161` ("Fixed default value provided") fires for a time default whenever the
checks run within ten seconds of that time of day, so `check --deploy --fail-level WARNING`
failed CI once at 18:00:00 (the exercise reminder's default) and passed at any other moment.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.apps import apps
from django.db.models import fields as model_fields

from rehab_clinic.reminders.models import DEFAULT_TIMES, ReminderSettings


def _fixed_time_defaults() -> list[str]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith(
            ("rehab_clinic.", "patients.", "assessments.", "exercises.", "programs.")
        ):
            continue
        for field in model._meta.get_fields():
            default = getattr(field, "default", model_fields.NOT_PROVIDED)
            if isinstance(default, (dt.date, dt.time)):
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_no_field_has_a_fixed_date_or_time_default() -> None:
    assert _fixed_time_defaults() == []


def test_reminder_time_fields_pass_their_checks_at_the_very_moment_of_their_default() -> None:
    today = dt.date(2026, 12, 1)
    for kind, at in DEFAULT_TIMES.items():
        field = ReminderSettings._meta.get_field(f"{kind}_at")
        assert isinstance(field, model_fields.TimeField)
        moment = dt.datetime.combine(today, at)
        with mock.patch.object(model_fields, "_get_naive_now", return_value=moment):
            ids = [message.id for message in field.check()]
        assert "fields.W161" not in ids, kind
        assert field.get_default() == at
