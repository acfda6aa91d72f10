"""Bulk copies of the sample histories: every other synthetic patient gets one, row for row.

A copy is the sample patient's rows (episodes, notes, measures, program, versions, ticks, run
plan, logs, check-ins, stage changes, stored flags) with new ids, its own patient, therapist and
portal account, written with COPY. What must stay verifiable is recomputed, not copied: each
signed note's content hash (it covers the note, episode, patient and signer) and the audit
events, which are appended to the clinic's hash chain (`chains.py`). Program snapshots are
copied without the drawings (38 KB of SVG a version): the sample patients keep theirs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from assessments.models import Note, OutcomeResponse
from patients.models import Episode, Patient
from programs.home.models import (
    Completion,
    HomeProgram,
    ProgramItem,
    ProgramModality,
    ProgramVersion,
)
from programs.running.flag_models import PlanFlag
from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from programs.running.models import PlanStage, ReturnToRunPlan
from rehab_clinic.accounts.models import User
from rehab_clinic.demo.rowcopy import JsonText, RowWriter, allocate_ids, columns_of

# Copied in this order, each found from the sample patient by this path.
COPIED: list[tuple[type[models.Model], str]] = [
    (Episode, "patient"),
    (Note, "episode__patient"),
    (OutcomeResponse, "episode__patient"),
    (HomeProgram, "episode__patient"),
    (ProgramItem, "program__episode__patient"),
    (ProgramModality, "program__episode__patient"),
    (ProgramVersion, "program__episode__patient"),
    (ReturnToRunPlan, "episode__patient"),
    (PlanStage, "plan__episode__patient"),
    (SessionLog, "plan__episode__patient"),
    (MorningCheckIn, "plan__episode__patient"),
    (StageChange, "plan__episode__patient"),
    # What the flag rule says about the plan: it reads only the plan's stages, logs, check-ins
    # and stage changes, copied unchanged, and the clinic's today, the same for every copy.
    (PlanFlag, "plan__episode__patient"),
]
# Columns a copy must not repeat (unique tokens of the original's form submissions).
CLEARED = {HomeProgram: {"start_token"}}
# Sentinels standing for the ids a note's hash covers, replaced per copy (see `_note_hashes`).
_SENTINELS = {
    "note": 9_100_000_000_000_001,
    "episode": 9_100_000_000_000_002,
    "author": 9_100_000_000_000_003,
    "signed_by": 9_100_000_000_000_004,
    "patient": 9_100_000_000_000_005,
}


@dataclass
class Sample:
    """A services-built patient's rows, read once."""

    patient: Patient
    rows: dict[type[models.Model], list[dict[str, Any]]]
    index: dict[type[models.Model], dict[int, int]]
    completions: list[dict[str, Any]]
    notes: dict[int, str]  # note id -> its hash payload as JSON, with sentinels for the ids


@dataclass
class Copy:
    """One patient receiving a copy of `template`'s history."""

    patient: Patient
    template: Sample
    starts: dict[type[models.Model], int] = field(default_factory=dict)

    def new_id(self, model: type[models.Model], old: int) -> int:
        return self.starts[model] + self.template.index[model][old]

    def users(self) -> dict[int | None, int | None]:
        """The sample's therapist and runner stand for this patient's."""
        sample = self.template.patient
        return {
            sample.primary_therapist_id: self.patient.primary_therapist_id,
            sample.user_id: self.patient.user_id,
        }


def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def read_sample(patient: Patient) -> Sample:
    rows: dict[type[models.Model], list[dict[str, Any]]] = {}
    for model, path in COPIED:
        found = list(model._default_manager.filter(**{path: patient}).order_by("id").values(
            *_attnames(model)
        ))  # fmt: skip
        for row in found:
            for f in model._meta.concrete_fields:
                if isinstance(f, models.JSONField):
                    value = row[f.attname]
                    if model is ProgramVersion and f.attname == "snapshot":
                        value = _without_drawings(value)
                    row[f.attname] = JsonText(json.dumps(value))
        rows[model] = found
    index = {model: {row["id"]: n for n, row in enumerate(found)} for model, found in rows.items()}
    ticks = Completion.objects.filter(patient=patient).order_by("id")
    completions: list[dict[str, Any]] = [
        dict(row) for row in ticks.values("version_id", "item_key", "day", "session", "recorded_at")
    ]
    notes = {}
    for note in Note.objects.filter(episode__patient=patient, signed_at__isnull=False):
        payload = note.hash_payload()
        for key, sentinel in _SENTINELS.items():
            payload[key] = sentinel
        notes[note.pk] = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return Sample(patient, rows, index, completions, notes)


def _without_drawings(snapshot: dict[str, Any]) -> dict[str, Any]:
    items = [{**item, "illustration_svg": ""} for item in snapshot.get("items", [])]
    return {**snapshot, "items": items}


def plan_copies(patients: Sequence[Patient], samples: Sequence[Sample]) -> list[Copy]:
    """Which sample each patient copies, and the ids every copied row will get."""
    copies = [Copy(patient, samples[n % len(samples)]) for n, patient in enumerate(patients)]
    for model, _ in COPIED:
        total = sum(len(c.template.rows[model]) for c in copies)
        if not total:
            continue
        next_id = allocate_ids(model, total)
        for copy in copies:
            copy.starts[model] = next_id
            next_id += len(copy.template.rows[model])
    return copies


def _resolver(model: type[models.Model]) -> list[tuple[str, str, Any]]:
    """How each column of a copy is found: ("id"|"fk"|"user"|"patient"|"clear"|"keep", ...)."""
    copied = {m for m, _ in COPIED}
    cleared: dict[type[models.Model], set[str]] = CLEARED  # type: ignore[assignment]
    plan: list[tuple[str, str, Any]] = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            plan.append(("id", f.attname, model))
        elif f.attname in cleared.get(model, set()):
            plan.append(("clear", f.attname, None))
        elif f.is_relation and f.related_model in copied:
            plan.append(("fk", f.attname, f.related_model))
        elif f.is_relation and f.related_model is User:
            plan.append(("user", f.attname, None))
        elif f.is_relation and f.related_model is Patient:
            plan.append(("patient", f.attname, None))
        else:
            plan.append(("keep", f.attname, None))
    return plan


Prepared = tuple[list[Any], list[tuple[int, str, Any, Any]], dict[str, Any]]


def _prepare(
    writer: RowWriter, model: type[models.Model], rows: list[dict[str, Any]]
) -> list[Prepared]:
    """Each sample row as its constant values (converted once) and the columns a copy fills."""
    plan = _resolver(model)
    prepared = []
    for row in rows:
        base: list[Any] = []
        variable = []
        for position, (kind, name, target) in enumerate(plan):
            old = row[name]
            if kind == "clear" or (kind != "patient" and old is None):
                base.append(writer.null)
                continue
            if kind == "keep":
                base.append(writer.constant(position, old))
                continue
            base.append(None)
            variable.append((position, kind, target, old))
        if model is Note and row["signed_at"] is not None:
            variable.append((len(plan) - 1 - plan[::-1].index(("keep", "content_hash", None)),
                             "hash", None, row))  # fmt: skip
        prepared.append((base, variable, row))
    return prepared


def write_copies(copies: Sequence[Copy]) -> dict[str, int]:
    """Write every copied table; returns rows written per model."""
    written: dict[str, int] = {}
    samples = {id(c.template): c.template for c in copies}
    for model, _ in COPIED:
        writer = RowWriter(model, columns_of(model))
        prepared = {key: _prepare(writer, model, s.rows[model]) for key, s in samples.items()}
        for copy in copies:
            users = copy.users()
            for base, variable, _row in prepared[id(copy.template)]:
                values = base.copy()
                for position, kind, target, old in variable:
                    if kind == "id":
                        values[position] = copy.new_id(model, old)
                    elif kind == "fk":
                        values[position] = copy.new_id(target, old)
                    elif kind == "user":
                        values[position] = users.get(old, old)
                    elif kind == "patient":
                        values[position] = copy.patient.pk
                    else:
                        values[position] = _note_hash(copy, old)
                writer.add(values)
        written[model._meta.label] = writer.close()
    written[Completion._meta.label] = _write_completions(copies)
    return written


def _note_hash(copy: Copy, row: dict[str, Any]) -> str:
    """`Note.compute_hash()` of the copy: the sample's payload with this copy's ids in it."""
    text = copy.template.notes[row["id"]]
    users = copy.users()
    actual = {
        "note": copy.new_id(Note, row["id"]),
        "episode": copy.new_id(Episode, row["episode_id"]),
        "author": users.get(row["author_id"], row["author_id"]),
        "signed_by": users.get(row["signed_by_id"], row["signed_by_id"]),
        "patient": copy.patient.pk,
    }
    for key, sentinel in _SENTINELS.items():
        text = text.replace(str(sentinel), str(actual[key]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write_completions(copies: Sequence[Copy]) -> int:
    columns = ["program_id", "version_id", "patient_id", "recorded_by_id",
               "item_key", "day", "session", "recorded_at", "difficulty"]  # fmt: skip
    writer = RowWriter(Completion, columns)
    ticks: dict[int, list[tuple[int, list[Any]]]] = {}
    lines: dict[int, list[tuple[int, str]]] = {}
    for copy in copies:
        sample = copy.template
        if id(sample) not in ticks:
            # No "how it felt" on the copies: pain stays null, difficulty blank (not null).
            ticks[id(sample)] = [
                (t["version_id"], [*(writer.constant(n + 4, t[name]) for n, name in
                 enumerate(("item_key", "day", "session", "recorded_at"))), ""])
                for t in sample.completions
            ]  # fmt: skip
            lines[id(sample)] = [(v, writer.line(rest)) for v, rest in ticks[id(sample)]]
        program = copy.new_id(HomeProgram, sample.rows[HomeProgram][0]["id"])
        patient, user = copy.patient.pk, copy.patient.user_id
        if writer.takes_lines and user is not None:
            # 3.9 M rows at 10,000 patients: each is its copy's ids before the sample's text.
            starts = {v: f"{program},{copy.new_id(ProgramVersion, v)},{patient},{user},"
                      for v in {v for v, _ in lines[id(sample)]}}  # fmt: skip
            writer.add_lines(starts[version] + rest for version, rest in lines[id(sample)])
            continue
        for version, rest in ticks[id(sample)]:
            writer.add((program, copy.new_id(ProgramVersion, version), patient, user, *rest))
    return writer.close()
