"""A plan's life: draft, started (with a readiness override when needed), paused, closed; the
PDF re-rendered once per change; check-ins attached to their run; bone stress limits."""

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from programs.running import services
from programs.running.models import ReturnToRunPlan
from programs.running.plan_forms import PlanCreateForm, PlanLimitsForm
from programs.running.protocols import MetBy, is_bone_stress_code
from programs.running.readiness import readiness_for
from programs.tasks import generate_program_pdf
from rehab_clinic.audit.models import AuditEvent
from tests.builders import check_in, log_run, make_plan, make_program, protocol
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


def _all_criteria_ticked(plan: ReturnToRunPlan, by: Any) -> None:
    services.set_readiness(plan=plan, by=by, ticked=[c["code"] for c in plan.readiness_criteria])


# Drafts and starting -----------------------------------------------------------------------


def test_a_new_plan_is_a_draft_the_runner_does_not_see(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist, start=False)
    assert plan.status == ReturnToRunPlan.Status.DRAFT
    client.force_login(patient_user)
    page = client.get(reverse("programs:rtr_portal_today")).content.decode()
    assert plan.name not in page
    assert client.get(reverse("programs:rtr_portal_log", args=[plan.pk])).status_code == 404


def test_unmet_readiness_cannot_start_without_a_reason(therapist: Any, episode: Any) -> None:
    plan = make_plan(episode, therapist, start=False)
    with pytest.raises(services.ReadinessNotMet) as raised:
        services.start_plan(plan=plan, by=therapist, override_reason="  ")
    assert raised.value.unmet
    plan.refresh_from_db()
    assert plan.status == ReturnToRunPlan.Status.DRAFT


def test_an_override_with_a_reason_starts_the_plan_and_is_audited(
    therapist: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist, start=False)
    services.start_plan(plan=plan, by=therapist, override_reason="Cleared by the surgeon")
    plan.refresh_from_db()
    assert (plan.status, plan.started_by) == (ReturnToRunPlan.Status.ACTIVE, therapist)
    assert plan.readiness_override_reason == "Cleared by the surgeon"
    event = AuditEvent.objects.filter(object_id=str(plan.pk), detail__contains="override").get()
    assert "Cleared by the surgeon" in event.detail
    assert "Not met:" in event.detail
    assert event.user == therapist


def test_met_readiness_starts_without_a_reason(therapist: Any, episode: Any) -> None:
    plan = make_plan(episode, therapist, start=False)
    _all_criteria_ticked(plan, therapist)
    services.start_plan(plan=plan, by=therapist)
    plan.refresh_from_db()
    assert plan.status == ReturnToRunPlan.Status.ACTIVE
    assert plan.readiness_override_reason == ""


def test_the_start_page_asks_for_the_reason_beside_the_field(
    client: Any, therapist: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist, start=False)
    client.force_login(therapist)
    url = reverse("programs:rtr_plan_start", args=[plan.pk])
    page = client.post(url, {"override_reason": ""}).content.decode()
    assert "Write why you start anyway" in page
    plan.refresh_from_db()
    assert plan.is_draft
    response = client.post(url, {"override_reason": "Walking 40 min pain-free"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_active


def test_a_ticked_criterion_the_latest_measurement_contradicts_is_a_conflict(
    therapist: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist, start=False)
    _all_criteria_ticked(plan, therapist)
    with mock.patch(
        "programs.running.readiness.evaluation_findings",
        return_value={"single_leg_heel_raise_reps": 14},
    ):
        status = {s.code: s for s in readiness_for(plan)}
        heel = next(s for s in status.values() if s.finding_value is not None)
        assert heel.met_by == MetBy.CONFLICT
        assert not heel.met
        with pytest.raises(services.ReadinessNotMet):
            services.start_plan(plan=plan, by=therapist)


def test_a_plan_starting_later_refuses_no_start_but_shows_its_date(
    therapist: Any, episode: Any
) -> None:
    from programs.running.status import PlanState, plan_context

    later = episode.patient.clinic.today() + dt.timedelta(days=5)
    plan = make_plan(episode, therapist, started_on=later)
    status = plan_context(plan)["status"]
    assert status.state == PlanState.NOT_STARTED
    assert f"{later:%A} {later.day} {later:%B}" in status.runner_text
    assert not status.can_start_run


def test_runs_cannot_be_logged_on_a_paused_plan(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    services.pause_plan(plan=plan, by=therapist, note="Flu")
    with pytest.raises(ValueError, match="active plan"):
        log_run(plan, patient_user, episode.patient.clinic.today())
    services.resume_plan(plan=plan, by=therapist)
    plan.refresh_from_db()
    assert plan.is_active


# The PDF is re-rendered exactly once per plan change --------------------------------------


@pytest.fixture
def ready_document(episode: Any, therapist: Any) -> ProgramDocument:
    program = make_program(episode, therapist, items=1)
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token="first")
    document.refresh_from_db()
    assert document.state == ProgramDocument.State.READY
    return document


def test_customising_a_plans_stages_queues_the_pdf_exactly_once(
    ready_document: ProgramDocument,
    therapist: Any,
    episode: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    plan = make_plan(episode, therapist)
    ready_document.refresh_from_db()
    if ready_document.state != ProgramDocument.State.READY:
        generate_program_document(ready_document.pk, token="again")
    with (
        # Sent through the outbox after commit (rehab_clinic.outbox.services.send).
        mock.patch.object(generate_program_pdf, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.customise_plan(
            plan=plan,
            by=therapist,
            limits={},
            stages=[{"run_minutes": 2, "walk_minutes": 2, "repeats": 4}],
        )
    send.assert_called_once()
    assert send.call_args.kwargs["args"] == [ready_document.pk]


def test_closing_a_plan_queues_the_pdf_exactly_once(
    ready_document: ProgramDocument,
    therapist: Any,
    episode: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    plan = make_plan(episode, therapist)
    ready_document.refresh_from_db()
    if ready_document.state != ProgramDocument.State.READY:
        generate_program_document(ready_document.pk, token="again")
    with (
        # Sent through the outbox after commit (rehab_clinic.outbox.services.send).
        mock.patch.object(generate_program_pdf, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.close_plan(plan=plan, by=therapist, status="stopped", note="Surgery")
    send.assert_called_once()
    assert send.call_args.kwargs["args"] == [ready_document.pk]


# Check-ins attach to the run the day before -----------------------------------------------


def test_a_check_in_attaches_to_the_run_of_the_day_before(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    today = episode.patient.clinic.today()
    run = log_run(plan, patient_user, today - dt.timedelta(days=1))
    assert check_in(plan, patient_user, today).session_log == run
    assert check_in(plan, patient_user, today - dt.timedelta(days=3)).session_log is None


def test_the_check_in_form_defaults_to_the_morning_after_the_last_run_and_says_when_unattached(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    today = episode.patient.clinic.today()
    log_run(plan, patient_user, today - dt.timedelta(days=3))
    client.force_login(patient_user)
    url = reverse("programs:rtr_portal_check_in", args=[plan.pk])
    morning = today - dt.timedelta(days=2)
    assert f'value="{morning.isoformat()}"' in client.get(url).content.decode()
    response = client.post(
        url, {"date": today.isoformat(), "pain": "0", "stiffness": "0"}, follow=True
    )
    assert "not attached to a run" in response.content.decode()


# Bone stress injuries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "bone"), [("M84.361", True), ("M84.30", True), ("M76.61", False), ("M84.4", False)]
)
def test_stress_fracture_codes_are_bone_stress(code: str, bone: bool) -> None:
    assert is_bone_stress_code(code) is bone


def test_a_bone_stress_episode_proposes_the_bone_stress_protocol_and_confirms_a_tendon_ceiling(
    therapist: Any, patient: Any
) -> None:
    from patients.models import Episode

    episode = EpisodeFactory(patient=patient, icd10_code="M84.361", label="Tibial stress fracture")
    bone = protocol(therapist.clinic, "bsi-conservative")
    tendon = protocol(therapist.clinic, "time-walk-run-ladder")
    tendon.pain_during_max = 5
    tendon.save()
    from programs.running.models import Protocol

    protocols = Protocol.objects.for_clinic(therapist.clinic)
    episodes = Episode.objects.filter(pk=episode.pk)
    today = therapist.clinic.today()
    form = PlanCreateForm(
        initial={"episode": episode.pk}, episodes=episodes, protocols=protocols, today=today
    )
    assert form.initial["protocol"] == bone.pk
    data = {"episode": episode.pk, "protocol": tendon.pk, "started_on": today.isoformat()}
    form = PlanCreateForm(data, episodes=episodes, protocols=protocols, today=today)
    assert not form.is_valid()
    assert "bone stress injury (M84.361" in form.errors["confirm_high_ceiling"][0]
    confirmed = PlanCreateForm(
        {**data, "confirm_high_ceiling": "on"}, episodes=episodes, protocols=protocols, today=today
    )
    assert confirmed.is_valid(), confirmed.errors
    plan = make_plan(episode, therapist, key="bsi-conservative", start=False)
    limits = {f: getattr(plan, f) for f in services.LIMIT_FIELDS}
    form = PlanLimitsForm({**limits, "pain_during_max": 5}, instance=plan)
    assert "confirm_high_ceiling" in form.errors
    assert PlanLimitsForm({**limits, "pain_during_max": 3}, instance=plan).is_valid()


def test_the_plan_page_shows_a_contradicted_tick_as_a_conflict_not_met(
    client: Any, therapist: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist, start=False)
    _all_criteria_ticked(plan, therapist)
    client.force_login(therapist)
    with mock.patch(
        "programs.running.readiness.evaluation_findings",
        return_value={"single_leg_heel_raise_reps": 14},
    ):
        page = client.get(reverse("programs:rtr_plan_detail", args=[plan.pk])).content.decode()
    assert "Conflict" in page
    assert "the latest evaluation says 14" in page
    assert "Start with override" in page


def test_the_new_plan_page_proposes_the_bone_stress_protocol(
    client: Any, therapist: Any, patient: Any
) -> None:
    episode = EpisodeFactory(patient=patient, icd10_code="M84.361")
    protocol(therapist.clinic)
    client.force_login(therapist)
    page = client.get(reverse("programs:rtr_plan_create") + f"?episode={episode.pk}")
    assert "bone stress protocol and its lower pain limits are proposed" in page.content.decode()


def test_the_final_stage_done_by_the_rule_is_complete_on_both_pages(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    from programs.running.status import PlanState, plan_context

    plan = make_plan(episode, therapist)
    last = plan.stages.count()
    services.override_stage(plan=plan, by=therapist, to_stage=last, note="Straight to the top")
    today = episode.patient.clinic.today()
    needed = plan.stages.get(number=last).sessions_to_progress
    for i in range(needed):
        run_day = today - dt.timedelta(days=2 * (needed - i))
        log_run(plan, patient_user, run_day)
        check_in(plan, patient_user, run_day + dt.timedelta(days=1))
    plan.refresh_from_db()
    status = plan_context(plan)["status"]
    assert status.state == PlanState.COMPLETE
    assert not status.can_start_run
    client.force_login(patient_user)
    page = client.get(reverse("programs:rtr_portal_today")).content.decode()
    assert "You have completed your return-to-running plan" in page
    assert "Start today" not in page
    player = client.get(reverse("programs:rtr_portal_player", args=[plan.pk])).content.decode()
    assert 'id="rtr-player"' not in player
