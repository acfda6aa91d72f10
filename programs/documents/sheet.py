"""What the printed program shows, already decided: plain frozen dataclasses, no database and no
WeasyPrint. `programs.documents.compose` fills a `ProgramSheet`; `programs.documents.pdf` lays it
out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from programs.home.dosage import Dosage
from programs.running.progression import PlanLimits
from programs.running.wording import pain_range, traffic_light

__all__ = [
    "TICK_DAYS",
    "ClinicHeading",
    "ExerciseCard",
    "GaitCueCard",
    "HomeModality",
    "PainLight",
    "PainRules",
    "ProgramSheet",
    "RenderedPdf",
    "RunPlanTable",
    "RunStageRow",
    "TickDay",
    "pain_traffic_light",
    "tick_days",
]


@dataclass(frozen=True)
class ExerciseCard:
    name: str
    category: str = ""
    instructions: Sequence[str] = ()
    cues: Sequence[str] = ()
    illustration_svg: str = ""
    dosage: Dosage = field(default_factory=Dosage)
    patient_note: str = ""


@dataclass(frozen=True)
class HomeModality:
    name: str
    instructions: str
    dosage: str = ""
    patient_note: str = ""
    precautions: Sequence[str] = ()


@dataclass(frozen=True)
class RunStageRow:
    number: int
    session: str  # "Run 1 min, walk 4 min, 6 times"
    per_week: str  # "3 sessions a week, a rest day between"
    effort: str  # "Easy (RPE 3 of 10)"
    is_current: bool = False


@dataclass(frozen=True)
class RunPlanTable:
    name: str
    stages: Sequence[RunStageRow]  # the current stage first, then the next ones
    note: str = ""


@dataclass(frozen=True)
class PainRules:
    """Pain out of 10. Green up to `green_max`, amber up to `amber_max`, red above; with a run
    plan, its limits word the lights exactly as the progression rule decides
    (`programs.running.wording.traffic_light`), and `contact` is the clinic's stop line."""

    green_max: int = 2
    amber_max: int = 5
    run_limits: PlanLimits | None = None
    contact: str = ""


@dataclass(frozen=True)
class PainLight:
    colour: str  # green / amber / red (also the CSS class)
    label: str
    pain: str
    advice: str


@dataclass(frozen=True)
class GaitCueCard:
    target_spm: int
    baseline_spm: int | None = None
    cues: Sequence[str] = ()
    note: str = ""


@dataclass(frozen=True)
class ClinicHeading:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_url: str = ""  # a media: URL read through the storage API (fetcher.media_url), or empty
    paper_size: str = "A4"


@dataclass(frozen=True)
class ProgramSheet:
    clinic: ClinicHeading
    patient_name: str
    therapist_name: str
    issued_on: date
    title: str = "Your home exercise program"
    intro: str = ""  # the therapist's note to the patient
    therapist_contact: str = ""
    condition: str = ""
    version_label: str = ""
    exercises: Sequence[ExerciseCard] = ()
    modalities: Sequence[HomeModality] = ()
    run_plan: RunPlanTable | None = None
    pain_rules: PainRules = field(default_factory=PainRules)
    gait: GaitCueCard | None = None
    portal_url: str = ""
    language: str = "en"
    # Bigger type and pictures, three exercises a page (the program's own setting).
    large_print: bool = False
    # The clinic's copy: each dose also in the therapist's shorthand ("3x15 ea, 2x/d, 7/wk").
    therapist_copy: bool = False


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int


def pain_traffic_light(rules: PainRules) -> list[PainLight]:
    """The three lights of the pain-monitoring rule, in words a runner can act on."""
    if rules.run_limits is not None:
        return [
            PainLight(light.colour, light.label, light.pain, light.advice)
            for light in traffic_light(rules.run_limits, contact=rules.contact)
        ]
    green, amber = rules.green_max, rules.amber_max
    return [
        PainLight(
            "green",
            "Go",
            pain_range(0, green),
            "Carry on as planned.",
        ),
        PainLight(
            "amber",
            "Caution",
            pain_range(green + 1, amber),
            "Acceptable if it has settled by the next morning. Stay at this level; do not "
            "progress.",
        ),
        PainLight(
            "red",
            "Stop",
            f"more than {amber} out of 10",
            "Or pain that is worse the next morning, or that makes you limp: stop this "
            "exercise and contact the clinic.",
        ),
    ]


# The summary sheet's tick boxes: one a day for two weeks from the day the program was given.
TICK_DAYS = 14


@dataclass(frozen=True)
class TickDay:
    day: date
    initial: str  # "M", "T", ...: the weekday over its box
    week: int  # 1 or 2


def tick_days(start: date, count: int = TICK_DAYS) -> list[TickDay]:
    days = [start + timedelta(days=n) for n in range(count)]
    return [TickDay(day, "MTWTFSS"[day.weekday()], n // 7 + 1) for n, day in enumerate(days)]
