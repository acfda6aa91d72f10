"""Outcome trends: the intake is the baseline, only signed entries dated up to today count,
and a change under the MDC reads "within measurement error"."""

import datetime as dt

import pytest

from assessments.models import Note, OutcomeResponse, mcid_table
from assessments.services import record_outcome, sign_note
from assessments.summaries import outcome_trends
from tests.builders import note_with_pain

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def _trend(episode, instrument="nprs", subscale="pain"):
    responses = OutcomeResponse.objects.filter(episode=episode).select_related("note")
    trends = outcome_trends(responses, mcid_table(episode.patient.clinic_id), today=TODAY)
    return next(t for t in trends if (t.instrument, t.subscale) == (instrument, subscale))


def test_on_a_tie_the_intake_is_the_baseline_not_the_lowest_score(episode, therapist):
    day = dt.date(2026, 10, 1)
    note_with_pain(episode, therapist, Note.Kind.DAILY, day, 3)  # typed first, same visit date
    note_with_pain(episode, therapist, Note.Kind.INTAKE, day, 4)
    trend = _trend(episode)
    assert trend.baseline == 4.0
    assert trend.points[0] == (day, 4.0)


def test_an_unsigned_draft_does_not_count(episode, therapist):
    note_with_pain(episode, therapist, Note.Kind.INTAKE, dt.date(2026, 10, 1), 6)
    note_with_pain(episode, therapist, Note.Kind.DAILY, dt.date(2026, 10, 8), 5)
    note_with_pain(episode, therapist, Note.Kind.DAILY, dt.date(2026, 10, 15), 1, signed=False)
    trend = _trend(episode)
    assert trend.latest == 5.0
    assert len(trend.points) == 2


def test_a_future_dated_entry_does_not_count_or_stretch_the_chart(episode, therapist):
    note_with_pain(episode, therapist, Note.Kind.INTAKE, dt.date(2026, 10, 1), 6)
    note_with_pain(episode, therapist, Note.Kind.DAILY, dt.date(2026, 11, 1), 5)
    future = note_with_pain(
        episode, therapist, Note.Kind.DAILY, dt.date(2026, 11, 2), 2, signed=False
    )
    # Dated ahead by an import or a stray script: the chart must still ignore it.
    OutcomeResponse.objects.filter(note=future).update(taken_on=dt.date(2027, 6, 1))
    sign_note(note=future, by=therapist)
    trend = _trend(episode)
    assert trend.latest == 5.0
    assert all(day <= TODAY for day, _score in trend.points)
    assert "2027" not in trend.svg


def test_a_struck_measure_does_not_count(episode, therapist):
    from assessments.services import strike_outcome

    note_with_pain(episode, therapist, Note.Kind.INTAKE, dt.date(2026, 10, 1), 6)
    later = note_with_pain(
        episode, therapist, Note.Kind.DAILY, dt.date(2026, 11, 1), 3, signed=False
    )
    strike_outcome(response=later.outcome_responses.get(), by=therapist, reason="Wrong patient")
    sign_note(note=later, by=therapist)
    assert _trend(episode).latest == 6.0


def _faam_sports(percent_of_32):
    """FAAM answers: ADL all 4; Sports items summing to ``percent_of_32`` of 32."""
    answers = {f"adl{n}": 4 for n in range(1, 22)}
    remaining = percent_of_32
    for n in range(1, 9):
        answers[f"sp{n}"] = min(4, remaining)
        remaining -= answers[f"sp{n}"]
    return answers


@pytest.mark.parametrize(
    ("sports_before", "sports_after", "label"),
    [
        # 16/32 = 50 % -> 19/32 = 59.38 %: +9.38 reaches the MCID (9) but not the MDC (12.3)
        (16, 19, "Within measurement error (change smaller than the MDC)"),
        # 16/32 -> 21/32 = 65.62 %: +15.62 is beyond the MDC: a real improvement
        (16, 21, "Improved by at least the MCID"),
    ],
)
def test_a_change_under_the_mdc_is_within_measurement_error(
    episode, therapist, sports_before, sports_after, label
):
    intake = note_with_pain(
        episode, therapist, Note.Kind.INTAKE, dt.date(2026, 10, 1), 5, signed=False
    )
    record_outcome(
        episode=episode,
        instrument_code="faam",
        answers=_faam_sports(sports_before),
        by=therapist,
        note=intake,
    )
    sign_note(note=intake, by=therapist)
    later = note_with_pain(
        episode, therapist, Note.Kind.REEVAL, dt.date(2026, 11, 1), 4, signed=False
    )
    record_outcome(
        episode=episode,
        instrument_code="faam",
        answers=_faam_sports(sports_after),
        by=therapist,
        note=later,
    )
    sign_note(note=later, by=therapist)
    trend = _trend(episode, "faam", "sports")
    assert trend.mcid == 9
    assert trend.mdc == 12.3
    assert trend.verdict_label == label


def test_a_measure_on_a_note_is_dated_by_the_visit_on_record_not_the_callers_copy(
    episode, therapist
):
    # note_with_pain saves the visit date through the service; its Note object is the copy
    # start_note returned, whose date is still the default.
    note = note_with_pain(
        episode, therapist, Note.Kind.INTAKE, dt.date(2026, 10, 1), 5, signed=False
    )
    response = record_outcome(
        episode=episode, instrument_code="faam", answers=_faam_sports(10), by=therapist, note=note
    )
    assert response.taken_on == dt.date(2026, 10, 1)
