"""Plans, the rule applied to stored logs, overrides, flags and demo data, against the database."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from assessments.content import main_findings
from programs.running import flags, gait_services, protocol_services, readiness, services
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from programs.running.models import Protocol, ReturnToRunPlan
from programs.running.protocols import MetBy
from rehab_clinic.audit.models import AuditEvent
from tests.builders import check_in, log_run, make_plan, protocol
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - dt.timedelta(days=20)


def day(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def test_each_clinic_gets_three_cited_protocols_once(clinic: Any) -> None:
    protocol_services.seed_protocols(clinic=clinic)
    protocol_services.seed_protocols(clinic=clinic)
    protocols = Protocol.objects.for_clinic(clinic)
    assert {p.key for p in protocols} == {
        "time-walk-run-ladder",
        "distance-mgh",
        "bsi-conservative",
    }
    for p in protocols:
        assert p.source
        assert p.stages.exists()


def test_plan_copies_protocol_and_changing_the_protocol_leaves_the_plan(
    episode: Any, therapist: Any
) -> None:
    plan = make_plan(episode, therapist)
    source = plan.protocol
    assert plan.stages.count() == source.stages.count()
    assert plan.pain_during_max == source.pain_during_max
    protocol_services.update_protocol(
        protocol=source, by=therapist, values={"pain_during_max": 1}, stages=[]
    )
    plan.refresh_from_db()
    assert plan.pain_during_max == 3
    assert plan.stages.count() == 6
    assert AuditEvent.objects.filter(action="create", object_id=str(plan.pk)).exists()


def test_bsi_protocol_has_a_lower_pain_ceiling_than_tendon(clinic: Any) -> None:
    assert protocol(clinic, "bsi-conservative").pain_during_max == 2


def test_two_good_runs_with_settled_mornings_move_the_plan_up(
    episode: Any, therapist: Any, patient_user: Any
) -> None:
    plan = make_plan(episode, therapist)
    log_run(plan, patient_user, day(0))
    check_in(plan, patient_user, day(1))
    plan.refresh_from_db()
    assert plan.current_stage == 1
    log_run(plan, patient_user, day(2))
    check_in(plan, patient_user, day(3))
    plan.refresh_from_db()
    assert plan.current_stage == 2
    change = plan.changes.get()
    assert change.decision == "progress"
    assert change.is_pending


def test_pain_above_the_ceiling_steps_back_at_once_and_only_once(
    episode: Any, therapist: Any, patient_user: Any
) -> None:
    plan = make_plan(episode, therapist, pain_during_max=5)
    services.override_stage(plan=plan, by=therapist, to_stage=3, note="Doing well in clinic")
    log_run(plan, patient_user, day(0), pain_during=6)
    plan.refresh_from_db()
    assert plan.current_stage == 2
    change = plan.changes.filter(source="rule").get()
    assert change.rest_day
    assert "6/10" in change.reason
    # The next-morning check-in re-runs the rule but does not step back a second time.
    check_in(plan, patient_user, day(1), pain=2)
    plan.refresh_from_db()
    assert plan.current_stage == 2
    assert plan.changes.filter(source="rule").count() == 1


def test_step_back_at_stage_one_is_recorded_once(
    episode: Any, therapist: Any, patient_user: Any
) -> None:
    plan = make_plan(episode, therapist)
    log_run(plan, patient_user, day(0), pain_during=9)
    check_in(plan, patient_user, day(1), pain=5)
    plan.refresh_from_db()
    assert plan.current_stage == 1
    assert plan.changes.count() == 1


def test_therapist_confirms_or_overrides_with_a_note(
    episode: Any, therapist: Any, patient_user: Any
) -> None:
    plan = make_plan(episode, therapist)
    log_run(plan, patient_user, day(0), pain_during=9)
    pending = plan.changes.get()
    services.confirm_change(change=pending, by=therapist)
    pending.refresh_from_db()
    assert pending.review == StageChange.Review.CONFIRMED
    assert pending.reviewed_by == therapist

    log_run(plan, patient_user, day(2), pain_during=8)
    services.override_stage(plan=plan, by=therapist, to_stage=2, note="Pain was from a fall")
    plan.refresh_from_db()
    assert plan.current_stage == 2
    latest = plan.changes.first()
    assert latest.source == "therapist"
    assert latest.note == "Pain was from a fall"
    assert not plan.changes.filter(review=StageChange.Review.PENDING).exists()


def test_readiness_uses_ticks_and_tolerates_no_evaluation(episode: Any, therapist: Any) -> None:
    plan = make_plan(episode, therapist)
    services.set_readiness(plan=plan, by=therapist, ticked=["walk_30", "not-a-criterion"])
    plan.refresh_from_db()
    assert plan.readiness_ticked == ["walk_30"]
    status = {s.code: s.met_by for s in readiness.readiness_for(plan)}
    assert status["walk_30"] == MetBy.THERAPIST
    assert status["heel_raises_20"] == MetBy.NOT_MET


def test_flagged_patients_reads_stored_flags_in_two_queries_whatever_the_caseload(
    django_assert_num_queries: Any,
    clinic: Any,
    therapist: Any,
    patient_user: Any,
    second_patient_user: Any,
    other_patient_user: Any,
    other_therapist: Any,
) -> None:
    today = timezone.localdate()
    flagged = make_plan(EpisodeFactory(patient=patient_user.patient), therapist)
    calm = make_plan(EpisodeFactory(patient=second_patient_user.patient), therapist)
    elsewhere = make_plan(EpisodeFactory(patient=other_patient_user.patient), other_therapist)
    log_run(flagged, patient_user, today - dt.timedelta(days=1), pain_during=7)
    log_run(calm, second_patient_user, today - dt.timedelta(days=1), pain_during=1)
    log_run(elsewhere, other_patient_user, today - dt.timedelta(days=1), pain_during=9)
    # flagged plans with their patients, then their stored flags (no count: all fitted)
    with django_assert_num_queries(2):
        result = flags.flagged_patients(therapist, today=today)
        names = [(r.patient.full_name, [f.kind for f in r.flags]) for r in result]
    assert names == [(patient_user.patient.full_name, ["pain_above_ceiling", "step_back"])]


def test_flagged_patients_is_empty_for_patients(patient_user: Any) -> None:
    assert flags.flagged_patients(patient_user) == []


def test_gait_prescription_computes_target_and_fading(episode: Any, therapist: Any) -> None:
    prescription = gait_services.create_gait_prescription(
        episode=episode,
        by=therapist,
        baseline_cadence=158,
        increase_pct="7.5",
        cue_type="metronome",
    )
    assert prescription.target_cadence == 170
    feedback = list(prescription.sessions.values_list("feedback", flat=True))
    assert feedback == ["continuous"] * 4 + ["intermittent"] * 2 + ["none"] * 2
    retest = gait_services.record_gait_retest(
        prescription=prescription, by=therapist, date=timezone.localdate(), cadence=168
    )
    assert str(retest.change_from(158)) == "6.3"


def test_demo_seed_gives_maya_her_plan_and_is_idempotent() -> None:
    from patients.seed import seed_demo as patients_seed
    from programs.running.seed import seed_demo

    patients_seed()  # clinics, demo accounts and patients only: all this seed needs
    seed_demo()
    counts = (
        ReturnToRunPlan.objects.count(),
        SessionLog.objects.count(),
        MorningCheckIn.objects.count(),
        StageChange.objects.count(),
        GaitRetrainingPrescription.objects.count(),
        Protocol.objects.count(),
    )
    seed_demo()
    assert counts == (
        ReturnToRunPlan.objects.count(),
        SessionLog.objects.count(),
        MorningCheckIn.objects.count(),
        StageChange.objects.count(),
        GaitRetrainingPrescription.objects.count(),
        Protocol.objects.count(),
    )
    plan = ReturnToRunPlan.objects.get(episode__patient__user__email="patient@demo.clinic")
    assert plan.protocol.key == "time-walk-run-ladder"
    assert plan.status == "active"
    assert plan.current_stage == 3
    assert plan.logs.count() == 8
    assert plan.check_ins.count() == 8
    step_back = plan.changes.get(decision="step_back")
    assert step_back.session_log.pain_during > plan.pain_during_max
    gait = GaitRetrainingPrescription.objects.get(episode=plan.episode)
    assert (gait.baseline_cadence, gait.increase_pct, gait.target_cadence) == (158, 7.5, 170)


def test_findings_from_an_evaluation_are_read_tolerantly() -> None:
    content = {"main": {"heel_raise_right": 22, "pain_now": 1, "notes": "x", "limp": True}}
    findings = main_findings(content, side="right")
    assert findings["single_leg_heel_raise_reps"] == 22
    assert findings["pain_now"] == 1
    assert "notes" not in findings
    assert "limp" not in findings
    assert main_findings({}, side="right") == {}
    assert main_findings({"main": "garbled"}, side="left") == {}


def test_readiness_met_by_a_finding_when_the_evaluation_has_one(
    episode: Any, therapist: Any, monkeypatch: Any
) -> None:
    plan = make_plan(episode, therapist)
    monkeypatch.setattr(
        readiness,
        "evaluation_findings",
        lambda ep: main_findings({"main": {"heel_raise_right": 25, "pain_now": 3}}, side=ep.side),
    )
    status = {s.code: s for s in readiness.readiness_for(plan)}
    assert status["heel_raises_20"].met_by == MetBy.EVALUATION
    assert status["pain_2"].met_by == MetBy.NOT_MET  # 3/10 is above the criterion's 2/10


def test_no_assessments_app_means_no_findings(episode: Any) -> None:
    assert readiness.evaluation_findings(episode) == {}


def test_readiness_reads_the_latest_evaluation_from_the_assessments_app(
    episode: Any, therapist: Any
) -> None:
    from assessments.models import Note

    plan = make_plan(episode, therapist)
    Note.objects.create(
        episode=episode,
        kind="intake",
        author=therapist,
        visit_date=timezone.localdate() - dt.timedelta(days=30),
        content={"main": {"heel_raise_right": 12}},
    )
    Note.objects.create(
        episode=episode,
        kind="reeval",
        author=therapist,
        visit_date=timezone.localdate(),
        content={"main": {"heel_raise_right": 24, "pain_free_walk_minutes": 20}},
    )
    for note in Note.objects.filter(episode=episode):
        note.sign(by=therapist)
    # A newer draft is not what the therapist signed: readiness ignores it.
    Note.objects.create(
        episode=episode,
        kind="progress",
        author=therapist,
        visit_date=timezone.localdate(),
        content={"main": {"heel_raise_right": 40, "pain_free_walk_minutes": 45}},
    )
    status = {s.code: s for s in readiness.readiness_for(plan)}
    assert status["heel_raises_20"].met_by == MetBy.EVALUATION
    assert status["heel_raises_20"].finding_value == 24
    assert status["walk_30"].met_by == MetBy.NOT_MET
    assert status["walk_30"].finding_value == 20
