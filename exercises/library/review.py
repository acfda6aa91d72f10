"""How each shipped drawing was reviewed: its plane of movement, moving joint and target region.

The plane decides the view (frontal and transverse movements are drawn from the front, sagittal
ones from the side); the moving joint gets the motion arrow and is the joint the tests measure;
the target is highlighted. `docs/library.md` prints this table. A note says what was changed or
what to look for on the contact sheet (`manage.py library_sheet`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from exercises.library.schema import ExerciseSeed


@dataclass(frozen=True)
class Review:
    plane: str
    moving: str
    target: tuple[Any, ...]
    note: str = ""


def part(name: str, start: float = 0.0, stop: float = 1.0) -> dict[str, Any]:
    return {"part": name, "from": start, "to": stop}


S, F, T = "sagittal", "frontal", "transverse"
CALF = ("shin_n",)
QUAD = ("thigh_n",)
GLUTE = (part("thigh_n", 0, 0.3),)
TRUNK = ("torso",)
FOOT = ("foot_n",)
OUTER_HIP = (part("thigh_n", 0, 0.35),)

REVIEW: dict[str, Review] = {
    # Foam rolling: the roller stays put and the body travels over it (the hip moves).
    "foam-roll-calf": Review(S, "hip", (part("shin_n", 0.2, 0.8),)),
    "foam-roll-calf-stacked": Review(S, "hip", (part("shin_n", 0.2, 0.8),)),
    "foam-roll-quadriceps": Review(
        S, "hip", (part("thigh_n", 0.25, 0.9),), "roller along the front of the thigh"
    ),
    "foam-roll-outer-thigh": Review(
        F, "hip", (part("thigh_f", 0.1, 0.85),), "redrawn side-lying from the front on the roller"
    ),
    "foam-roll-glutes": Review(S, "hip", GLUTE),
    "foam-roll-hamstrings": Review(S, "hip", (part("thigh_n", 0.2, 0.9),)),
    "foam-roll-inner-thigh": Review(S, "hip", (part("thigh_n", 0.2, 0.8),)),
    "foam-roll-upper-back": Review(S, "hip", (part("torso", 0.5, 1),)),
    "foam-roll-shin": Review(S, "hip", (part("shin_n", 0.1, 0.8),)),
    "ball-roll-foot": Review(S, "ankle_n", FOOT),
    "foam-roll-hip-flexor": Review(
        S, "hip", (part("thigh_n", 0, 0.3),), "roller at the top of the thigh, far knee bent out"
    ),
    # Stretching
    "wall-calf-stretch-straight-knee": Review(S, "", ("shin_f",)),
    "wall-soleus-stretch": Review(S, "", (part("shin_f", 0.4, 1),)),
    "step-calf-stretch": Review(S, "", CALF),
    "standing-quad-stretch": Review(S, "", ("thigh_f",)),
    "kneeling-hip-flexor-stretch": Review(S, "wrist_n", (part("thigh_f", 0, 0.5),)),
    "couch-stretch": Review(S, "", ("thigh_f",)),
    "supine-hamstring-stretch-strap": Review(S, "", ("thigh_n",)),
    "figure-four-stretch": Review(S, "", GLUTE),
    "standing-side-hip-stretch": Review(F, "", OUTER_HIP, "redrawn from the front, crossed legs"),
    "side-lunge-groin-stretch": Review(
        F, "", (part("thigh_f", 0, 0.6),), "redrawn from the front, wide stance"
    ),
    "plantar-fascia-stretch": Review(S, "", FOOT),
    # Mobility
    "leg-swings-front-back": Review(S, "ankle_n", QUAD),
    "leg-swings-side": Review(F, "ankle_n", OUTER_HIP, "redrawn from the front: out and across"),
    "knee-to-wall-ankle-rocks": Review(S, "knee_n", CALF),
    "cat-camel": Review(S, "spine_mid", TRUNK, "spine drawn as a curve: sagging, then rounded"),
    "worlds-greatest-stretch": Review(S, "wrist_n", TRUNK),
    "open-book-rotation": Review(
        T, "wrist_n", (part("torso", 0.5, 1),), "from the front: the top arm opens to the ceiling"
    ),
    "hip-90-90-switches": Review(T, "knee_n", GLUTE, "from the front: both knees swing across"),
    "standing-hip-circles": Review(
        T, "knee_n", OUTER_HIP, "from the front: knee forward, then out to the side"
    ),
    "deep-squat-hold": Review(S, "", QUAD),
    "ankle-alphabet": Review(S, "toe_n", FOOT),
    "overhead-reach-lunge": Review(S, "wrist_n", (part("thigh_f", 0, 0.5),)),
    # Resistance band
    "band-lateral-walk": Review(F, "ankle_n", OUTER_HIP, "front view, the foot steps out"),
    "band-monster-walk": Review(F, "ankle_n", OUTER_HIP, "front view, wide diagonal step"),
    "band-clamshell": Review(F, "knee_n", GLUTE, "side-lying from the front: the top knee opens"),
    "band-glute-bridge": Review(S, "hip", GLUTE),
    "band-standing-hip-abduction": Review(F, "ankle_n", OUTER_HIP, "front view, leg out"),
    "band-kickback": Review(S, "ankle_n", GLUTE),
    "band-ankle-eversion": Review(F, "toe_n", (part("shin_n", 0.5, 1),), "front close-up"),
    "band-ankle-inversion": Review(F, "heel_n", (part("shin_n", 0.5, 1),), "front close-up"),
    "band-ankle-dorsiflexion": Review(S, "toe_n", (part("shin_n", 0, 0.6),)),
    "band-ankle-plantarflexion": Review(S, "toe_n", CALF),
    "band-terminal-knee-extension": Review(S, "knee_n", QUAD),
    "band-pallof-press": Review(S, "wrist_n", TRUNK),
    # Core
    "front-plank": Review(S, "", TRUNK),
    "knee-plank": Review(S, "", TRUNK),
    "plank-leg-lift": Review(S, "ankle_f", GLUTE),
    "side-plank-knees": Review(F, "", TRUNK, "from the front: body side-on to the floor"),
    "side-plank": Review(F, "", TRUNK, "from the front: forearm under the shoulder, arm up"),
    "dead-bug": Review(S, "wrist_n", TRUNK),
    "bird-dog": Review(S, "wrist_n", TRUNK),
    "curl-up": Review(S, "head", TRUNK),
    "hollow-hold": Review(S, "", TRUNK),
    "ball-rollout": Review(S, "shoulder", TRUNK),
    "standing-march-overhead": Review(S, "knee_n", TRUNK),
    # Hip and glute
    "glute-bridge": Review(S, "hip", GLUTE),
    "single-leg-bridge": Review(S, "hip", GLUTE),
    "hip-thrust": Review(S, "hip", GLUTE),
    "clamshell": Review(F, "knee_n", GLUTE, "side-lying from the front: the top knee opens"),
    "side-lying-hip-abduction": Review(F, "ankle_n", OUTER_HIP, "side-lying from the front"),
    "single-leg-deadlift": Review(S, "ankle_f", ("thigh_n",)),
    "step-up": Review(S, "knee_f", QUAD),
    "fire-hydrant": Review(F, "knee_n", OUTER_HIP, "on all fours seen from behind, knee out"),
    "donkey-kick": Review(S, "ankle_f", (part("thigh_f", 0, 0.3),)),
    "hip-hike": Review(
        F, "hip_f", (part("thigh_n", 0, 0.4),), "front close-up of the pelvis: level changes"
    ),
    "copenhagen-plank": Review(F, "", ("thigh_n",), "from the front, top leg on a bench"),
    "standing-hip-abduction-hold": Review(F, "", OUTER_HIP, "front view, knee presses the wall"),
    # Calf, foot and ankle: close-ups where the movement is small.
    "double-leg-calf-raise": Review(S, "heel_n", CALF, "close-up of the lower leg"),
    "single-leg-calf-raise": Review(S, "heel_n", CALF, "close-up of the lower leg"),
    "loaded-calf-raise-step": Review(S, "heel_n", CALF, "close-up, heel below the step first"),
    "seated-calf-raise": Review(S, "knee_n", (part("shin_n", 0.3, 1),)),
    "eccentric-heel-drop-straight": Review(S, "heel_n", CALF, "close-up, heel below the step"),
    "eccentric-heel-drop-bent": Review(S, "heel_n", CALF, "close-up, heel below the step"),
    "calf-raise-isometric": Review(S, "", CALF),
    "short-foot": Review(S, "arch_n", FOOT, "close-up: the arch lifts, the foot shortens"),
    "towel-scrunch": Review(S, "toetip_n", FOOT, "close-up: toes curl, the towel gathers"),
    "tibialis-raise": Review(S, "toe_n", (part("shin_n", 0, 0.7),), "close-up of the foot"),
    "heel-walks": Review(S, "ankle_n", (part("shin_n", 0, 0.7),)),
    "toe-yoga": Review(S, "toetip_n", FOOT, "close-up: the big toe lifts alone"),
    # Knee and quadriceps
    "sit-to-stand": Review(S, "hip", QUAD),
    "bodyweight-squat": Review(S, "hip", QUAD),
    "goblet-squat": Review(S, "hip", QUAD),
    "wall-sit": Review(S, "", QUAD),
    "spanish-squat": Review(S, "", QUAD),
    "split-squat": Review(S, "hip", QUAD),
    "rear-foot-elevated-split-squat": Review(S, "hip", QUAD),
    "reverse-lunge": Review(S, "ankle_f", QUAD),
    "lateral-step-down": Review(S, "knee_n", QUAD),
    "straight-leg-raise": Review(S, "ankle_n", QUAD),
    # Plyometrics
    "pogo-hops": Review(S, "hip", CALF, "higher hop so the flight shows"),
    "single-leg-pogo-hops": Review(S, "hip", CALF, "higher hop so the flight shows"),
    "forward-hops": Review(S, "wrist_n", CALF),
    "lateral-line-hops": Review(F, "hip", CALF, "from the front, across a line"),
    "hop-and-stick": Review(S, "wrist_n", QUAD),
    "skater-bounds": Review(F, "hip", OUTER_HIP, "from the front, side to side"),
    "box-jump": Review(S, "hip", QUAD),
    "drop-landing": Review(S, "hip", QUAD),
    "split-squat-jump": Review(S, "ankle_n", QUAD),
    "bounding": Review(S, "ankle_n", QUAD),
    "jump-rope": Review(S, "hip", CALF, "rope under the feet, then over the head"),
    # Balance
    "single-leg-stance": Review(S, "", (part("shin_n", 0.3, 1),), "eyes drawn open"),
    "tandem-stance": Review(S, "", (part("shin_n", 0.3, 1),)),
    "single-leg-stance-eyes-closed": Review(
        S, "", (part("shin_n", 0.3, 1),), "eyes drawn closed, labelled"
    ),
    "single-leg-stance-cushion": Review(S, "", (part("shin_n", 0.3, 1),)),
    "star-excursion-reach": Review(S, "ankle_f", GLUTE),
    "single-leg-mini-squat": Review(S, "knee_n", QUAD),
    "single-leg-ball-toss": Review(S, "wrist_f", (part("shin_n", 0.3, 1),)),
    "single-leg-arm-swing": Review(S, "wrist_n", (part("shin_n", 0.3, 1),)),
    "single-leg-clock-taps": Review(S, "ankle_f", GLUTE),
    "single-leg-heel-raise-balance": Review(S, "heel_n", CALF),
    # Running drills
    "a-march": Review(S, "knee_n", QUAD),
    "a-skip": Review(S, "knee_f", QUAD),
    "b-skip": Review(S, "ankle_n", ("thigh_n",)),
    "high-knees": Review(S, "knee_f", QUAD),
    "butt-kicks": Review(S, "ankle_n", ("thigh_n",)),
    "straight-leg-bound": Review(S, "ankle_n", ("thigh_n",)),
    "carioca": Review(F, "ankle_n", OUTER_HIP, "from the front: the leg crosses over"),
    "strides": Review(S, "ankle_n", QUAD),
    "quick-cadence-steps": Review(S, "ankle_n", CALF),
    "wall-drill": Review(S, "knee_n", QUAD),
}


def reviewed(seed: ExerciseSeed) -> ExerciseSeed:
    """The seed with its plane, moving joint and target written into its pose data."""
    review = REVIEW[seed.slug]
    pose = {**seed.pose, "plane": review.plane, "target": list(review.target)}
    if review.moving:
        pose["moving"] = review.moving
    return replace(seed, pose=pose)
