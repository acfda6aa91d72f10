"""Field lists that name a model's fields follow the model: a new field is in them, or the
check says which list to add it to."""

from django.db import models

from programs.home.models import Dosage, ProgramItem, TemplateItem
from programs.running.models import PROTOCOL_LIMITS, LimitFields, ReturnToRunPlan
from programs.running.services import LIMIT_FIELDS

# Number fields of a plan that are not limits a therapist sets, each with its reason.
PLAN_NUMBERS_NOT_LIMITS = {
    "id": "the primary key",
    "current_stage": "where the runner is, moved by the progression rule, not a threshold",
}


def _number_fields(model: type[models.Model]) -> set[str]:
    return {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField)
        and not field.is_relation
    }


def test_a_plans_limits_are_every_number_field_but_its_stage() -> None:
    assert len(LIMIT_FIELDS) == len(set(LIMIT_FIELDS))
    assert set(LIMIT_FIELDS) == _number_fields(ReturnToRunPlan) - set(PLAN_NUMBERS_NOT_LIMITS)


def test_a_plans_limits_start_with_the_protocols() -> None:
    assert tuple(LIMIT_FIELDS[: len(PROTOCOL_LIMITS)]) == PROTOCOL_LIMITS
    assert tuple(field.name for field in LimitFields._meta.fields) == PROTOCOL_LIMITS


def test_the_dosage_fields_are_the_dosage_models_fields() -> None:
    expected = (
        "sets",
        "reps",
        "hold_seconds",
        "rest_seconds",
        "load",
        "tempo",
        "side",
        "times_per_day",
        "days_per_week",
        "note",
    )
    assert expected == Dosage.DOSAGE_FIELDS
    for model in (ProgramItem, TemplateItem):
        assert expected == model.DOSAGE_FIELDS
        assert set(expected) <= {field.name for field in model._meta.fields}
