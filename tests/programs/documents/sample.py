"""Program sheets for tests and the benchmark, with line drawings like the library's.

The drawings are two-panel stick figures (start and end position) of about the size and
complexity of the pose renderer's output, varied per exercise so no two are identical.
"""

import math
from datetime import date

from programs.documents.sheet import (
    ClinicHeading,
    ExerciseCard,
    GaitCueCard,
    HomeModality,
    ProgramSheet,
    RunPlanTable,
    RunStageRow,
)
from programs.home.dosage import Dosage


def _limb(x: float, y: float, angle: float, length: float) -> tuple[float, float]:
    return x + length * math.sin(math.radians(angle)), y + length * math.cos(math.radians(angle))


def _figure(offset: float, lean: float, knee: float, arm: float) -> str:
    hip = (offset + 120, 130.0)
    neck = _limb(*hip, 180 + lean, 52)
    knee_n = _limb(*hip, knee, 46)
    ankle_n = _limb(*knee_n, 0, 44)
    knee_f = _limb(*hip, -knee / 2, 46)
    ankle_f = _limb(*knee_f, 0, 44)
    elbow = _limb(*neck, arm, 29)
    hand = _limb(*elbow, arm + 20, 27)

    def line(a: tuple[float, float], b: tuple[float, float], colour: str, width: int) -> str:
        return (
            f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
            f'stroke="{colour}" stroke-width="{width}" stroke-linecap="round"/>'
        )

    return "".join(
        [
            f'<rect x="{offset + 0.5}" y="0.5" width="239" height="239" rx="8" fill="#fff" '
            'stroke="#d5dbe3"/>',
            f'<line x1="{offset + 8}" y1="222" x2="{offset + 232}" y2="222" stroke="#6b7480" '
            'stroke-width="2"/>',
            line(hip, knee_f, "#9aa6b4", 7),
            line(knee_f, ankle_f, "#9aa6b4", 7),
            line(hip, neck, "#1d2b3a", 9),
            line(hip, knee_n, "#1d2b3a", 7),
            line(knee_n, ankle_n, "#1d2b3a", 7),
            line(neck, elbow, "#1d2b3a", 7),
            line(elbow, hand, "#1d2b3a", 7),
            f'<circle cx="{neck[0]:.1f}" cy="{neck[1] - 18:.1f}" r="10" fill="#1d2b3a"/>',
        ]
    )


def stick_figure_svg(title: str, seed: int) -> str:
    start = _figure(0, seed % 7 * 3, 10 + seed % 5 * 4, 20 + seed % 11)
    end = _figure(284, seed % 9 * 5, 40 + seed % 7 * 6, 80 + seed % 13 * 4)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 524 240" '
        f'width="393" height="180"><title>{title}</title>{start}'
        '<path d="M248 120H272" stroke="#6b7480" stroke-width="3"/>'
        '<path d="M266 113L276 120L266 127Z" fill="#6b7480"/>'
        f"{end}</svg>"
    )


EXERCISE_NAMES = [
    "Calf raise, both legs",
    "Calf raise, one leg",
    "Bent-knee calf raise",
    "Glute bridge",
    "Side-lying hip abduction",
    "Clamshell",
    "Split squat",
    "Step-down",
    "Wall sit",
    "Single-leg balance",
    "Hip flexor stretch",
    "Hamstring stretch",
    "Dead bug",
    "Side plank",
    "Monster walk",
    "Towel curl",
    "Soleus stretch",
    "Foam roll calves",
    "Single-leg bridge",
    "Lateral step-up",
    "Copenhagen plank",
    "Nordic hamstring lower",
    "Pogo hops",
    "A-skip",
]


def exercise_cards(count: int) -> list[ExerciseCard]:
    cards = []
    for i in range(count):
        name = EXERCISE_NAMES[i % len(EXERCISE_NAMES)]
        if i >= len(EXERCISE_NAMES):
            name = f"{name} (variation {i // len(EXERCISE_NAMES) + 1})"
        cards.append(
            ExerciseCard(
                name=name,
                category="calf_foot_ankle",
                instructions=[
                    "Stand tall with your weight over the middle of the foot.",
                    "Move slowly through the whole range you can manage without sharp pain.",
                    "Return to the start position with control.",
                ],
                cues=["Breathe out as you push.", "Keep the knee over the second toe."],
                illustration_svg=stick_figure_svg(name, i),
                dosage=Dosage(sets=3, reps=15, side="each", times_per_day=2, days_per_week=7),
                patient_note="Use the wall for balance for the first week." if i % 3 == 0 else "",
            )
        )
    return cards


def sample_sheet(count: int = 6, **overrides: object) -> ProgramSheet:
    values: dict[str, object] = {
        "clinic": ClinicHeading(
            name="Riverside Running Rehab",
            address="12 Quay Street\nRiverside",
            phone="555 0100",
            email="hello@riverside.example",
            paper_size="Letter",
        ),
        "patient_name": "Maya Okafor",
        "therapist_name": "Dana Whitfield",
        "therapist_contact": "555 0100",
        "issued_on": date(2026, 11, 27),
        "condition": "Achilles tendinopathy, right",
        "version_label": "version 2",
        "exercises": exercise_cards(count),
        "modalities": [
            HomeModality(
                name="Ice pack",
                instructions="Wrap the pack in a thin towel. 10 minutes after running.",
                dosage="10 minutes, after each run",
            )
        ],
        "run_plan": RunPlanTable(
            name="Walk-run return",
            stages=[
                RunStageRow(3, "Run 2 min, walk 3 min, 6 times", "3 a week", "Easy", True),
                RunStageRow(4, "Run 3 min, walk 2 min, 6 times", "3 a week", "Easy"),
                RunStageRow(5, "Run 4 min, walk 1 min, 6 times", "3 a week", "Easy"),
            ],
        ),
        "gait": GaitCueCard(
            target_spm=172, baseline_spm=160, cues=["Quick, light steps.", "Land under you."]
        ),
        "portal_url": "https://clinic.example/portal/",
    }
    values.update(overrides)
    return ProgramSheet(**values)  # type: ignore[arg-type]
