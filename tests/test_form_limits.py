"""Every form field a person types into has a limit: each text field a maximum length and each
number a plausible range. The forms are discovered, so a new field is covered without a change
here."""

import importlib
import pkgutil

from django import forms

PACKAGES = ("patients", "assessments", "exercises", "programs", "rehab_clinic")


def _import_all() -> None:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if ".migrations" in info.name or info.name.endswith(("settings", "wsgi", "asgi")):
                continue
            if ".management" in info.name:
                continue
            importlib.import_module(info.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def our_forms() -> list[type[forms.BaseForm]]:
    _import_all()
    return sorted(
        (form for form in _subclasses(forms.BaseForm) if form.__module__.startswith(PACKAGES)),
        key=lambda form: f"{form.__module__}.{form.__qualname__}",
    )


def _is_text(field: forms.Field) -> bool:
    return (
        isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.HiddenInput)
        and not isinstance(field, forms.UUIDField)
    )


def _is_number(field: forms.Field) -> bool:
    return isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField)


def _problems(form: type[forms.BaseForm]) -> list[str]:
    found = []
    for name, field in form.base_fields.items():
        where = f"{form.__module__}.{form.__qualname__}.{name}"
        if _is_text(field) and field.max_length is None:  # type: ignore[attr-defined]
            found.append(f"{where}: text without max_length")
        if _is_number(field) and (field.min_value is None or field.max_value is None):  # type: ignore[attr-defined]
            found.append(f"{where}: number without min_value and max_value")
    return found


def test_the_walk_finds_the_forms() -> None:
    names = {form.__name__ for form in our_forms()}
    assert {"PatientForm", "SessionLogForm", "MorningCheckInForm", "StaffForm"} <= names


def test_every_text_field_has_a_maximum_and_every_number_a_range() -> None:
    problems = [problem for form in our_forms() for problem in _problems(form)]
    assert not problems, "\n".join(problems)
