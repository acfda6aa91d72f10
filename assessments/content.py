"""The JSON shape of a note's content, in one place.

``content`` is ``{"main": {...}, "<table>": [{...}, ...]}``: ``main`` is the note form's cleaned
data rendered as JSON, each table the non-empty rows of one formset. This module turns bound
forms into that shape, turns it (or an autosaved draft) back into forms, and reads the measured
findings other apps use (``latest_findings``) so nobody else has to know the shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import QueryDict

from assessments.billing import Service, Units, billable_units
from assessments.forms import FORMS, FORMSETS, NoteForm, outcome_form_class, to_json
from assessments.forms.outcomes import OutcomeForm
from assessments.hops import hop_battery
from assessments.instruments import INSTRUMENTS
from assessments.models import Note, NoteDraft

if TYPE_CHECKING:
    from django.forms import BaseFormSet, Form

    from patients.models import Episode
    from rehab_clinic.accounts.models import User

MAX_ROWS = 30


@dataclass
class NoteForms:
    """The main form, the formsets (key, title, formset) and the outcome measures that can be
    taken within the note (code, form), ready to render."""

    form: NoteForm
    formsets: list[tuple[str, str, BaseFormSet[Form]]]
    restored: bool = False
    outcomes: list[tuple[str, OutcomeForm]] = field(default_factory=list)

    def started_outcomes(self) -> list[tuple[str, OutcomeForm]]:
        """The measures the therapist began answering (an untouched one is simply not taken)."""
        return [(code, f) for code, f in self.outcomes if f.is_bound]

    def is_valid(self) -> bool:
        # Validate everything so every error is shown at once, not the first one only.
        results = [self.form.is_valid()] + [fs.is_valid() for _k, _t, fs in self.formsets]
        results += [f.is_valid() for _c, f in self.started_outcomes()]
        self.form.check_tables({key: fs for key, _t, fs in self.formsets})
        # The checks across tables add their errors to the forms: ask each again.
        results += [self.form.is_valid()] + [fs.is_valid() for _k, _t, fs in self.formsets]
        return all(results)

    def units_preview(self) -> Units | None:
        """The units the minutes table as typed would bill (rows that do not parse yet are
        left out), to show beside the table before the note is saved."""
        formset = next((fs for key, _t, fs in self.formsets if key == "minutes"), None)
        if formset is None:
            return None
        services = []
        for row in formset.forms:
            code = row.codes.get(str(row["code"].value() or ""))  # type: ignore[attr-defined]
            minutes = str(row["minutes"].value() or "0").strip()
            if code is None or row["DELETE"].value() or not minutes.isdigit():
                continue
            services.append(Service(code.code, int(minutes), code.timed))
        return billable_units(services) if services else None

    def error_summary(self) -> list[dict[str, str]]:
        """One line per field in error (its first message), in page order, with the anchor of
        the field so the summary at the top can link to it."""
        lines: list[dict[str, str]] = []

        def add(form: Any, where: str) -> None:
            for name, errors in form.errors.items():
                if name == "__all__":
                    anchor, label = "note-form", where or "This note"
                else:
                    anchor = form[name].id_for_label or "note-form"
                    label = form.fields[name].label or name
                    label = f"{where}: {label}" if where else label
                lines.append({"anchor": anchor, "label": str(label), "message": str(errors[0])})

        add(self.form, "")
        for _key, title, formset in self.formsets:
            for number, row in enumerate(formset.forms, start=1):
                add(row, f"{title}, row {number}")
        for _code, outcome in self.started_outcomes():
            add(outcome, outcome.instrument.name)
        return lines


def _initial_from_data(
    form_class: Any, data: QueryDict, prefix: str | None = None
) -> dict[str, Any]:
    form = form_class(prefix=prefix)
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }


def _draft_for(note: Note, user: User) -> NoteDraft | None:
    draft = NoteDraft.objects.filter(note=note, user=user.pk).first()
    if draft is not None and note.saved_at is not None and draft.saved_at < note.saved_at:
        # Someone saved the note after this draft was typed: theirs wins, the draft is stale.
        return None
    return draft


OUTCOMES_WITHIN = (Note.Kind.INTAKE, Note.Kind.PROGRESS, Note.Kind.REEVAL, Note.Kind.DISCHARGE)
"""Note types whose form offers the questionnaires (the NPRS comes from "Pain now")."""


def _outcome_forms(note: Note, data: QueryDict | None) -> list[tuple[str, OutcomeForm]]:
    if note.kind not in OUTCOMES_WITHIN:
        return []
    taken = set(
        note.outcome_responses.filter(struck_at__isnull=True).values_list("instrument", flat=True)
    )
    patient = note.episode.patient
    built = []
    for code, instrument in INSTRUMENTS.items():
        if code == "nprs" or code in taken:
            continue
        # Bound only once started: an untouched questionnaire is simply not taken today.
        started = data is not None and any(data.get(f"{code}-{i.code}") for i in instrument.items)
        bound = data if started else None
        built.append((code, outcome_form_class(instrument)(bound, prefix=code, patient=patient)))
    return built


def build_forms(note: Note, *, user: User, data: QueryDict | None = None) -> NoteForms:
    """The forms for ``note``: bound to ``data`` on POST; otherwise filled from the user's
    autosaved draft when there is one, else from the saved content. Every path builds the
    formsets the same way (with the user, who scopes the library's choices)."""
    form_class = FORMS[note.kind]
    specs = FORMSETS.get(note.kind, [])
    unit = note.episode.patient.clinic.distance_unit
    context = {"patient": note.episode.patient}
    row_kwargs = {"user": user, **context}
    outcomes = _outcome_forms(note, data)
    if data is not None:
        return NoteForms(
            form_class(data, unit=unit, **context),
            [
                (key, title, fs(data, prefix=key, form_kwargs=row_kwargs))
                for key, title, fs in specs
            ],
            outcomes=outcomes,
        )
    draft = _draft_for(note, user)
    if draft is not None:
        raw = QueryDict(mutable=True)
        for name, values in draft.data.items():
            raw.setlist(name, values)
        formsets = []
        for key, title, fs in specs:
            total = raw.get(f"{key}-TOTAL_FORMS", "0")
            count = min(int(total), MAX_ROWS) if total.isdigit() else 0
            rows = [_initial_from_data(fs.form, raw, f"{key}-{i}") for i in range(count)]
            formsets.append((key, title, fs(prefix=key, initial=rows, form_kwargs=row_kwargs)))
        main = _initial_from_data(form_class, raw)
        return NoteForms(
            form_class(initial=main, unit=unit, **context), formsets, True, outcomes=outcomes
        )
    main_initial = form_class.initial_from_content(note.content.get("main", {}), unit)
    main_initial.setdefault("visit_date", note.visit_date)
    return NoteForms(
        form_class(initial=main_initial, unit=unit, **context),
        [
            (key, title, fs(prefix=key, initial=note.content.get(key, []), form_kwargs=row_kwargs))
            for key, title, fs in specs
        ],
        outcomes=outcomes,
    )


def content_from_forms(forms: NoteForms) -> dict[str, Any]:
    """The content to store from valid forms: main fields plus the non-empty table rows."""
    form = forms.form
    content: dict[str, Any] = {"main": form.to_content(form.cleaned_data, form.unit)}
    for key, _title, formset in forms.formsets:
        rows = []
        for f in formset.forms:
            data = f.cleaned_data
            if not data or data.get("DELETE"):
                continue
            data = {k: v for k, v in data.items() if k != "DELETE"}
            if all(v in (None, "", [], False) for v in data.values()):
                continue
            row = {k: to_json(v) for k, v in data.items()}
            # Keep the library item's name as it was on the day, beside its id.
            row.update({f"{k}_name": str(v) for k, v in data.items() if hasattr(v, "pk")})
            rows.append(row)
        content[key] = rows
    return content


def visit_units(content: Any) -> Units | None:
    """The units a saved note's minutes table bills, from the code, minutes and timed flag it
    kept (so editing the clinic's code list never changes a signed note); None without rows."""
    rows = content.get("minutes", []) if isinstance(content, dict) else []
    services = [
        Service(str(row["code"]), int(row.get("minutes") or 0), bool(row.get("timed", True)))
        for row in rows
        if isinstance(row, dict) and row.get("code")
    ]
    return billable_units(services) if services else None


def main_findings(content: Any, *, side: str) -> dict[str, Decimal]:
    """Numeric findings in a note's content, plus the injured side's results under the names
    the return-to-run readiness criteria use (``single_leg_heel_raise_reps``, ``pain_now``,
    ``pain_free_hops``, and one ``hop_lsi_<test>`` per hop test measured on both sides)."""
    main = content.get("main", {}) if isinstance(content, dict) else {}
    if not isinstance(main, dict):
        return {}
    findings: dict[str, Decimal] = {}
    for key, value in main.items():
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            findings[str(key)] = Decimal(str(value))
    if side in ("right", "left"):
        if f"heel_raise_{side}" in findings:
            findings["single_leg_heel_raise_reps"] = findings[f"heel_raise_{side}"]
        if f"hops_{side}" in findings:
            findings["pain_free_hops"] = findings[f"hops_{side}"]
    if "nprs_now" in findings:
        findings.setdefault("pain_now", findings["nprs_now"])
    for result in hop_battery(content.get("hops", []), injured_side=side):
        if result.lsi is not None:
            findings[f"hop_lsi_{result.test}"] = result.lsi
    return findings


EVALUATION_KINDS = (Note.Kind.INTAKE, Note.Kind.REEVAL, Note.Kind.PROGRESS)


def latest_findings(episode: Episode) -> dict[str, Decimal]:
    """Measured findings of the episode's latest *signed* evaluation (intake, re-evaluation or
    progress note), keyed as the readiness criteria name them; ``{}`` when there is none.

    One query. A draft never counts: readiness must rest on what the therapist signed.
    """
    note = (
        Note.objects.signed()
        .filter(episode=episode, kind__in=EVALUATION_KINDS)
        .order_by("-visit_date", "-signed_at", "-id")
        .only("content")
        .first()
    )
    if note is None:
        return {}
    return main_findings(note.content, side=episode.side)
