"""Questionnaires are refused until complete enough to score (answers kept, missing items
named), no "not scored" record is ever stored, and a measure recorded in error is struck with a
reason before signing (after signing only an addendum can say so)."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import Note, OutcomeResponse
from assessments.scoring import ScoringError
from assessments.services import record_outcome, sign_note
from tests.assessments.test_views import INTAKE_POST
from tests.builders import LEFS_50, intake

pytestmark = pytest.mark.django_db


def test_an_incomplete_lefs_is_refused_naming_the_missing_items_and_keeping_the_answers(
    client, episode, therapist
):
    note = intake(episode, therapist)
    client.force_login(therapist)
    answers = {f"q{n}": "3" for n in range(1, 19)}  # 18 of 20
    before = OutcomeResponse.objects.count()
    response = client.post(reverse("assessments:note_outcome", args=[note.pk, "lefs"]), answers)
    assert response.status_code == 200
    page = response.content.decode()
    assert OutcomeResponse.objects.count() == before
    assert "LEFS total cannot be scored yet (18 answered, at least 20 needed)" in page
    from assessments.instruments import LEFS

    missing = [LEFS.item("q19").label, LEFS.item("q20").label]
    assert f"Not answered: {missing[0]}; {missing[1]}." in page
    assert page.count("Not answered yet.") == 2  # beside q19 and q20
    for n in range(1, 19):
        assert f'name="q{n}" value="3" class="form-check-input" id="id_q{n}_3" checked' in page


def test_an_empty_koos_pf_is_refused(client, episode, therapist):
    note = intake(episode, therapist)
    client.force_login(therapist)
    response = client.post(reverse("assessments:note_outcome", args=[note.pk, "koos_pf"]), {})
    assert response.status_code == 200
    assert "KOOS-PF cannot be scored yet (0 answered, at least 6 needed)" in (
        response.content.decode()
    )
    assert not OutcomeResponse.objects.filter(instrument="koos_pf").exists()


def test_the_service_never_stores_a_not_scored_record(episode, therapist):
    note = intake(episode, therapist)
    with pytest.raises(ScoringError, match="Not complete enough to score"):
        record_outcome(
            episode=episode, instrument_code="lefs", answers={"q1": 3}, by=therapist, note=note
        )
    assert all(
        all(s["score"] is not None for s in r.scores.values())
        for r in OutcomeResponse.objects.all()
    )


def test_a_questionnaire_can_be_taken_within_the_intake_form(client, episode, therapist):
    note = intake(episode, therapist)
    note.outcome_responses.filter(instrument="lefs").delete()
    client.force_login(therapist)
    page = client.get(reverse("assessments:note_edit", args=[note.pk])).content.decode()
    assert 'id="section-outcome-measures"' in page
    data = {**INTAKE_POST, **{f"lefs-q{n}": "2" for n in range(1, 21)}}
    response = client.post(reverse("assessments:note_edit", args=[note.pk]), data)
    assert response.status_code == 302
    assert note.outcome_responses.get(instrument="lefs").score("total") == 40


def test_an_incomplete_questionnaire_within_the_intake_saves_nothing(client, episode, therapist):
    note = intake(episode, therapist)
    note.outcome_responses.filter(instrument="lefs").delete()
    before = Note.objects.get(pk=note.pk).content
    client.force_login(therapist)
    data = {**INTAKE_POST, "gait_notes": "changed", "lefs-q1": "2"}
    response = client.post(reverse("assessments:note_edit", args=[note.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Lower Extremity Functional Scale: " in page
    assert Note.objects.get(pk=note.pk).content == before
    assert not note.outcome_responses.filter(instrument="lefs").exists()


def test_a_measure_recorded_in_error_is_struck_with_a_reason_before_signing(
    client, episode, therapist
):
    note = intake(episode, therapist)
    lefs = note.outcome_responses.get(instrument="lefs")
    client.force_login(therapist)
    url = reverse("assessments:outcome_strike", args=[lefs.pk])
    client.post(url, {"reason": ""})
    lefs.refresh_from_db()
    assert not lefs.is_struck  # a reason is required
    client.post(url, {"reason": "Answered for the other knee"})
    lefs.refresh_from_db()
    assert lefs.is_struck
    assert lefs.struck_by == therapist
    page = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert "<del>Lower Extremity Functional Scale" in page
    assert "Answered for the other knee" in page
    # struck, so it can be taken again within the note
    edit = client.get(reverse("assessments:note_edit", args=[note.pk])).content.decode()
    assert 'name="lefs-q1"' in edit


def test_after_signing_a_measure_cannot_be_struck(client, episode, therapist):
    note = intake(episode, therapist)
    sign_note(note=note, by=therapist)
    lefs = note.outcome_responses.get(instrument="lefs")
    client.force_login(therapist)
    response = client.post(
        reverse("assessments:outcome_strike", args=[lefs.pk]), {"reason": "Wrong"}
    )
    assert response.status_code == 409
    lefs.refresh_from_db()
    assert not lefs.is_struck
    note.refresh_from_db()
    assert note.hash_matches()


def test_another_clinic_cannot_strike_a_measure(client, episode, therapist, other_therapist):
    note = intake(episode, therapist)
    lefs = note.outcome_responses.get(instrument="lefs")
    client.force_login(other_therapist)
    response = client.post(
        reverse("assessments:outcome_strike", args=[lefs.pk]), {"reason": "Wrong"}
    )
    assert response.status_code == 404


def test_the_portal_refuses_an_incomplete_questionnaire_and_keeps_the_answers(
    client, episode, therapist, patient_user
):
    from assessments.services import assign_outcome

    assignment = assign_outcome(
        episode=episode, instrument_code="lefs", by=therapist, due_on=dt.date(2026, 12, 20)
    )
    client.force_login(patient_user)
    data = {k: str(v) for k, v in list(LEFS_50.items())[:19]}
    response = client.post(reverse("assessments:portal_measure", args=[assignment.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not answered:" in page
    assert page.count("This field is required.") == 1  # one message for q20, not two
    assert 'id="id_q1_3" required checked' in page  # LEFS_50 answers 3 to q1
    assignment.refresh_from_db()
    assert not assignment.is_done
