"""The therapist's Today page: each queue shows its item while the condition holds and drops
it once resolved; the page is the therapist's landing page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Note
from assessments.schedules import QuestionnaireSchedule
from assessments.services import record_outcome, start_note
from programs.home.services import record_completion
from rehab_clinic.accounts.models import Invitation, User
from rehab_clinic.accounts.services import invite_patient
from tests.builders import LEFS_50, daily, intake, log_run, make_plan, make_program
from tests.factories import EpisodeFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def queue_text(client: Any, key: str) -> str:
    """The text of one queue's section on the Today page."""
    html = client.get(reverse("patients:today")).content.decode()
    match = re.search(rf'data-queue="{key}".*?</section>', html, re.S)
    assert match, f"no {key} queue on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


@pytest.fixture
def runner(clinic: Any, therapist: User) -> Any:
    patient = PatientFactory(clinic=clinic, primary_therapist=therapist, first_name="Rosa")
    return EpisodeFactory(patient=patient, label="Patellar tendinopathy, left")


@pytest.fixture
def signed_in(client: Any, therapist: User) -> Any:
    client.force_login(therapist)
    return client


def test_a_therapist_lands_on_today(signed_in: Any) -> None:
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:today")


def test_empty_queues_say_nothing_waiting(signed_in: Any) -> None:
    page = signed_in.get(reverse("patients:today")).content.decode()
    assert page.count("Nothing waiting.") == 8  # one per queue, unread messages included
    assert "nothing waiting in any queue" in page


def test_a_limp_appears_with_what_the_runner_wrote_until_the_next_visit(
    signed_in: Any, runner: Any, therapist: User
) -> None:
    plan = make_plan(runner, therapist)
    today = runner.patient.clinic.today()
    log_run(plan, therapist, today, limp=True, pain_during=6, notes="Knee gave way at 3 km")
    text = queue_text(signed_in, "runners")
    assert "Rosa Tester" in text
    assert "Limp or changed gait" in text
    assert "Runner wrote: “Knee gave way at 3 km”" in text
    assert (
        reverse("programs:rtr_plan_detail", args=[plan.pk])
        in signed_in.get(reverse("patients:today")).content.decode()
    )

    daily(runner, therapist, day=today)  # the visit that saw it
    assert "Rosa Tester" not in queue_text(signed_in, "runners")


def test_the_runners_queue_ignores_another_therapists_patient(
    signed_in: Any, runner: Any, therapist: User, clinic: Any
) -> None:
    runner.patient.primary_therapist = UserFactory(clinic=clinic)
    runner.patient.save()
    plan = make_plan(runner, therapist)
    log_run(plan, therapist, clinic.today(), limp=True)
    assert "Rosa Tester" not in queue_text(signed_in, "runners")


def test_unsigned_drafts_are_own_and_oldest_first_until_signed(
    signed_in: Any, runner: Any, therapist: User, clinic: Any
) -> None:
    first = start_note(episode=runner, kind=Note.Kind.DAILY, by=therapist)
    second = start_note(episode=runner, kind=Note.Kind.PROGRESS, by=therapist)
    Note.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    start_note(episode=runner, kind=Note.Kind.INTAKE, by=UserFactory(clinic=clinic))
    text = queue_text(signed_in, "drafts")
    assert text.index("Daily note") < text.index("Progress note")
    assert "Initial evaluation" not in text
    first.sign(by=therapist)
    second.sign(by=therapist)
    assert "Rosa Tester" not in queue_text(signed_in, "drafts")


def test_a_draft_is_aged_in_the_clinics_days_not_utcs(
    signed_in: Any, runner: Any, therapist: User, clinic: Any, monkeypatch: Any
) -> None:
    clinic.timezone = "America/Chicago"
    clinic.save(update_fields=["timezone"])
    # 20:30 in Chicago on 1 December is 02:30 UTC on the 2nd: the clinic's day is still the 1st.
    evening = dt.datetime(2026, 12, 2, 2, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    note = start_note(episode=runner, kind=Note.Kind.DAILY, by=therapist)
    Note.objects.filter(pk=note.pk).update(created_at=evening)
    text = queue_text(signed_in, "drafts")
    assert "Started today" in text
    assert "-1 days" not in text
    Note.objects.filter(pk=note.pk).update(created_at=evening - dt.timedelta(days=1))
    assert "Started yesterday" in queue_text(signed_in, "drafts")
    Note.objects.filter(pk=note.pk).update(created_at=evening - dt.timedelta(days=4))
    assert "Started 4 days ago" in queue_text(signed_in, "drafts")


def test_a_progress_note_is_due_after_the_clinics_number_of_visits(
    signed_in: Any, runner: Any, therapist: User, clinic: Any
) -> None:
    clinic.progress_note_every = 3
    clinic.save()
    intake(runner, therapist, signed=True, day=dt.date(2026, 1, 5))
    for day in (6, 7):
        daily(runner, therapist, day=dt.date(2026, 1, day))
    assert "Rosa Tester" not in queue_text(signed_in, "progress")
    daily(runner, therapist, day=dt.date(2026, 1, 8))
    text = queue_text(signed_in, "progress")
    assert "Rosa Tester: 3 visits since the last report" in text
    assert "3 or more visits" in text

    note = start_note(episode=runner, kind=Note.Kind.PROGRESS, by=therapist)
    Note.objects.filter(pk=note.pk).update(visit_date=dt.date(2026, 1, 9))
    assert "Rosa Tester" not in queue_text(signed_in, "progress")


def test_the_lefs_is_due_at_intake_then_every_two_weeks_by_default(
    signed_in: Any, runner: Any, therapist: User, clinic: Any
) -> None:
    assert "Lower Extremity Functional Scale: due at intake" in queue_text(
        signed_in, "questionnaires"
    )
    response = record_outcome(episode=runner, instrument_code="lefs", answers=LEFS_50, by=therapist)
    assert "Rosa Tester" not in queue_text(signed_in, "questionnaires")
    type(response).objects.filter(pk=response.pk).update(
        taken_on=clinic.today() - dt.timedelta(days=15)
    )
    assert "due every 14 days" in queue_text(signed_in, "questionnaires")


def test_the_questionnaire_schedule_is_the_clinics_data(
    signed_in: Any, runner: Any, therapist: User, clinic: Any
) -> None:
    QuestionnaireSchedule.objects.create(
        clinic=clinic, instrument="lefs", at_intake=False, every_days=None, at_discharge=True
    )
    assert "Rosa Tester" not in queue_text(signed_in, "questionnaires")
    start_note(episode=runner, kind=Note.Kind.DISCHARGE, by=therapist)
    assert "due at discharge" in queue_text(signed_in, "questionnaires")
    record_outcome(episode=runner, instrument_code="lefs", answers=LEFS_50, by=therapist)
    assert "Rosa Tester" not in queue_text(signed_in, "questionnaires")


def test_an_invitation_not_accepted_after_three_days_is_listed_until_accepted(
    signed_in: Any, runner: Any, therapist: User
) -> None:
    invitation = invite_patient(patient=runner.patient, by=therapist, base_url="http://x/")
    assert "Rosa Tester" not in queue_text(signed_in, "invitations")
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=4)
    )
    assert "Rosa Tester" in queue_text(signed_in, "invitations")
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    assert "Rosa Tester" not in queue_text(signed_in, "invitations")


def test_an_active_episode_with_nothing_published_is_listed_until_a_program_is(
    signed_in: Any, runner: Any, therapist: User
) -> None:
    assert "Patellar tendinopathy, left" in queue_text(signed_in, "unplanned")
    program = make_program(runner, therapist, publish=False)
    assert "Rosa Tester" in queue_text(signed_in, "unplanned")
    from programs.home.services import publish_home_program

    publish_home_program(program=program, by=therapist)
    assert "Rosa Tester" not in queue_text(signed_in, "unplanned")


def test_low_adherence_is_listed_until_the_sessions_are_done(
    signed_in: Any, runner: Any, therapist: User, clinic: Any
) -> None:
    program = make_program(runner, therapist, items=2, modality=False)
    text = queue_text(signed_in, "adherence")
    assert "Rosa Tester: 0% done over 14 days" in text
    assert "Under 50%" in text
    version = program.versions.get()
    for item in version.items:
        record_completion(
            version=version, item_key=item["key"], day=clinic.today(), session=1, by=therapist
        )
    assert "Rosa Tester" not in queue_text(signed_in, "adherence")


def test_a_queue_shows_its_top_five_a_count_and_see_all(
    signed_in: Any, therapist: User, clinic: Any
) -> None:
    for _ in range(7):
        EpisodeFactory(patient=PatientFactory(clinic=clinic, primary_therapist=therapist))
    text = queue_text(signed_in, "unplanned")
    assert "See all 7" in text
    assert text.count("Achilles tendinopathy, right") == 5
    whole = signed_in.get(reverse("patients:today_queue", args=["unplanned"]))
    assert whole.content.decode().count("Achilles tendinopathy, right") == 7
    assert signed_in.get(reverse("patients:today_queue", args=["nope"])).status_code == 404


def test_today_is_for_therapists(client: Any, clinic_admin: User, patient_user: User) -> None:
    url = reverse("patients:today")
    assert client.get(url).status_code == 302
    for user in (clinic_admin, patient_user):
        client.force_login(user)
        assert client.get(url).status_code in (302, 403, 404)


def test_a_note_begun_outside_a_request_is_dated_by_the_clinics_day(
    runner: Any, therapist: User, clinic: Any, monkeypatch: Any
) -> None:
    clinic.timezone = "America/Chicago"
    clinic.save(update_fields=["timezone"])
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 2, 2, 30, tzinfo=dt.UTC))
    note = start_note(episode=runner, kind=Note.Kind.DAILY, by=therapist)  # as seed_demo does
    assert note.visit_date == dt.date(2026, 12, 1)


def test_a_limp_reaches_today_and_the_caseload_however_many_runners_the_clinic_flags(
    signed_in: Any, runner: Any, therapist: User, clinic: Any
) -> None:
    """More flagged runners at the clinic than a panel lists (FLAGGED_LIMIT), all of them
    before Rosa by name and in another therapist's care: Rosa's limp is still on her
    therapist's Today, in her caseload row and behind the caseload's Flagged filter."""
    from programs.running.flag_models import PlanFlag  # local import: only this test writes flags
    from programs.running.flags import FLAGGED_LIMIT  # local import: as above

    colleague = UserFactory(clinic=clinic)
    today = clinic.today()
    for n in range(FLAGGED_LIMIT + 1):
        other = EpisodeFactory(
            patient=PatientFactory(
                clinic=clinic, primary_therapist=colleague, last_name=f"Abbott{n:02d}"
            )
        )
        PlanFlag.objects.create(
            plan=make_plan(other, colleague),
            clinic=clinic,
            kind="limp",
            date=today,
            message="Limp or changed gait.",
            shown_from=today,
            shown_until=today + dt.timedelta(days=5),
        )
    plan = make_plan(runner, therapist)
    log_run(plan, therapist, today, limp=True, pain_during=6, notes="Knee gave way")

    assert "Rosa Tester" in queue_text(signed_in, "runners")
    mine = signed_in.get(reverse("patients:caseload") + "?mine=1").content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Rosa(?:(?!</tr>).)*</tr>", mine, re.S)
    assert row
    assert "Limp or changed gait" in row.group(0)
    flagged = signed_in.get(reverse("patients:caseload") + "?flagged=1&mine=1").content.decode()
    assert "Rosa" in flagged
