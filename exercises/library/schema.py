"""Plain data types and the fixed vocabularies of the shipped library (no Django imports).

Dosage presets carry the sources from the domain brief (DOMAIN.md §4); docs/library.md lists
them. Presets marked "clinical default" have no published dose behind them in our sources and
are starting values a clinician is expected to change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("foam_rolling", "Foam rolling and self-massage"),
    ("stretching", "Stretching"),
    ("mobility", "Mobility"),
    ("resistance_band", "Resistance band"),
    ("core", "Core"),
    ("hip_glute", "Hip and glute strength"),
    ("calf_foot_ankle", "Calf, foot and ankle"),
    ("knee_quad", "Knee and quadriceps"),
    ("plyometrics", "Plyometrics and hopping"),
    ("balance", "Balance"),
    ("running_drills", "Running and gait drills"),
)

DIFFICULTIES: tuple[tuple[str, str], ...] = (
    ("beginner", "Beginner"),
    ("intermediate", "Intermediate"),
    ("advanced", "Advanced"),
)

SIDES: tuple[tuple[str, str], ...] = (
    ("each", "Each side"),
    ("left", "Left"),
    ("right", "Right"),
    ("both", "Both sides together"),
)

REGIONS: tuple[tuple[str, str], ...] = (
    ("foot", "Foot"),
    ("ankle", "Ankle"),
    ("calf", "Calf and Achilles"),
    ("shin", "Shin"),
    ("knee", "Knee"),
    ("quadriceps", "Front of thigh"),
    ("hamstrings", "Back of thigh"),
    ("hip", "Hip"),
    ("glutes", "Buttock"),
    ("groin", "Groin and inner thigh"),
    ("lateral_thigh", "Outer thigh"),
    ("lower_back", "Lower back"),
    ("trunk", "Trunk and core"),
    ("upper_back", "Upper back"),
)

EQUIPMENT: tuple[tuple[str, str], ...] = (
    ("none", "No equipment"),
    ("band", "Resistance band"),
    ("foam_roller", "Foam roller"),
    ("step", "Step"),
    ("wall", "Wall"),
    ("chair", "Chair or bench"),
    ("ball", "Ball"),
    ("weights", "Weights"),
    ("box", "Box"),
    ("towel", "Towel or strap"),
    ("balance_pad", "Balance pad or cushion"),
    ("cone", "Cones or markers"),
    ("mat", "Mat"),
)

INJURIES: tuple[tuple[str, str], ...] = (
    ("pfp", "Patellofemoral pain"),
    ("itbs", "Iliotibial band syndrome"),
    ("achilles", "Achilles tendinopathy"),
    ("mtss", "Medial tibial stress syndrome (shin splints)"),
    ("plantar_heel", "Plantar heel pain"),
    ("bone_stress", "Bone stress injury (return phase)"),
    ("hamstring_tendinopathy", "Proximal hamstring tendinopathy"),
    ("gluteal_tendinopathy", "Gluteal tendinopathy (lateral hip pain)"),
    ("ankle_sprain", "Ankle sprain"),
    ("general", "General runner conditioning"),
)


@dataclass(frozen=True)
class Dosage:
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    rest_seconds: int | None = None
    load: str = ""
    tempo: str = ""
    side: str = "both"
    times_per_day: int | None = 1
    days_per_week: int | None = None

    def but(self, **changes: Any) -> Dosage:
        return replace(self, **changes)


# Static stretch: 30 s holds; longer holds add nothing (J Sport Rehabil 2005;14:95) and the same
# daily total split into 3 x 30 s works as well as other splits (Ayala 2010; Johnson 2014).
STRETCH = Dosage(sets=3, hold_seconds=30, rest_seconds=15, side="each", days_per_week=7)
# Novice strength: 8-12 RM, 2-3 days a week, about 1-2 s each way (ACSM 2009, Ratamess et al.).
STRENGTH = Dosage(sets=3, reps=12, rest_seconds=90, tempo="2-0-2", side="both", days_per_week=3)
# Heavy slow resistance (Beyer et al. 2015): 3 s up, 3 s down, 3 sessions a week, 2-3 min rest.
HSR = Dosage(sets=3, reps=15, rest_seconds=150, tempo="3-0-3", side="each", days_per_week=3)
# Alfredson eccentric heel drops: 3 x 15, twice a day, every day.
ECCENTRIC = Dosage(sets=3, reps=15, rest_seconds=60, side="each", times_per_day=2, days_per_week=7)
# Isometric holds: the often quoted 5 x 45 s is unverified (DOMAIN §4); a clinician sets it.
ISOMETRIC = Dosage(sets=5, hold_seconds=45, rest_seconds=60, side="both", days_per_week=4)
# Plyometrics: sets of 20-30 contacts, 60 s between sets (Cannon, functional return to run).
PLYO = Dosage(sets=3, reps=20, rest_seconds=60, side="both", days_per_week=2)
# Clinical defaults (no published dose in our sources): short, frequent, easy to change.
ROLLING = Dosage(sets=1, hold_seconds=60, rest_seconds=0, side="each", days_per_week=5)
MOBILITY = Dosage(sets=2, reps=10, rest_seconds=30, side="each", days_per_week=5)
BALANCE = Dosage(sets=3, hold_seconds=30, rest_seconds=30, side="each", days_per_week=5)
CORE_HOLD = Dosage(sets=3, hold_seconds=30, rest_seconds=60, side="both", days_per_week=3)
DRILL = Dosage(sets=3, reps=1, rest_seconds=60, load="20 m", side="both", days_per_week=2)


@dataclass(frozen=True)
class ExerciseSeed:
    slug: str
    name: str
    category: str
    difficulty: str
    regions: tuple[str, ...]
    equipment: tuple[str, ...]
    injuries: tuple[str, ...]
    instructions: tuple[str, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    precautions: str
    dosage: Dosage
    pose: dict[str, Any]
    aliases: tuple[str, ...] = ()
    regression: str = ""
    progression: str = ""


def exercise(**fields: Any) -> ExerciseSeed:
    """Build an ExerciseSeed from lists (easier to write) turned into tuples."""
    for key, value in fields.items():
        if isinstance(value, list):
            fields[key] = tuple(value)
    return ExerciseSeed(**fields)


@dataclass(frozen=True)
class Parameter:
    """One setting of a modality, with its unit and the range a form accepts."""

    name: str
    label: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    choices: tuple[str, ...] = ()
    step: float = 1
    text: bool = False
    required: bool = True

    @property
    def kind(self) -> str:
        if self.choices:
            return "choice"
        return "text" if self.text else "number"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "type": self.kind,
            "default": self.default,
            "required": self.required,
        }
        if self.choices:
            data["choices"] = list(self.choices)
        elif not self.text:
            data.update(unit=self.unit, min=self.minimum, max=self.maximum, step=self.step)
        return data


@dataclass(frozen=True)
class ModalitySeed:
    slug: str
    name: str
    kind: str
    parameters: tuple[Parameter, ...]
    contraindications: tuple[str, ...]
    precautions: tuple[str, ...]
    home_use: bool
    home_instructions: str
    source: str
    notes: str = ""

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}


MODALITY_KINDS: tuple[tuple[str, str], ...] = (
    ("cold_pack", "Cold pack"),
    ("ice_massage", "Ice massage"),
    ("cold_water_immersion", "Cold water immersion"),
    ("heat", "Superficial heat"),
    ("ultrasound", "Therapeutic ultrasound"),
    ("tens", "TENS"),
    ("nmes", "NMES"),
    ("soft_tissue_massage", "Soft-tissue massage"),
    ("iastm", "Instrument-assisted soft-tissue work"),
    ("dry_needling", "Dry needling"),
    ("compression", "Compression"),
)
