"""Every clinical date typed into `assessments` or `patients` is believable: not in the future
(for something that happened), not before the patient's birth, not before 1900, and episode
dates in order. The fields are discovered from the forms and models, so a new date field is
covered (or this test fails until it is)."""

import datetime as dt
import inspect
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.db import models

import assessments.forms.notes
import assessments.forms.outcomes
import assessments.forms.review
import assessments.forms.tables
import patients.forms
import patients.goal_forms
from assessments.forms.outcomes import OutcomeForm, outcome_form_class
from assessments.instruments import INSTRUMENTS

BORN = dt.date(1990, 5, 1)  # PatientFactory's date of birth

MODULES = [
    assessments.forms.notes,
    assessments.forms.outcomes,
    assessments.forms.review,
    assessments.forms.tables,
    patients.forms,
    patients.goal_forms,
]


def _form_classes() -> list[type[forms.BaseForm]]:
    found = {
        obj
        for module in MODULES
        for _name, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__
    }
    found.discard(OutcomeForm)
    found |= {outcome_form_class(i) for i in INSTRUMENTS.values()}
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def _builders(episode: Any) -> dict[str, Any]:
    """How to build each form that has a date field, for the episode's patient."""
    patient = episode.patient
    note_kwargs = {"patient": patient, "unit": "km"}
    outcome = {"patient": patient}
    return {
        "NoteForm": note_kwargs,
        "IntakeForm": note_kwargs,
        "DailyForm": note_kwargs,
        "ProgressForm": note_kwargs,
        "DischargeForm@assessments.forms.notes": note_kwargs,
        "AssignOutcomeForm": {"instruments": INSTRUMENTS, "patient": patient},
        **{f"{code.title()}Form": outcome for code in INSTRUMENTS},
        "PatientForm": {"clinic": patient.clinic, "instance": patient},
        "EpisodeForm": {"patient": patient},
        "DischargeForm@patients.forms": {"episode": episode},
        "CareGoalForm": {"episode": episode},
        "CertificationForm": {"instance": episode},
    }


def _key(cls: type) -> str:
    return f"{cls.__name__}@{cls.__module__}" if cls.__name__ == "DischargeForm" else cls.__name__


DATE_FIELDS = [
    (cls, name)
    for cls in _form_classes()
    for name, field in cls.base_fields.items()
    if isinstance(field, forms.DateField)
]


def _bind(cls: type, name: str, value: str, episode: Any) -> forms.BaseForm:
    kwargs = dict(_builders(episode)[_key(cls)])
    form = cls({name: value}, **kwargs)
    form.is_valid()
    return form


@pytest.mark.django_db
def test_every_form_with_a_date_field_is_covered(episode):
    builders = _builders(episode)
    missing = {_key(cls) for cls, _name in DATE_FIELDS} - set(builders)
    assert not missing, f"add these forms to _builders: {missing}"
    assert len(DATE_FIELDS) >= 12


# Model date fields and the form field a person types them into.
TYPED_IN = {
    "assessments.Note.visit_date": "visit_date",
    "assessments.OutcomeResponse.taken_on": "taken_on",
    "assessments.OutcomeAssignment.due_on": "due_on",
    "patients.Patient.date_of_birth": "date_of_birth",
    "patients.Patient.goal_race_date": "goal_race_date",
    "patients.Episode.onset_date": "onset_date",
    "patients.Episode.discharged_on": "discharged_on",
    "patients.Episode.next_visit": "next_visit",
    "patients.Episode.certification_start": "certification_start",
    "patients.Episode.certification_end": "certification_end",
    "patients.CareGoal.target_date": "target_date",
}


def test_every_model_date_field_is_typed_through_a_checked_form_field():
    model_fields = {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for label in ("assessments", "patients")
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
    }
    assert model_fields == set(TYPED_IN), "map each new model date field in TYPED_IN"
    form_field_names = {name for _cls, name in DATE_FIELDS}
    assert set(TYPED_IN.values()) <= form_field_names


def _bad_values(cls: type, name: str, today: dt.date) -> list[str]:
    planned = name in getattr(cls, "planned_dates", frozenset())
    values = ["1899-12-31", "0001-01-01", "9999-12-31"]
    if name != "date_of_birth":
        values.append((BORN - dt.timedelta(days=1)).isoformat())
    if not planned:
        values.append((today + dt.timedelta(days=1)).isoformat())
    return values


@pytest.mark.django_db
@pytest.mark.parametrize(("cls", "name"), DATE_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_date_field_refuses_future_and_absurd_dates(cls, name, episode):
    today = episode.patient.clinic.today()
    for value in _bad_values(cls, name, today):
        form = _bind(cls, name, value, episode)
        errors = form.errors.get(name)
        assert errors, f"{cls.__name__}.{name} accepted {value}"
        assert "Enter a valid date" not in errors[0]
        assert len(errors) == 1, f"one message per error, got {errors}"
    good = _bind(cls, name, (today - dt.timedelta(days=1)).isoformat(), episode)
    assert name not in good.errors, good.errors.get(name)


@pytest.mark.django_db
def test_discharge_cannot_be_before_the_episode_began(episode):
    form = _bind(
        patients.forms.DischargeForm, "discharged_on", "2026-08-31", episode
    )  # onset 2026-09-01
    assert "before the onset" in form.errors["discharged_on"][0]


@pytest.mark.django_db
def test_onset_cannot_move_after_the_discharge(episode):
    episode.discharge(on=dt.date(2026, 10, 1), reason="Goals met")
    form = patients.forms.EpisodeForm(
        {
            "label": episode.label,
            "icd10_code": episode.icd10_code,
            "side": episode.side,
            "onset_date": "2026-10-02",
        },
        instance=episode,
    )
    assert not form.is_valid()
    assert "after the discharge" in form.errors["onset_date"][0]


@pytest.mark.django_db
def test_a_future_visit_date_is_refused_beside_the_field_on_the_page(client, episode, therapist):
    from django.urls import reverse

    from tests.assessments.test_views import INTAKE_POST
    from tests.builders import intake

    note = intake(episode, therapist)
    client.force_login(therapist)
    page = client.post(
        reverse("assessments:note_edit", args=[note.pk]),
        {**INTAKE_POST, "visit_date": "9999-01-01"},
    ).content.decode()
    assert page.count("Check the year: more than") == 0
    assert page.count("This date is in the future: enter the day it happened.") == 2  # field, top
    assert 'href="#id_visit_date"' in page


@pytest.mark.django_db
def test_the_chart_timeline_dates_notes_by_visit_date_not_by_typing(episode, therapist):
    from assessments.hooks import notes_timeline
    from tests.builders import daily

    typed_first = daily(episode, therapist, day=dt.date(2026, 11, 20))
    typed_later = daily(episode, therapist, day=dt.date(2026, 10, 5))  # a late entry
    entries = notes_timeline(episode.patient)
    assert [e.when.date() for e in entries] == [dt.date(2026, 11, 20), dt.date(2026, 10, 5)]
    assert entries[1].url.endswith(f"/notes/{typed_later.pk}/")
    assert entries[0].url.endswith(f"/notes/{typed_first.pk}/")
