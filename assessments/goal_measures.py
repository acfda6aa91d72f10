"""The measures of ours a plan-of-care goal may be linked to: an outcome score (instrument and
subscale) and a hop test's limb symmetry index. Registered with patients.goals in
AssessmentsConfig.ready(); each reader runs one query for all the episode's goals of its kind.

A value counts from the day it was taken (a questionnaire) or the visit it was recorded at (a
hop test in a saved note), signed or not: a progress report drafted today reads the hop retest
typed into it, and its signature then keeps what it showed (docs/goals.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from assessments.hops import HOP_TESTS, hop_trend
from assessments.instruments import INSTRUMENTS
from assessments.models import Note, OutcomeResponse
from patients.goals import GoalProgress, MeasureOption, Reading, goal_progress
from patients.models import CareGoal, Episode


def outcome_options() -> list[MeasureOption]:
    return [
        MeasureOption(
            f"{CareGoal.Measure.OUTCOME}:{code}.{subscale.code}",
            instrument.name
            if len(instrument.subscales) == 1
            else f"{instrument.name}: {subscale.label}",
            at_least=subscale.higher_is_better,
        )
        for code, instrument in INSTRUMENTS.items()
        for subscale in instrument.subscales
    ]


def hop_options() -> list[MeasureOption]:
    return [
        MeasureOption(f"{CareGoal.Measure.HOP_LSI}:{hop.code}", f"{hop.label}, LSI %")
        for hop in HOP_TESTS
    ]


def _reading(series: list[tuple[dt.date, Decimal]]) -> Reading:
    if not series:
        return Reading(None, None)
    return Reading(series[0][1], series[-1][1], series[-1][0])


def outcome_reader(
    episode: Episode, goals: Sequence[CareGoal], as_of: dt.date
) -> dict[int, Reading]:
    codes = {goal.measure_code.partition(".")[0] for goal in goals}
    responses = list(
        OutcomeResponse.objects.filter(
            episode=episode, instrument__in=codes, taken_on__lte=as_of, struck_at__isnull=True
        ).order_by("taken_on", "id")
    )
    readings = {}
    for goal in goals:
        instrument, _, subscale = goal.measure_code.partition(".")
        series = [
            (r.taken_on, Decimal(str(score)))
            for r in responses
            if r.instrument == instrument and (score := r.score(subscale)) is not None
        ]
        readings[goal.pk] = _reading(series)
    return readings


def hop_reader(episode: Episode, goals: Sequence[CareGoal], as_of: dt.date) -> dict[int, Reading]:
    notes = Note.objects.filter(
        episode=episode, visit_date__lte=as_of, saved_at__isnull=False
    ).values_list("visit_date", "content")
    evaluations = [(day, content.get("hops", [])) for day, content in notes if content.get("hops")]
    trend = hop_trend(evaluations, injured_side=episode.side)
    return {goal.pk: _reading(trend.get(goal.measure_code, [])) for goal in goals}


# The notes that report on the plan of care's goals.
GOAL_REPORTS = (Note.Kind.PROGRESS, Note.Kind.REEVAL, Note.Kind.DISCHARGE)


def note_goals(note: Note) -> list[GoalProgress]:
    """The goals a report shows: as kept at signing once signed, else as of its visit date."""
    if note.kind not in GOAL_REPORTS:
        return []
    if note.is_signed and "goals" in note.content:
        return [GoalProgress.from_json(row) for row in note.content["goals"]]
    return goal_progress(note.episode, as_of=note.visit_date)


def keep_goal_snapshot(note: Note) -> None:
    """Write the goals' statuses into a report's content just before it is signed, so the
    signature (its content hash) covers them and later measures or edits never change them."""
    if note.kind in GOAL_REPORTS:
        goals = goal_progress(note.episode, as_of=note.visit_date)
        note.content = {**note.content, "goals": [goal.as_json() for goal in goals]}
        note.save(update_fields=["content"])
