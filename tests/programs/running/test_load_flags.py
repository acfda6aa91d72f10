"""Load-spike flags compare a run with what its stage prescribed and with the plan's lookback:
the plan itself is never a spike (DOMAIN 7.4, Frandsen 2025)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from programs.running import flags
from programs.running.flags import FlagKind, detect_flags
from programs.running.progression import PlanLimits, SessionReport, VolumeKind
from programs.running.protocols import PROTOCOLS, StageTemplate
from tests.builders import log_run, make_plan

DAY0 = dt.date(2026, 3, 2)


def _prescribed(stage: StageTemplate, kind: str) -> dict[str, Any]:
    if kind == "distance":
        return {"prescribed_m": stage.run_m}
    return {"prescribed_minutes": stage.run_minutes * stage.repeats}


def _volume_kind(kind: str) -> VolumeKind:
    return VolumeKind.DISTANCE if kind == "distance" else VolumeKind.MINUTES


def _as_prescribed(stage: StageTemplate, kind: str, n: int, number: int) -> SessionReport:
    return SessionReport(
        date=DAY0 + dt.timedelta(days=n), stage_number=number, **_prescribed(stage, kind)
    )


STEPS = [(template, number) for template in PROTOCOLS for number in range(1, len(template.stages))]


@pytest.mark.parametrize(
    ("template", "number"),
    STEPS,
    ids=[f"{t.key}-stage-{n}-to-{n + 1}" for t, n in STEPS],
)
def test_every_stage_step_of_every_seeded_protocol_run_as_prescribed_is_no_spike(
    template: Any, number: int
) -> None:
    lower, upper = template.stages[number - 1], template.stages[number]
    sessions = [
        _as_prescribed(lower, template.kind, 0, number),
        _as_prescribed(lower, template.kind, 2, number),
        _as_prescribed(upper, template.kind, 4, number + 1),
    ]
    found = detect_flags(
        limits=PlanLimits(),
        sessions=sessions,
        checks=[],
        today=DAY0 + dt.timedelta(days=4),
        volume_kind=_volume_kind(template.kind),
    )
    assert FlagKind.LONG_RUN_SPIKE not in [f.kind for f in found]


@pytest.mark.parametrize("template", PROTOCOLS, ids=[t.key for t in PROTOCOLS])
def test_a_run_beyond_the_prescription_and_over_ten_percent_of_the_longest_is_a_spike(
    template: Any,
) -> None:
    stage = template.stages[0]
    kind = _volume_kind(template.kind)
    prescribed = _prescribed(stage, template.kind)
    amount = next(iter(prescribed.values()))
    beyond = (
        {"distance_m": int(amount * 2)}
        if template.kind == "distance"
        else {"run_minutes": Decimal(amount) * 2}
    )
    sessions = [
        _as_prescribed(stage, template.kind, 0, 1),  # volume not logged: counts as prescribed
        SessionReport(date=DAY0 + dt.timedelta(days=2), stage_number=1, **prescribed, **beyond),
    ]
    found = detect_flags(
        limits=PlanLimits(),
        sessions=sessions,
        checks=[],
        today=DAY0 + dt.timedelta(days=2),
        volume_kind=kind,
    )
    assert FlagKind.LONG_RUN_SPIKE in [f.kind for f in found]


@pytest.mark.parametrize(("minutes", "spike"), [("11", False), ("11.1", True)])
def test_the_ten_percent_boundary_over_the_longest_when_beyond_the_prescription(
    minutes: str, spike: bool
) -> None:
    sessions = [
        SessionReport(date=DAY0, stage_number=1, run_minutes=Decimal(10)),
        SessionReport(
            date=DAY0 + dt.timedelta(days=2),
            stage_number=1,
            run_minutes=Decimal(minutes),
            prescribed_minutes=Decimal(5),
        ),
    ]
    kinds = [
        f.kind
        for f in detect_flags(
            limits=PlanLimits(), sessions=sessions, checks=[], today=DAY0 + dt.timedelta(days=2)
        )
    ]
    assert (FlagKind.LONG_RUN_SPIKE in kinds) is spike


def test_an_unfinished_session_without_volume_counts_as_nothing() -> None:
    report = SessionReport(
        date=DAY0, stage_number=1, completed=False, prescribed_minutes=Decimal(5)
    )
    assert report.volume(VolumeKind.MINUTES) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("lookback", "spike"), [(60, False), (30, True)])
def test_the_dashboard_looks_back_over_the_plans_own_lookback_days(
    therapist: Any, patient_user: Any, episode: Any, lookback: int, spike: bool
) -> None:
    today = episode.patient.clinic.today()
    plan = make_plan(
        episode, therapist, started_on=today - dt.timedelta(days=90), lookback_days=lookback
    )
    # The 55-day-old run is inside a 60-day lookback (the fixed 45 days used to miss it).
    log_run(plan, patient_user, today - dt.timedelta(days=55), run_minutes="30")
    log_run(plan, patient_user, today - dt.timedelta(days=20), run_minutes="10")
    log_run(plan, patient_user, today - dt.timedelta(days=1), run_minutes="20")
    found = flags.flagged_patients(therapist, today=today)
    kinds = [f.kind for item in found for f in item.flags]
    assert (FlagKind.LONG_RUN_SPIKE in kinds) is spike


@pytest.mark.django_db
def test_limp_and_swelling_reach_the_caseload_panel_with_what_the_runner_wrote(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    from django.urls import reverse

    today = episode.patient.clinic.today()
    plan = make_plan(episode, therapist)
    log_run(
        plan,
        patient_user,
        today - dt.timedelta(days=1),
        limp=True,
        swelling="mild",
        notes="had to walk home",
    )
    found = flags.flagged_patients(therapist, today=today)
    kinds = {f.kind for f in found[0].flags}
    assert {FlagKind.LIMP, FlagKind.SWELLING, FlagKind.STEP_BACK} <= kinds
    assert all(f.runner_wrote == "had to walk home" for f in found[0].flags)
    client.force_login(therapist)
    chart = client.get(reverse("patients:chart", args=[episode.patient.pk])).content.decode()
    assert "Return to run flag: limp, mild swelling" in chart
    assert "had to walk home" in chart
