"""Forms for the program builder, templates and the patient's tick."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, ClassVar

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from exercises.models import Exercise, Modality
from programs.home.models import Difficulty, HomeProgram, ProgramItem, ProgramTemplate
from rehab_clinic.accounts.form_markup import PythonWidgets
from rehab_clinic.accounts.limits import limited_formfield

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic


_CRISPY_DRAWN: OrderedDict[str, SafeString] = OrderedDict()
CRISPY_DRAWN_SIZE = 512


def crispy_unbound(form: forms.BaseForm) -> SafeString:
    """`{{ form|crispy }}`, drawn once per distinct unbound form: crispy cost ~4 ms a form, and
    the builder shows three that rarely change. The key is everything the markup is drawn from
    (class, prefix, ids, language, and each field's value, label, help, widget attributes and
    choices), so a change to any of them draws it again. A bound form (errors to show), or a
    model choice field whose choices were not given as a list, is drawn every time."""
    if form.is_bound:
        return SafeString(as_crispy_form(form))
    parts: list[Any] = [type(form).__module__, type(form).__qualname__, form.prefix]
    parts += [form.auto_id, get_language()]
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField) and not hasattr(field, "_choices"):
            return SafeString(as_crispy_form(form))
        choices = repr(field.choices) if isinstance(field, forms.ChoiceField) else None
        widget = field.widget
        parts.append((name, form[name].value(), str(field.label), str(field.help_text)))
        parts.append((field.required, field.disabled, sorted(widget.attrs.items()), choices))
    key = repr(parts)
    drawn = _CRISPY_DRAWN.get(key)
    if drawn is None:
        drawn = _CRISPY_DRAWN[key] = SafeString(as_crispy_form(form))
        while len(_CRISPY_DRAWN) > CRISPY_DRAWN_SIZE:
            _CRISPY_DRAWN.popitem(last=False)
    else:
        _CRISPY_DRAWN.move_to_end(key)
    return drawn


class ProgramItemForm(forms.ModelForm[ProgramItem]):
    """The dosage of one exercise in the draft. Ranges come from the model's validators."""

    # The card's ten widgets drawn in Python, the markup of Django's templates.
    default_renderer = PythonWidgets()

    class Meta:
        formfield_callback = limited_formfield
        model = ProgramItem
        fields = list(ProgramItem.DOSAGE_FIELDS)
        labels = {
            "hold_seconds": "Hold (s)",
            "rest_seconds": "Rest (s)",
            "times_per_day": "Times a day",
            "days_per_week": "Days a week",
        }
        help_texts = {"load": "e.g. bodyweight, 10 kg, red band", "tempo": "e.g. 3-0-3"}

    # The card's layout: rows of (field, Bootstrap column classes); the note has no row.
    LAYOUT: ClassVar[tuple[tuple[bool, tuple[tuple[str, str], ...]], ...]] = (
        (
            True,
            (
                ("sets", "col-4 col-md-2"),
                ("reps", "col-4 col-md-2"),
                ("hold_seconds", "col-4 col-md-2"),
                ("rest_seconds", "col-4 col-md-2"),
                ("times_per_day", "col-4 col-md-2"),
                ("days_per_week", "col-4 col-md-2"),
            ),
        ),
        (True, (("load", "col-md-4"), ("tempo", "col-6 col-md-3"), ("side", "col-6 col-md-5"))),
        (False, (("note", ""),)),
    )

    def layout(self) -> list[tuple[bool, list[tuple[forms.BoundField, str]]]]:
        return [(row, [(self[name], css) for name, css in fields]) for row, fields in self.LAYOUT]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"item-{kwargs['instance'].pk}")
        super().__init__(*args, **kwargs)
        # Rendered by a plain template (templates/programs/home/_builder_item.html), not crispy:
        # crispy cost ~12 ms per card. The Bootstrap classes it added are set here instead.
        for name, field in self.fields.items():
            widget = field.widget
            widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_helptext"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_error_1"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("reps") and not data.get("hold_seconds"):
            self.add_error("reps", "Give either reps or a hold time.")
        return data


class ProgramDetailsForm(forms.ModelForm[HomeProgram]):
    class Meta:
        formfield_callback = limited_formfield
        model = HomeProgram
        fields = ["title", "note_to_patient", "large_print"]
        widgets = {"note_to_patient": forms.Textarea(attrs={"rows": 3})}
        labels = {"note_to_patient": "Note to the patient"}


class StartProgramForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    template = forms.ModelChoiceField(
        queryset=ProgramTemplate.objects.none(),
        required=False,
        empty_label="Start empty",
        label="Start from a clinic template",
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ProgramTemplate.objects.filter(  # type: ignore[attr-defined]
            clinic=clinic, archived_at__isnull=True
        )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=80, label="Search the library")
    category = forms.ChoiceField(
        required=False, choices=[("", "All categories"), *Exercise.Category.choices]
    )


class AddModalityForm(forms.Form):
    modality: forms.ModelChoiceField[Modality] = forms.ModelChoiceField(
        queryset=Modality.objects.none(), label="Home modality"
    )
    instructions = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty to use the library's home instructions.",
    )

    def __init__(self, *args: Any, modalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["modality"].queryset = modalities  # type: ignore[attr-defined]

    def show_choices(self, modalities: list[Modality]) -> None:
        """Offer these (already read) modalities: the form is then drawn without a query and
        `crispy_unbound` can reuse its markup. For display only; a posted form validates
        against the queryset."""
        field = self.fields["modality"]
        field.choices = [("", field.empty_label), *((m.pk, str(m)) for m in modalities)]  # type: ignore[attr-defined]


class TemplateNameForm(forms.Form):
    name = forms.CharField(max_length=120, label="Template name")


class TemplateForm(forms.ModelForm[ProgramTemplate]):
    class Meta:
        formfield_callback = limited_formfield
        model = ProgramTemplate
        fields = ["name", "description", "note_to_patient"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "note_to_patient": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_name(self) -> str:
        # The unique constraint names fields this form does not edit, so the form checks it.
        name: str = self.cleaned_data["name"]
        taken = ProgramTemplate.objects.filter(
            clinic_id=self.instance.clinic_id, name=name, archived_at__isnull=True
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"The clinic already has a template called “{name}”.")
        return name


class CompletionForm(forms.Form):
    item = forms.UUIDField()
    day = forms.DateField()
    session = forms.IntegerField(min_value=1, max_value=4)
    # Optional on the tick: how it felt.
    pain = forms.IntegerField(required=False, min_value=0, max_value=10, label="Pain (0 to 10)")
    difficulty = forms.ChoiceField(
        required=False, choices=[("", "Not said"), *Difficulty.choices], label="How hard was it?"
    )
