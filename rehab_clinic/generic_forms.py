"""Model forms and fields written as the generics django-stubs declares (`ModelForm[Patient]`).

Django's own classes take no type parameter at run time; `install()` (called from settings,
before any form is defined) lets `forms.ModelForm[Patient]` name the plain class, so the code
mypy checks is the code that runs. The same as django-stubs-ext does, without a production
dependency on a typing package.
"""

from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.forms.models import BaseModelFormSet

GENERIC_AT_RUN_TIME = (
    forms.ModelForm,
    forms.ModelChoiceField,
    forms.ModelMultipleChoiceField,
    BaseFormSet,
    BaseModelFormSet,
)


def _same_class(cls: type, _params: Any) -> type:
    return cls


def install() -> None:
    for cls in GENERIC_AT_RUN_TIME:
        if "__class_getitem__" not in cls.__dict__:
            setattr(cls, "__class_getitem__", classmethod(_same_class))  # noqa: B010
