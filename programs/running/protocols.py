"""Published return-to-running progressions as data (DOMAIN.md sections 7.1 and 7.2).

These are the templates each clinic starts with; ``programs.running.seed`` copies them into the
database, where the clinic can edit them. Figures the domain brief marks as unverified are said so
in the description, and every number here is editable after seeding.

Also the pure readiness check: criteria compared with evaluation findings, or ticked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = [
    "BONE_STRESS_KEY",
    "PROTOCOLS",
    "CriterionStatus",
    "CriterionTemplate",
    "MetBy",
    "ProtocolTemplate",
    "StageTemplate",
    "check_readiness",
    "criteria_data",
    "criteria_from_data",
    "is_bone_stress_code",
]

MILE_M = Decimal("1609.344")

BONE_STRESS_KEY = "bsi-conservative"


def is_bone_stress_code(icd10_code: str) -> bool:
    """ICD-10-CM M84.3- is "stress fracture, not elsewhere classified" (M84.30- to M84.38-, the
    site in the 5th and 6th characters; the 7th, the encounter, is stored apart on Episode)."""
    return icd10_code.upper().replace(".", "").startswith("M843")


def _miles(value: str) -> int:
    return int((MILE_M * Decimal(value)).quantize(Decimal(1)))


@dataclass(frozen=True)
class CriterionTemplate:
    code: str
    text: str
    # Optional link to an evaluation finding: met when finding >= at_least or <= at_most.
    finding: str = ""
    at_least: Decimal | None = None
    at_most: Decimal | None = None


@dataclass(frozen=True)
class StageTemplate:
    """One stage. Time-based stages use the minute fields, distance-based the metre fields."""

    run_minutes: Decimal = Decimal(0)
    walk_minutes: Decimal = Decimal(0)
    repeats: int = 1
    warm_up_minutes: int = 5
    cool_down_minutes: int = 5
    run_m: int = 0
    walk_m: int = 0
    rpe: int = 3
    sessions_per_week: int = 3
    rest_days_between: int = 1
    sessions_to_progress: int = 2
    note: str = ""


@dataclass(frozen=True)
class ProtocolTemplate:
    key: str
    name: str
    kind: str  # "time" or "distance"
    description: str
    source: str
    pain_during_max: int
    pain_after_max: int
    morning_pain_max: int
    criteria: tuple[CriterionTemplate, ...]
    stages: tuple[StageTemplate, ...] = field(default_factory=tuple)


def _walk_run(run: int, walk: int, repeats: int, rpe: int, **extra: object) -> StageTemplate:
    return StageTemplate(
        run_minutes=Decimal(run),
        walk_minutes=Decimal(walk),
        repeats=repeats,
        rpe=rpe,
        **extra,  # type: ignore[arg-type]
    )


TIME_LADDER = ProtocolTemplate(
    key="time-walk-run-ladder",
    name="Walk/run ladder (time-based)",
    kind="time",
    description=(
        "Walk/jog intervals that start at walk 5 min / jog 1 min and shift a minute at a time "
        "towards running until 30 minutes run continuously, every other day. Advance when pain "
        "stays at or below the ceiling, does not build during the run and does not change your "
        "gait; otherwise repeat or step back."
    ),
    source=(
        "Brigham and Women's return-to-running program, phase III walk/jog (summary on "
        "jenrunsfastblog, 2014); advancement rule from the UW Madison (Heiderscheit) protocol "
        "summarised by dynamic-pt.com (pain 3/10 or less). The intermediate intervals are our "
        "evenly spaced steps between the published first and last stages."
    ),
    pain_during_max=3,
    pain_after_max=3,
    morning_pain_max=2,
    criteria=(
        CriterionTemplate(
            "walk_30",
            "30 consecutive minutes of pain-free walking (UW Madison)",
            finding="pain_free_walk_minutes",
            at_least=Decimal(30),
        ),
        CriterionTemplate(
            "heel_raises_20",
            "20 single-leg heel raises on the injured side (Saxena)",
            finding="single_leg_heel_raise_reps",
            at_least=Decimal(20),
        ),
        CriterionTemplate(
            "hops_pain_free",
            "Pain-free hopping on the injured leg (Saxena)",
            finding="single_leg_hop_pain",
            at_most=Decimal(0),
        ),
        CriterionTemplate(
            "pain_2",
            "Pain 2/10 or less in daily activity",
            finding="pain_now",
            at_most=Decimal(2),
        ),
    ),
    stages=(
        _walk_run(1, 5, 5, 3),
        _walk_run(2, 4, 5, 3),
        _walk_run(3, 3, 5, 4),
        _walk_run(4, 2, 5, 4),
        _walk_run(5, 1, 5, 5),
        _walk_run(30, 0, 1, 5, note="Continuous run"),
    ),
)

DISTANCE_MGH = ProtocolTemplate(
    key="distance-mgh",
    name="Jog/walk by distance (MGH)",
    kind="distance",
    description=(
        "Jog and walk distances that add up to a mile, then continuous jogging that grows a "
        "quarter mile per stage. Run no more than every other day and cross-train between. "
        "Advance one step only after completing the previous one; if pain, swelling or a limp "
        "appears, go back a step. Start on flat ground."
    ),
    source=(
        'Massachusetts General Hospital Sports Medicine, "Return to Running Program" '
        "(docslib and semc.org copies)."
    ),
    pain_during_max=3,
    pain_after_max=3,
    morning_pain_max=2,
    criteria=(
        CriterionTemplate(
            "walk_mile",
            "Walk 1 mile briskly without a limp, and without pain or swelling afterwards (MGH)",
            finding="brisk_walk_mile_pain",
            at_most=Decimal(0),
        ),
        CriterionTemplate(
            "pain_2",
            "Pain 2/10 or less in daily activity",
            finding="pain_now",
            at_most=Decimal(2),
        ),
    ),
    stages=(
        StageTemplate(run_m=_miles("0.25"), walk_m=_miles("0.75"), sessions_to_progress=1),
        StageTemplate(run_m=_miles("0.5"), walk_m=_miles("0.5"), sessions_to_progress=1),
        StageTemplate(run_m=_miles("0.75"), walk_m=_miles("0.25"), sessions_to_progress=2),
        StageTemplate(run_m=_miles("1"), sessions_to_progress=2),
        StageTemplate(run_m=_miles("1.25"), sessions_to_progress=1),
        StageTemplate(run_m=_miles("1.5"), sessions_to_progress=1),
        StageTemplate(run_m=_miles("1.75"), sessions_to_progress=1),
        StageTemplate(run_m=_miles("2"), sessions_to_progress=1),
    ),
)

BSI_CONSERVATIVE = ProtocolTemplate(
    key=BONE_STRESS_KEY,
    name="Bone stress injury: conservative walk/run",
    kind="time",
    description=(
        "A slow walk/run build for a healing bone stress injury: short running bouts, two "
        "successful sessions per stage, at least one rest day between runs, and a low pain "
        "ceiling because bone tolerates much less pain than tendon (no pain at the site is the "
        "aim). Start only once healing is confirmed by the medical provider."
    ),
    source=(
        "Entry criteria from George et al. 2024 (Sports Med, scoping review of tibial BSI return "
        "to running), Mammoth Physio's BSI page and achievepodiatry.com (pain 2/10 or less on "
        "the loading tests). Starting interval walk 4 / run 1 repeated as in Warden, Davis & "
        "Fredericson 2014 (JOSPT 44:749) as commonly quoted: unverified, check before use. "
        "Alternate-day running as in Moen et al. 2012 (MTSS)."
    ),
    pain_during_max=2,
    pain_after_max=2,
    morning_pain_max=0,
    criteria=(
        CriterionTemplate(
            "healing_confirmed",
            "Healing confirmed by the medical provider (radiological for high-risk sites)",
        ),
        CriterionTemplate("no_tenderness", "No bony tenderness at the injury site"),
        CriterionTemplate(
            "walk_30_45",
            "30-45 minutes of brisk walking without pain (Mammoth Physio)",
            finding="pain_free_walk_minutes",
            at_least=Decimal(30),
        ),
        CriterionTemplate(
            "loading_tests",
            "Pain 2/10 or less on single-leg stand 10 s, single-leg squat x10, jog on the spot "
            "1 min, hopping x10-15 (achievepodiatry.com)",
            finding="loading_tests_pain",
            at_most=Decimal(2),
        ),
        CriterionTemplate(
            "contributing_factors",
            "Contributing factors identified (energy availability, bone health, training load)",
        ),
    ),
    stages=(
        _walk_run(1, 4, 6, 3),
        _walk_run(2, 3, 6, 3),
        _walk_run(3, 2, 6, 4),
        _walk_run(4, 1, 6, 4),
        _walk_run(5, 1, 5, 4),
        _walk_run(20, 0, 1, 5, note="Continuous run"),
        _walk_run(30, 0, 1, 5, note="Continuous run"),
    ),
)

PROTOCOLS: tuple[ProtocolTemplate, ...] = (TIME_LADDER, DISTANCE_MGH, BSI_CONSERVATIVE)


# ---------------------------------------------------------------------------------------------
# Readiness


class MetBy(StrEnum):
    EVALUATION = "evaluation"
    THERAPIST = "therapist"
    # Ticked by the therapist, but the latest measurement says otherwise: not met until the
    # therapist re-measures or starts the plan with an override.
    CONFLICT = "conflict"
    NOT_MET = "not_met"


@dataclass(frozen=True)
class CriterionStatus:
    code: str
    text: str
    met_by: MetBy
    finding_value: Decimal | None = None

    @property
    def met(self) -> bool:
        return self.met_by in (MetBy.EVALUATION, MetBy.THERAPIST)


def _meets(criterion: CriterionTemplate, value: Decimal) -> bool:
    if criterion.at_least is not None and value < criterion.at_least:
        return False
    return not (criterion.at_most is not None and value > criterion.at_most)


def check_readiness(
    criteria: list[CriterionTemplate] | tuple[CriterionTemplate, ...],
    *,
    findings: dict[str, Decimal],
    ticked: set[str],
) -> list[CriterionStatus]:
    """Each criterion's status: met by an evaluation finding, ticked by the therapist, or not.

    A tick beside a measurement that contradicts it is a conflict, not "met": the therapist
    re-measures, or starts the plan with an override and a reason.
    """
    result = []
    for criterion in criteria:
        value = findings.get(criterion.finding) if criterion.finding else None
        has_threshold = criterion.at_least is not None or criterion.at_most is not None
        if value is not None and has_threshold and _meets(criterion, Decimal(value)):
            result.append(CriterionStatus(criterion.code, criterion.text, MetBy.EVALUATION, value))
            continue
        if criterion.code not in ticked:
            met_by = MetBy.NOT_MET
        elif value is not None and has_threshold:
            met_by = MetBy.CONFLICT
        else:
            met_by = MetBy.THERAPIST
        result.append(CriterionStatus(criterion.code, criterion.text, met_by, value))
    return result


def criteria_from_data(data: list[dict[str, Any]]) -> list[CriterionTemplate]:
    result = []
    for row in data or []:
        at_least = row.get("at_least")
        at_most = row.get("at_most")
        result.append(
            CriterionTemplate(
                code=str(row.get("code", "")),
                text=str(row.get("text", "")),
                finding=str(row.get("finding") or ""),
                at_least=Decimal(str(at_least)) if at_least not in (None, "") else None,
                at_most=Decimal(str(at_most)) if at_most not in (None, "") else None,
            )
        )
    return result


def criteria_data(criteria: tuple[CriterionTemplate, ...]) -> list[dict[str, Any]]:
    """Criteria as the JSON a protocol and a plan store."""
    return [
        {
            "code": c.code,
            "text": c.text,
            "finding": c.finding,
            "at_least": str(c.at_least) if c.at_least is not None else None,
            "at_most": str(c.at_most) if c.at_most is not None else None,
        }
        for c in criteria
    ]
