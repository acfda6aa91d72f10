"""The readable half of the record ZIP: everything the PDF shows, read in a fixed number of
queries (`read_record`), and the PDF itself through the handout's WeasyPrint set-up
(`programs.documents.pdf.render_html`, its restricted fetcher and the note's print stylesheet).

What is printed: each episode with its signed notes (as the note page shows them, with the
signature line and addenda), the outcome scores with our own SVG charts, every published
version of its home programs as given (and how many sessions were ticked), and each return to
run plan the runner was given with its chart and every run logged. A patient's own export
leaves out notes the clinic withheld from the portal; the clinic's has every signed note.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Min, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import Addendum, Note, OutcomeResponse, SignerCredentials, mcid_table
from assessments.summaries import Section, note_sections, outcome_trends
from patients.models import Episode
from programs.documents.fetcher import media_url
from programs.documents.note_print import CHART_STYLE, NOTE_STYLESHEET
from programs.documents.pdf import logo_fetcher, render_html
from programs.documents.sheet import ClinicHeading, RenderedPdf
from programs.home.dosage import describe_dosage, dosage_from_item
from programs.home.models import Completion, ProgramVersion
from programs.running.charts import plan_chart
from programs.running.log_models import MorningCheckIn, SessionLog
from programs.running.models import ReturnToRunPlan
from rehab_clinic.accounts.units import format_distance

if TYPE_CHECKING:
    from patients.models import Patient
    from rehab_clinic.accounts.models import Clinic, User

__all__ = ["RecordPrintout", "read_record", "record_html", "render_record"]


@dataclass(frozen=True)
class PrintedNote:
    note_type: str
    visit_date: date
    author: str
    signer: str
    signed_at: str
    content_hash: str
    sections: Sequence[Section]
    scores: Sequence[str] = ()
    addenda: Sequence[tuple[str, str, str]] = ()  # (heading, reason, text)


@dataclass(frozen=True)
class PrintedTrend:
    label: str
    baseline: float | None
    latest: float | None
    chart: str  # data: URI of our SVG


@dataclass(frozen=True)
class PrintedProgram:
    title: str
    number: int
    published_on: date
    published_by: str
    note_to_patient: str
    exercises: Sequence[tuple[str, str, str]]  # (name, dose, note)
    modalities: Sequence[tuple[str, str]]  # (name, instructions)
    ticks: int = 0
    first_tick: date | None = None
    last_tick: date | None = None


@dataclass(frozen=True)
class RunRow:
    day: date
    stage: int
    total_minutes: str
    run_minutes: str
    distance: str
    pain_during: int
    pain_after: int
    rpe: str
    cadence: str
    notes: str


@dataclass(frozen=True)
class PrintedPlan:
    name: str
    status: str
    started_on: date
    chart: str
    runs: Sequence[RunRow]


@dataclass(frozen=True)
class EpisodeRecord:
    label: str
    code: str
    status: str
    opened: date
    discharged_on: date | None
    notes: Sequence[PrintedNote] = ()
    trends: Sequence[PrintedTrend] = ()
    programs: Sequence[PrintedProgram] = ()
    plans: Sequence[PrintedPlan] = ()


@dataclass(frozen=True)
class RecordPrintout:
    clinic: ClinicHeading
    patient_name: str
    date_of_birth: date
    mrn: str
    made_at: str
    for_patient: bool
    episodes: Sequence[EpisodeRecord] = field(default_factory=tuple)

    @property
    def note_count(self) -> int:
        return sum(len(episode.notes) for episode in self.episodes)

    @property
    def run_count(self) -> int:
        return sum(len(plan.runs) for episode in self.episodes for plan in episode.plans)


def _local(moment: datetime, clinic: Clinic) -> str:
    local = timezone.localtime(moment, clinic.zone)
    return f"{local:%d %B %Y, %H:%M} {local.tzname()}"


def _svg_uri(svg: str, *, styled: bool) -> str:
    text = svg.replace(">", ">" + CHART_STYLE, 1) if styled else svg
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _heading(clinic: Clinic) -> ClinicHeading:
    return ClinicHeading(
        name=clinic.name,
        address=clinic.address,
        phone=clinic.phone,
        email=clinic.email,
        website=clinic.website,
        logo_url=media_url(str(clinic.logo.name)) if clinic.logo else "",
        paper_size=clinic.paper_size,
    )


def _scores(responses: Sequence[OutcomeResponse]) -> list[str]:
    lines = []
    for response in responses:
        parts = [
            f"{code} {result['score']}"
            for code, result in response.scores.items()
            if result.get("score") is not None
        ]
        lines.append(f"{response.get_instrument_display()}: {'; '.join(parts) or 'not scored'}")
    return lines


def _notes(
    patient: Patient, episodes: dict[int, Episode], *, for_patient: bool
) -> tuple[dict[int, list[Note]], set[int]]:
    signed = Note.objects.released_to_patient() if for_patient else Note.objects.signed()
    notes = (
        signed.filter(episode__patient=patient)
        .select_related("author", "signed_by")
        .prefetch_related(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
        .order_by("visit_date", "signed_at", "id")
    )
    by_episode: dict[int, list[Note]] = defaultdict(list)
    for note in notes:
        note.episode = episodes[note.episode_id]  # note_sections reads the clinic's unit
        by_episode[note.episode_id].append(note)
    return by_episode, {note.pk for rows in by_episode.values() for note in rows}


def _printed_notes(
    notes: list[Note], responses: dict[int, list[OutcomeResponse]], clinic: Clinic
) -> list[PrintedNote]:
    signers = {note.signed_by_id for note in notes if note.signed_by_id is not None} | {
        addendum.author_id for note in notes for addendum in note.addenda.all()
    }
    credentials = dict(
        SignerCredentials.objects.filter(user_id__in=signers).values_list("user_id", "credentials")
    )

    def name(user: User | None) -> str:
        if user is None:
            return ""
        return ", ".join(filter(None, [user.full_name, credentials.get(user.pk, "")]))

    return [
        PrintedNote(
            note_type=note.get_kind_display(),
            visit_date=note.visit_date,
            author=note.author.full_name,
            signer=name(note.signed_by),
            signed_at=_local(note.signed_at, clinic) if note.signed_at else "",
            content_hash=note.content_hash,
            sections=note_sections(note),
            scores=_scores(responses.get(note.pk, [])),
            addenda=[
                (
                    f"{a.get_kind_display()} by {name(a.author)}, {_local(a.created_at, clinic)}",
                    a.reason,
                    a.text,
                )
                for a in note.addenda.all()
            ],
        )
        for note in notes
    ]


def _programs(patient: Patient) -> dict[int, list[PrintedProgram]]:
    ticks: dict[int, dict[str, Any]] = {
        row["version_id"]: dict(row)
        for row in Completion.objects.filter(patient=patient)
        .values("version_id")
        .annotate(count=Count("id"), first=Min("day"), last=Max("day"))
    }
    versions = (
        ProgramVersion.objects.filter(program__episode__patient=patient)
        .select_related("program", "published_by")
        .order_by("program__created_at", "program_id", "number")
    )
    found: dict[int, list[PrintedProgram]] = defaultdict(list)
    for version in versions:
        tally = ticks.get(version.pk, {})
        found[version.program.episode_id].append(
            PrintedProgram(
                title=str(version.snapshot.get("title") or "Home program"),
                number=version.number,
                published_on=timezone.localtime(version.published_at).date(),
                published_by=version.published_by.full_name,
                note_to_patient=str(version.snapshot.get("note_to_patient") or ""),
                exercises=[
                    (
                        str(item.get("name", "")),
                        describe_dosage(dosage_from_item(item)),
                        str(item.get("note") or ""),
                    )
                    for item in version.items
                ],
                modalities=[
                    (
                        str(entry.get("name", "")),
                        str(entry.get("home_instructions") or entry.get("instructions") or ""),
                    )
                    for entry in version.modalities
                ],
                ticks=int(tally.get("count", 0)),
                first_tick=tally.get("first"),
                last_tick=tally.get("last"),
            )
        )
    return found


def _number(value: object) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _plans(patient: Patient, clinic: Clinic) -> dict[int, list[PrintedPlan]]:
    plans = list(
        ReturnToRunPlan.objects.filter(episode__patient=patient)
        .shown_to_runner()
        .order_by("started_on", "id")
    )
    logs: dict[int, list[SessionLog]] = defaultdict(list)
    for log in SessionLog.objects.filter(plan__in=plans).order_by("date", "id"):
        logs[log.plan_id].append(log)
    mornings: dict[int, list[MorningCheckIn]] = defaultdict(list)
    for check_in in MorningCheckIn.objects.filter(plan__in=plans).order_by("date", "id"):
        mornings[check_in.plan_id].append(check_in)
    found: dict[int, list[PrintedPlan]] = defaultdict(list)
    for plan in plans:
        runs = logs[plan.pk]
        chart = plan_chart(
            logs=runs,
            check_ins=mornings[plan.pk],
            start=plan.started_on,
            end=runs[-1].date if runs else plan.started_on,
            distance=plan.is_distance,
            unit=clinic.distance_unit,
            pain_ceiling=plan.pain_during_max,
        )
        found[plan.episode_id].append(
            PrintedPlan(
                name=plan.name,
                status=plan.get_status_display(),
                started_on=plan.started_on,
                chart=_svg_uri(str(chart), styled=False) if runs else "",
                runs=[
                    RunRow(
                        day=log.date,
                        stage=log.stage_number,
                        total_minutes=_number(log.duration_minutes),
                        run_minutes=_number(log.run_minutes),
                        distance=format_distance(log.distance_m, clinic) if log.distance_m else "",
                        pain_during=log.pain_during,
                        pain_after=log.pain_after,
                        rpe=_number(log.rpe),
                        cadence=_number(log.cadence),
                        notes=log.notes,
                    )
                    for log in runs
                ],
            )
        )
    return found


def read_record(patient: Patient, *, for_patient: bool) -> RecordPrintout:
    """The whole record as the PDF prints it. `patient` comes through `visible_to` (the task
    loads the export's own patient)."""
    clinic = patient.clinic
    episodes = {e.pk: e for e in Episode.objects.filter(patient=patient).order_by("created_at")}
    for episode in episodes.values():
        episode.patient = patient
    notes, note_ids = _notes(patient, episodes, for_patient=for_patient)
    responses = list(
        OutcomeResponse.objects.filter(episode__patient=patient, struck_at__isnull=True)
        .filter(Q(note__isnull=True) | Q(note_id__in=note_ids))
        .select_related("note")
        .order_by("taken_on", "id")
    )
    by_note: dict[int, list[OutcomeResponse]] = defaultdict(list)
    by_episode: dict[int, list[OutcomeResponse]] = defaultdict(list)
    for response in responses:
        by_episode[response.episode_id].append(response)
        if response.note_id is not None:
            by_note[response.note_id].append(response)
    mcids = mcid_table(clinic.pk)
    programs = _programs(patient)
    plans = _plans(patient, clinic)
    today = clinic.today()
    return RecordPrintout(
        clinic=_heading(clinic),
        patient_name=patient.full_name,
        date_of_birth=patient.date_of_birth,
        mrn=patient.mrn,
        made_at=_local(timezone.now(), clinic),
        for_patient=for_patient,
        episodes=[
            EpisodeRecord(
                label=episode.label,
                code=episode.billing_code,
                status=episode.get_status_display(),
                opened=timezone.localtime(episode.created_at, clinic.zone).date(),
                discharged_on=episode.discharged_on,
                notes=_printed_notes(notes[pk], by_note, clinic),
                trends=[
                    PrintedTrend(t.label, t.baseline, t.latest, _svg_uri(t.svg, styled=True))
                    for t in outcome_trends(by_episode[pk], mcids, today=today)
                    if t.points
                ],
                programs=programs[pk],
                plans=plans[pk],
            )
            for pk, episode in episodes.items()
        ],
    )


def record_html(printout: RecordPrintout) -> str:
    return render_to_string("pdf/record.html", {"record": printout})


def render_record(printout: RecordPrintout, html: str | None = None) -> RenderedPdf:
    """The record as a tagged PDF/A; of the uploads, only the clinic's own logo may be read."""
    return render_html(
        html if html is not None else record_html(printout),
        paper_size=printout.clinic.paper_size,
        fetcher=logo_fetcher(printout.clinic.logo_url),
        stylesheet=NOTE_STYLESHEET,
    )
