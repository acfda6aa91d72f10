"""Stored flags: the running services write the rule's output per plan when a log, check-in,
stage change or new limits change it; the caseload reads the rows; `rebuild_rtr_flags`
reproduces them; a flag past the 7-day window drops out with no job."""

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.running import flags, services
from programs.running.flag_models import PlanFlag
from programs.running.flag_services import plan_flags
from programs.running.flags import FlagKind
from rehab_clinic.accounts.models import Clinic
from tests.factories import EpisodeFactory, PatientFactory

from .factories import check_in, log_run, make_plan

pytestmark = pytest.mark.django_db


def _today(episode: Any) -> dt.date:
    return episode.patient.clinic.today()  # type: ignore[no-any-return]


def _stored(plan: Any) -> set[str]:
    return set(PlanFlag.objects.filter(plan=plan).values_list("kind", flat=True))


def _read(user: Any, today: dt.date) -> dict[int, list[Any]]:
    return {item.plan.pk: item.flags for item in flags.flagged_patients(user, today=today)}


def _live(plan: Any, today: dt.date) -> list[Any]:
    """What the rule says from every row of the plan, the way the plan page computes it."""
    return plan_flags(
        plan,
        logs=list(plan.logs.all()),
        check_ins=list(plan.check_ins.all()),
        changes=list(plan.changes.select_related("session_log")),
        today=today,
    )


def _kind_cases() -> list[tuple[str, Any]]:
    def pain(plan: Any, user: Any, today: dt.date) -> None:
        log_run(plan, user, today - dt.timedelta(days=1), pain_during=8)

    def limp(plan: Any, user: Any, today: dt.date) -> None:
        log_run(plan, user, today - dt.timedelta(days=1), limp=True)

    def swelling(plan: Any, user: Any, today: dt.date) -> None:
        log_run(plan, user, today - dt.timedelta(days=1), swelling="mild")

    def stop_sign(plan: Any, user: Any, today: dt.date) -> None:
        log_run(plan, user, today - dt.timedelta(days=2))
        check_in(plan, user, today - dt.timedelta(days=1), pain=6)

    def not_settled(plan: Any, user: Any, today: dt.date) -> None:
        log_run(plan, user, today - dt.timedelta(days=2))
        check_in(plan, user, today - dt.timedelta(days=1), pain=3)

    def spike(plan: Any, user: Any, today: dt.date) -> None:
        log_run(plan, user, today - dt.timedelta(days=20), run_minutes="10")
        log_run(plan, user, today - dt.timedelta(days=1), run_minutes="20")

    def weekly(plan: Any, user: Any, today: dt.date) -> None:
        log_run(plan, user, today - dt.timedelta(days=10), run_minutes="5")
        log_run(plan, user, today - dt.timedelta(days=3), run_minutes="5")
        log_run(plan, user, today - dt.timedelta(days=1), run_minutes="5")

    return [
        (FlagKind.PAIN_ABOVE_CEILING, pain),
        (FlagKind.STEP_BACK, pain),
        (FlagKind.LIMP, limp),
        (FlagKind.SWELLING, swelling),
        (FlagKind.STOP_SIGN, stop_sign),
        (FlagKind.MORNING_NOT_SETTLED, not_settled),
        (FlagKind.LONG_RUN_SPIKE, spike),
        (FlagKind.WEEKLY_VOLUME_SPIKE, weekly),
    ]


@pytest.mark.parametrize(("kind", "make"), _kind_cases(), ids=[k for k, _ in _kind_cases()])
def test_a_log_or_check_in_that_meets_each_flag_kind_stores_it(
    therapist: Any, patient_user: Any, episode: Any, kind: str, make: Any
) -> None:
    today = _today(episode)
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=40))
    assert not PlanFlag.objects.filter(plan=plan).exists()
    make(plan, patient_user, today)
    assert kind in _stored(plan)
    # The stored flags are the rule's output, not a second rule.
    assert _read(therapist, today)[plan.pk] == _live(plan, today)


def test_a_later_settled_morning_clears_the_stored_not_settled_flag(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    today = _today(episode)
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=40))
    log_run(plan, patient_user, today - dt.timedelta(days=3))
    check_in(plan, patient_user, today - dt.timedelta(days=2), pain=3)
    assert FlagKind.MORNING_NOT_SETTLED in _stored(plan)
    check_in(plan, patient_user, today - dt.timedelta(days=1), pain=0)
    assert FlagKind.MORNING_NOT_SETTLED not in _stored(plan)
    assert _read(therapist, today).get(plan.pk, []) == _live(plan, today)


def test_a_therapist_step_back_and_new_limits_rewrite_the_stored_flags(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    today = _today(episode)
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=40))
    log_run(plan, patient_user, today - dt.timedelta(days=4), pain_during=1)
    services.override_stage(plan=plan, by=therapist, to_stage=2, note="Going well")
    assert not _stored(plan)  # a step forward is no flag

    services.override_stage(plan=plan, by=therapist, to_stage=1, note="Sore calf")
    assert _stored(plan) == {FlagKind.STEP_BACK}

    log_run(plan, patient_user, today - dt.timedelta(days=1), pain_during=6)
    assert FlagKind.PAIN_ABOVE_CEILING in _stored(plan)
    plan.refresh_from_db()
    services.customise_plan(plan=plan, by=therapist, limits={"pain_during_max": 7}, stages=[])
    assert FlagKind.PAIN_ABOVE_CEILING not in _stored(plan)
    plan.refresh_from_db()
    assert _read(therapist, today)[plan.pk] == _live(plan, today)


def _varied_clinic(therapist: Any, patient_user: Any, episode: Any) -> None:
    today = _today(episode)
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=40))
    log_run(plan, patient_user, today - dt.timedelta(days=12), run_minutes="5")
    log_run(plan, patient_user, today - dt.timedelta(days=3), limp=True, notes="calf tight")
    check_in(plan, patient_user, today - dt.timedelta(days=2), pain=3)
    for n, pain in enumerate([1, 7, 2]):
        patient = PatientFactory(clinic=episode.patient.clinic, primary_therapist=therapist)
        other = make_plan(EpisodeFactory(patient=patient), therapist)
        log_run(other, patient_user, today - dt.timedelta(days=n + 1), pain_during=pain)


def test_the_rebuild_command_reproduces_what_the_save_path_stored_and_is_idempotent(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    _varied_clinic(therapist, patient_user, episode)

    def rows() -> list[tuple[Any, ...]]:
        return list(
            PlanFlag.objects.order_by("plan", "position").values_list(
                "plan", "clinic", "kind", "date", "message", "runner_wrote", "shown_from",
                "shown_until", "position",
            )
        )  # fmt: skip

    saved = rows()
    assert len({row[0] for row in saved}) == 2  # the limp plan and the pain-7 plan
    PlanFlag.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_rtr_flags", stdout=out)
    assert rows() == saved
    assert "Checked 4 plans with recent logs: 2 flagged" in out.getvalue()
    assert "2 plans rewritten" in out.getvalue()

    again = io.StringIO()
    call_command("rebuild_rtr_flags", stdout=again)
    assert rows() == saved
    assert "0 plans rewritten, 0 cleared" in again.getvalue()


def test_the_rebuild_clears_flags_whose_logs_are_gone_and_refuses_an_unknown_clinic(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    today = _today(episode)
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=40))
    # A row no log explains any more (as a restore from an older backup might leave).
    PlanFlag.objects.create(
        plan=plan,
        clinic=episode.patient.clinic,
        kind=FlagKind.LIMP,
        date=today - dt.timedelta(days=1),
        message="Limp",
        shown_from=today,
        shown_until=today + dt.timedelta(days=5),
    )
    out = io.StringIO()
    call_command("rebuild_rtr_flags", "--clinic", str(episode.patient.clinic_id), stdout=out)
    assert not PlanFlag.objects.filter(plan=plan).exists()
    assert "1 cleared" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_rtr_flags", "--clinic", "999999")


def test_a_flag_older_than_the_window_leaves_the_caseload_with_no_job(
    client: Any, therapist: Any, patient_user: Any, episode: Any, monkeypatch: Any
) -> None:
    today = _today(episode)
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=40))
    log_run(plan, patient_user, today - dt.timedelta(days=1), limp=True, notes="walked home")
    client.force_login(therapist)
    caseload = reverse("patients:caseload")
    assert "walked home" in client.get(caseload).content.decode()

    # Five days on the limp (a run 6 days back) is still in the window; the day after it is not.
    rows_before = list(PlanFlag.objects.values_list("pk", flat=True))
    monkeypatch.setattr(Clinic, "today", lambda self: today + dt.timedelta(days=5))
    assert "walked home" in client.get(caseload).content.decode()
    monkeypatch.setattr(Clinic, "today", lambda self: today + dt.timedelta(days=6))
    assert "walked home" not in client.get(caseload).content.decode()
    assert list(PlanFlag.objects.values_list("pk", flat=True)) == rows_before  # nothing ran
    assert _read(therapist, today + dt.timedelta(days=6)) == {}
    assert _live(plan, today + dt.timedelta(days=6)) == []


def test_a_weekly_spike_that_only_shows_later_is_stored_for_the_day_it_shows(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    """The weekly comparison moves with the day: with no new log, dropping a big run out of
    last week can raise a spike tomorrow. The rows hold each day's answer ahead of time."""
    today = _today(episode)
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=40))
    log_run(plan, patient_user, today - dt.timedelta(days=13), run_minutes="10")
    log_run(plan, patient_user, today - dt.timedelta(days=8), run_minutes="1")
    log_run(plan, patient_user, today - dt.timedelta(days=2), run_minutes="5")
    for ahead in range(0, 8):
        day = today + dt.timedelta(days=ahead)
        assert _read(therapist, day).get(plan.pk, []) == _live(plan, day), ahead
    assert any(
        f.kind == FlagKind.WEEKLY_VOLUME_SPIKE
        for ahead in range(1, 7)
        for f in _live(plan, today + dt.timedelta(days=ahead))
    )


def test_mine_and_the_limit_bound_what_is_read(
    therapist: Any, patient_user: Any, episode: Any, django_assert_num_queries: Any
) -> None:
    _varied_clinic(therapist, patient_user, episode)
    today = _today(episode)
    everyone = flags.flagged_patients(therapist, today=today)
    assert (len(everyone), everyone.total, everyone.more) == (2, 2, 0)
    # The clinic's newest flag row (a walk reads `limit` rows first), the count, then the
    # first plan with its flags.
    with django_assert_num_queries(3):
        first = flags.flagged_patients(therapist, today=today, limit=1)
    assert (len(first), first.total, first.more) == (1, 2, 1)
    assert first[0].plan.pk == everyone[0].plan.pk
    episode.patient.primary_therapist = None
    episode.patient.save()
    mine = flags.flagged_patients(therapist, today=today, mine=True)
    assert [item.patient for item in mine] == [
        item.patient for item in everyone if item.patient != episode.patient
    ]


def test_the_panel_lists_the_newest_flag_first_and_stops_counting_past_its_rows(
    therapist: Any,
    patient_user: Any,
    episode: Any,
    monkeypatch: Any,
    django_assert_num_queries: Any,
) -> None:
    """The clinic's panel lists the runner flagged most recently first (who needs a look
    soonest), whatever their name; it reads its rows a walk at a time along the index and
    counts no further than COUNT_ROWS rows, saying "more than" beyond them."""
    today = _today(episode)
    clinic = episode.patient.clinic
    plans = {}
    for back, name in [(3, "Abbott"), (1, "Young"), (2, "Moss"), (5, "Zeller")]:
        patient = PatientFactory(clinic=clinic, primary_therapist=therapist, last_name=name)
        plans[name] = make_plan(EpisodeFactory(patient=patient), therapist)
        log_run(plans[name], patient_user, today - dt.timedelta(days=back), limp=True)
    # An older run of Young's with its own flag: Young is still listed once, by the newest.
    log_run(plans["Young"], patient_user, today - dt.timedelta(days=4), pain_during=8)

    listed = flags.flagged_patients(therapist, today=today)
    assert [item.patient.last_name for item in listed] == ["Young", "Moss", "Abbott", "Zeller"]
    assert (listed.total, listed.capped) == (4, False)
    assert {f.date for f in listed[0].flags} == {today - dt.timedelta(days=n) for n in (1, 4)}

    # Two rows (the limit), then one row a walk: Young's rows of yesterday, then Moss's first;
    # the count over at most two rows stops there and says so.
    youngs_newest = PlanFlag.objects.filter(
        plan=plans["Young"], date=today - dt.timedelta(days=1)
    ).count()
    monkeypatch.setattr(flags, "WALK_ROWS", 1)
    monkeypatch.setattr(flags, "COUNT_ROWS", 2)
    # The first walk reads two rows, the next one each: Young's first two, the rest of
    # Young's, then Moss's: as many walks as Young has rows of yesterday.
    with django_assert_num_queries(youngs_newest + 2):  # the walks, the count, the flags
        first = flags.flagged_patients(therapist, today=today, limit=2)
    assert [item.patient.last_name for item in first] == ["Young", "Moss"]
    assert (first.total, first.more, first.capped) == (2, 0, True)
    monkeypatch.setattr(flags, "COUNT_ROWS", 100)
    first = flags.flagged_patients(therapist, today=today, limit=2)
    assert (first.total, first.more, first.capped) == (4, 2, False)


def test_a_step_back_long_after_the_last_run_is_stored_for_its_whole_window(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    today = _today(episode)
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=40))
    log_run(plan, patient_user, today - dt.timedelta(days=20))
    services.override_stage(plan=plan, by=therapist, to_stage=2, note="Going well")
    services.override_stage(plan=plan, by=therapist, to_stage=1, note="Calf flared at work")
    for ahead in range(0, 9):
        day = today + dt.timedelta(days=ahead)
        assert _read(therapist, day).get(plan.pk, []) == _live(plan, day), ahead
    assert _live(plan, today + dt.timedelta(days=5))
