"""The library that ships with the app: exercises by category, and modalities.

Plain data (no Django). `exercises.seed` loads it into the database; tests check its integrity.
"""

from exercises.library import (
    balance,
    band,
    calf_foot,
    core,
    drills,
    hip,
    knee,
    mobility,
    plyometrics,
    soft_tissue,
    stretching,
)
from exercises.library.modalities import MODALITIES
from exercises.library.review import reviewed
from exercises.library.schema import ExerciseSeed

_DRAWN: list[ExerciseSeed] = [
    *soft_tissue.EXERCISES,
    *stretching.EXERCISES,
    *mobility.EXERCISES,
    *band.EXERCISES,
    *core.EXERCISES,
    *hip.EXERCISES,
    *calf_foot.EXERCISES,
    *knee.EXERCISES,
    *plyometrics.EXERCISES,
    *balance.EXERCISES,
    *drills.EXERCISES,
]
# Each drawing carries its reviewed plane, moving joint and target (exercises/library/review.py).
EXERCISES: list[ExerciseSeed] = [reviewed(seed) for seed in _DRAWN]

__all__ = ["EXERCISES", "MODALITIES"]
