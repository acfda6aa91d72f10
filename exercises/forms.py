"""Forms for the library pages. Lists (aliases, instructions, ...) are typed one per line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from crispy_forms.helper import FormHelper
from django import forms

from exercises.library.modalities import clean_parameters, parameters_for
from exercises.library.schema import REGIONS, SIDES
from exercises.models import Exercise, LibraryTag, Modality, web_url
from exercises.photos import PhotoRejected, ProcessedPhoto, process_photo
from rehab_clinic.accounts.limits import limited_formfield

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

CHOICE_LABELS = dict(REGIONS) | {k: v for k, v in SIDES if k != "each"} | {"both": "Both sides"}


class LinesField(forms.CharField):
    """A textarea whose non-empty lines become a list of strings."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, max_lines: int = 50, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # The whole text: at most max_lines lines of 500 characters (checked in to_python).
        kwargs.setdefault("max_length", max_lines * 501)
        super().__init__(**kwargs)
        self.max_lines = max_lines

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > self.max_lines:
            raise forms.ValidationError(f"Use at most {self.max_lines} lines.")
        if any(len(line) > 500 for line in lines):
            raise forms.ValidationError("Keep each line under 500 characters.")
        return lines


def _tags(kind: str) -> forms.ModelMultipleChoiceField[LibraryTag]:
    return forms.ModelMultipleChoiceField(
        queryset=LibraryTag.objects.filter(kind=kind),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ExerciseForm(forms.ModelForm[Exercise]):
    aliases = LinesField(help_text="Other names people use, one per line.", max_lines=20)
    instructions = LinesField(help_text="One step per line; they are numbered for you.")
    cues = LinesField(label="Coaching cues", help_text="One per line.")
    common_mistakes = LinesField(help_text="One per line.")
    regions = _tags(LibraryTag.Kind.REGION)
    equipment = _tags(LibraryTag.Kind.EQUIPMENT)
    injuries = _tags(LibraryTag.Kind.INJURY)
    video_url = forms.URLField(
        required=False,
        assume_scheme="https",
        validators=[web_url],
        label="Video address",
        help_text="An http:// or https:// link, for example to your clinic's video.",
        max_length=500,
    )

    class Meta:
        formfield_callback = limited_formfield
        model = Exercise
        fields = [
            "name", "aliases", "category", "difficulty", "regions", "equipment", "injuries",
            "instructions", "cues", "common_mistakes", "precautions", "sets", "reps",
            "hold_seconds", "rest_seconds", "load", "tempo", "side", "times_per_day",
            "days_per_week", "regression", "progression", "video_url",
        ]  # fmt: skip
        widgets = {"precautions": forms.Textarea(attrs={"rows": 3})}

    drawing_from = forms.ModelChoiceField(
        queryset=Exercise.objects.none(),
        required=False,
        label="Use the drawing of",
        help_text="Optional: reuse the line drawing of a library exercise that looks the same.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = Exercise.objects.visible_to(user).only("id", "name").order_by("name")
        if self.instance.pk:
            choices = choices.exclude(pk=self.instance.pk)
        for field in ("regression", "progression"):
            self.fields[field].queryset = choices  # type: ignore[attr-defined]
        self.fields["drawing_from"].queryset = choices.exclude(  # type: ignore[attr-defined]
            illustration_pose={}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False


class PhotoForm(forms.Form):
    image = forms.FileField(
        label="Photo",
        help_text="JPEG, PNG or WebP, up to 5 MB. It is re-saved without its metadata.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label="Describe the photo",
        max_length=200,
        help_text="Read aloud by screen readers, e.g. 'Runner doing a calf raise on a step'.",
    )

    processed: ProcessedPhoto

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_image(self) -> Any:
        upload = self.cleaned_data["image"]
        try:
            self.processed = process_photo(upload)
        except PhotoRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class ModalityForm(forms.ModelForm[Modality]):
    """Name, checklists and home advice, plus one field per parameter of the modality's kind."""

    contraindications = LinesField(help_text="One per line; shown as a checklist before use.")
    precautions = LinesField(help_text="One per line.")

    class Meta:
        formfield_callback = limited_formfield
        model = Modality
        fields = ["name", "home_use", "home_instructions", "contraindications", "precautions",
                  "notes"]  # fmt: skip
        widgets = {
            "home_instructions": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        current = self.instance.parameters or {}
        for param in parameters_for(kind):
            label = f"{param.label} ({param.unit})" if param.unit else param.label
            initial = current.get(param.name, param.default)
            field: forms.Field
            if param.choices:
                field = forms.ChoiceField(
                    label=label,
                    choices=[("", "—"), *[(c, CHOICE_LABELS.get(c, c)) for c in param.choices]],
                    required=param.required,
                )
            elif param.text:
                field = forms.CharField(label=label, max_length=200, required=param.required)
            else:
                field = forms.DecimalField(
                    label=label,
                    required=param.required,
                    min_value=param.minimum,
                    max_value=param.maximum,
                    step_size=None,
                    help_text=f"From {param.minimum:g} to {param.maximum:g} {param.unit}.",
                )
            field.initial = initial
            self.fields[f"param_{param.name}"] = field
        self.helper = FormHelper()
        self.helper.form_tag = False

    def parameter_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("param_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = {
            name.removeprefix("param_"): data.get(name)
            for name in self.fields
            if name.startswith("param_") and name in data
        }
        cleaned, problems = clean_parameters(self.kind, raw)
        for problem in problems:
            self.add_error(None, problem)
        data["parameters"] = cleaned
        return data


class LibraryImportForm(forms.Form):
    file = forms.FileField(
        label="Library file (JSON)",
        help_text="A file made by 'Download library' here or by `manage.py export_library`.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )

    payload: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 10 MB.")
        try:
            self.payload = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise forms.ValidationError("This file is not valid JSON.") from None
        return upload


class LibraryFilterForm(forms.Form):
    """The library's search and filters, read from the query string. Each CharField refuses NUL
    bytes (PostgreSQL cannot compare them); a value that does not validate is left out."""

    q = forms.CharField(required=False, max_length=200)
    category = forms.CharField(required=False, max_length=40)
    difficulty = forms.CharField(required=False, max_length=40)
    region = forms.CharField(required=False, max_length=40)
    equipment = forms.CharField(required=False, max_length=40)
    injury = forms.CharField(required=False, max_length=40)
