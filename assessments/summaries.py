"""Read-only renderings of notes and outcome trends, shared by staff pages and the portal.

No queries here: callers pass rows they already loaded, so a page's query count does not grow
with the number of notes on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.safestring import SafeString

from assessments.billing import Units
from assessments.bodychart import region_label
from assessments.charts import score_chart
from assessments.content import NoteForms, visit_units
from assessments.forms import FORMS, FORMSETS
from assessments.forms.fields import ROM_NORMS
from assessments.hops import RETURN_TO_SPORT_LSI, hop_battery
from assessments.instruments import INSTRUMENTS
from assessments.measurements import (
    heel_raise_norm,
    side_to_side_difference,
)
from assessments.models import Note, OutcomeResponse
from assessments.scoring import Change, change_since_baseline, mcid_band


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)


def _display(field_obj: forms.Field, value: Any) -> str:
    if value in (None, "", []):
        return ""
    choices = dict(getattr(field_obj, "choices", None) or [])
    flat: dict[Any, Any] = {}
    for key, label in choices.items():
        if isinstance(label, list | tuple):
            flat.update(dict(label))
        else:
            flat[key] = label
    if isinstance(value, list):
        return ", ".join(str(flat.get(v, region_label(v) if "-" in str(v) else v)) for v in value)
    return str(flat.get(value, flat.get(str(value), value)))


def note_sections(note: Note) -> list[Section]:
    form_class = FORMS[note.kind]
    unit = note.episode.patient.clinic.distance_unit
    main = form_class.initial_from_content(note.content.get("main", {}), unit)
    for name in getattr(form_class, "UNIT_FIELDS", ()):
        if main.get(name) is not None:
            main[name] = f"{main[name]} {unit}"
    base = form_class.base_fields
    sections = []
    for title, names in form_class.sections:
        rows = [
            (
                str(base[name].label or name.replace("_", " ").capitalize()),
                _display(base[name], main.get(name)),
            )
            for name in names
            if name != "visit_date"
        ]
        rows = [(label, value) for label, value in rows if value]
        if rows:
            sections.append(Section(title, rows))
    tables: list[Section] = []
    for key, title, formset in FORMSETS.get(note.kind, []):
        row_fields = {n: f for n, f in formset.form.base_fields.items() if n != "DELETE"}
        table = note.content.get(key, [])
        if key == "minutes":
            units = visit_units(note.content)
            if units is not None:
                kept = {str(r.get("code")): str(r.get("code_name") or "") for r in table}
                times = (main.get("time_in"), main.get("time_out"))
                tables.append(units_section(units, kept, times))
            continue
        if key == "rom":
            table = [_rom_row(row) for row in table]
        if not table:
            continue
        head = [
            str(f.label or name.replace("_", " ").capitalize()) for name, f in row_fields.items()
        ]
        body = [
            [
                row.get(f"{name}_name") or _display(f, row.get(name))
                if not isinstance(f, forms.BooleanField)
                else ("yes" if row.get(name) else "no")
                for name, f in row_fields.items()
            ]
            for row in table
        ]
        if key == "strength":
            head.append("Side-to-side difference")
            for row, cells in zip(table, body, strict=True):
                left, right = row.get("dynamometer_left"), row.get("dynamometer_right")
                diff = (
                    side_to_side_difference(left=float(left), right=float(right))
                    if left and right
                    else None
                )
                cells.append(f"{diff}%" if diff is not None else "")
        if key == "rom":
            head.append("Typical")
            for row, cells in zip(table, body, strict=True):
                norm = ROM_NORMS.get(row.get("motion", ""), ("", "", None))[2]
                cells.append(f"{norm}°" if norm is not None else "")
        tables.append(Section(title, table_head=head, table_rows=body))
    titles = [section.title for section in sections]
    before = form_class.tables_before
    at = titles.index(before) if before in titles else len(sections)
    sections[at:at] = tables  # the tables sit where the form shows them
    computed = _computed_rows(note, main)
    if computed:
        sections.append(Section("Computed from the tests", computed))
    return sections


def units_section(units: Units, names: dict[str, str], times: tuple[Any, Any]) -> Section:
    """Minutes per code and the units they bill (assessments.billing), shown the same on the
    note, its signing page and the form's preview. ``names``: code -> "97110 Therapeutic
    exercise"; ``times``: time in and time out as typed (either may be empty)."""
    section = Section("Treatment minutes and billing units")
    if all(times):
        section.rows.append(("Time in and out", f"{times[0]} to {times[1]}"))
    section.rows += [
        ("Total timed minutes", str(units.total_timed_minutes)),
        ("Timed units (8-minute rule)", str(units.timed_units)),
    ]
    untimed = [line.code for line in units.lines if not line.timed]
    if untimed:
        section.rows.append(("Untimed codes, one unit each", ", ".join(untimed)))
    section.rows.append(("Total units", str(units.total_units)))
    section.table_head = ["Code", "Minutes", "Units"]
    section.table_rows = [
        [
            names.get(line.code) or line.code,
            str(line.minutes) if line.minutes or line.timed else "",
            str(line.units) if line.timed else f"{line.units} (untimed)",
        ]
        for line in units.lines
    ]
    return section


def preview_sections(built: NoteForms) -> list[Section]:
    """The units the note form bills as typed, before it is saved ([] without minutes)."""
    units = built.units_preview()
    if units is None:
        return []
    form = built.form
    names = {
        code.code: f"{code.code} {code.label}"
        for _k, _t, formset in built.formsets
        for row in formset.forms
        for code in getattr(row, "codes", {}).values()
    }
    return [units_section(units, names, (form["time_in"].value(), form["time_out"].value()))]


def _rom_row(row: dict[str, Any]) -> dict[str, Any]:
    """ROM rows written before right and left sat side by side (joint, movement, side, degrees)
    read in the current shape."""
    if "degrees" not in row:
        return row
    side = str(row["side"]) if row.get("side") in ("right", "left") else "right"
    return {
        "motion": "",
        side: row.get("degrees"),
        "how": " ".join(str(row.get(k) or "") for k in ("joint", "movement")).strip(),
    }


def _computed_rows(note: Note, main: dict[str, Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    patient = note.episode.patient
    age = patient.age_on(note.visit_date)
    norm = heel_raise_norm(age=age, sex=patient.sex)
    for side in ("right", "left"):
        count = main.get(f"heel_raise_{side}")
        if count is not None:
            against = f" (norm {norm} for age {age}, {patient.sex})" if norm else " (no norm)"
            rows.append((f"Heel raises {side}", f"{count}{against}"))
    # A count of pain-free hops is a pain screen, not a performance: it gets no symmetry index.
    for hop in hop_battery(note.content.get("hops", []), injured_side=note.episode.side):
        if hop.lsi is not None:
            verdict = "meets" if hop.meets_threshold else "below"
            rows.append(
                (
                    f"{hop.label} LSI",
                    f"{hop.lsi}% ({verdict} the {RETURN_TO_SPORT_LSI}% return-to-sport threshold)",
                )
            )
    return rows


@dataclass
class Trend:
    instrument: str
    subscale: str
    label: str
    baseline: float | None
    latest: float | None
    change: float | None
    verdict: Change | None
    mcid: float | None
    svg: SafeString
    points: list[tuple[dt.date, float]]
    mdc: float | None = None

    @property
    def within_error(self) -> bool:
        """The change is smaller than the minimal detectable change: it may be noise."""
        return self.change is not None and self.mdc is not None and abs(self.change) < self.mdc

    @property
    def verdict_label(self) -> str:
        if self.within_error:
            return "Within measurement error (change smaller than the MDC)"
        return VERDICT_LABELS.get(self.verdict, "") if self.verdict else ""


VERDICT_LABELS = {
    Change.IMPROVED: "Improved by at least the MCID",
    Change.WORSENED: "Worse by at least the MCID",
    Change.WITHIN_MCID: "Change smaller than the MCID",
}


def counts_in_trend(
    response: OutcomeResponse, today: dt.date, reviewing: int | None = None
) -> bool:
    """Signed entries only: a measure on an unsigned note is a draft (except on the note being
    reviewed before signing, ``reviewing``); the patient's own portal answers count once
    submitted. Struck and future-dated entries never count."""
    if response.is_struck or response.taken_on > today:
        return False
    if response.note is None or response.note_id == reviewing:
        return True
    return response.note.is_signed


def _order(response: OutcomeResponse) -> tuple[dt.date, int, int]:
    # Same-day scores: the intake's comes first, so it is the baseline.
    intake_first = 0 if response.note is not None and response.note.kind == Note.Kind.INTAKE else 1
    return (response.taken_on, intake_first, response.pk or 0)


def outcome_trends(
    responses: Iterable[OutcomeResponse],
    mcids: dict[tuple[str, str], float],
    *,
    today: dt.date,
    reviewing: int | None = None,
) -> list[Trend]:
    """One trend per instrument subscale with at least one score; NPRS always comes first.

    The baseline is the earliest signed score (the intake's on a tie); only signed entries
    dated up to ``today`` count. Callers load ``note`` with the responses (select_related).
    """
    series: dict[tuple[str, str], list[tuple[dt.date, float]]] = {}
    for response in sorted(
        (r for r in responses if counts_in_trend(r, today, reviewing)), key=_order
    ):
        for subscale, result in response.scores.items():
            if result.get("score") is not None:
                series.setdefault((response.instrument, subscale), []).append(
                    (response.taken_on, float(result["score"]))
                )
    keys = [("nprs", "pain"), *sorted(k for k in series if k != ("nprs", "pain"))]
    trends = []
    for key in keys:
        instrument = INSTRUMENTS[key[0]]
        subscale = instrument.subscale(key[1])
        points = series.get(key, [])  # already in visit order, intake first on its day
        mcid = mcids.get(key)
        baseline = points[0][1] if points else None
        latest = points[-1][1] if points else None
        change, verdict = (None, None)
        if baseline is not None and latest is not None and len(points) > 1:
            change, verdict = change_since_baseline(
                baseline=baseline,
                current=latest,
                mcid=mcid,
                higher_is_better=subscale.higher_is_better,
            )
        band = (
            mcid_band(
                baseline=baseline,
                mcid=mcid,
                score_min=subscale.score_min,
                score_max=subscale.score_max,
            )
            if baseline is not None and mcid
            else None
        )
        svg = score_chart(
            title=subscale.label,
            points=points,
            score_min=subscale.score_min,
            score_max=subscale.score_max,
            band=band,
            higher_is_better=subscale.higher_is_better,
        )
        trends.append(
            Trend(
                key[0],
                key[1],
                subscale.label,
                baseline,
                latest,
                change,
                verdict,
                mcid,
                svg,
                points,
                instrument.default_mdc.get(key[1]),
            )
        )
    return trends


PROGRESS_REPORT_EVERY = 10
"""The default of `Clinic.progress_note_every`. Medicare Part B asks for a progress report at
least once every 10 treatment visits (Medicare Benefit Policy Manual ch. 15 §220.3)."""


def visits_since_progress_report(notes: Iterable[Note]) -> int:
    """Daily notes since the latest intake, progress note or re-evaluation (any order in)."""
    count = 0
    for note in sorted(notes, key=lambda n: (n.visit_date, n.id), reverse=True):
        if note.kind == Note.Kind.DAILY:
            count += 1
        elif note.kind in (Note.Kind.INTAKE, Note.Kind.PROGRESS, Note.Kind.REEVAL):
            break
    return count
