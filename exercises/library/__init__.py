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
from exercises.library.schema import ExerciseSeed

EXERCISES: list[ExerciseSeed] = [
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

__all__ = ["EXERCISES", "MODALITIES"]
