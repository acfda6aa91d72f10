"""Helpers that build return-to-run records through the same services the app uses."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from programs.running import protocol_services
from programs.running import services as services
from programs.running.models import Protocol, ReturnToRunPlan


def protocol(clinic: Any, key: str = "time-walk-run-ladder") -> Protocol:
    protocol_services.seed_protocols(clinic=clinic)
    return Protocol.objects.get(clinic=clinic, key=key)


def make_plan(
    episode: Any,
    by: Any,
    *,
    key: str = "time-walk-run-ladder",
    started_on: dt.date | None = None,
    start: bool = True,
    **limits: Any,
) -> ReturnToRunPlan:
    """A plan from a seeded protocol, started (with an override: tests set readiness apart)
    unless `start` is False."""
    plan = services.create_plan(
        episode=episode,
        protocol=protocol(episode.patient.clinic, key),
        by=by,
        started_on=started_on or timezone.localdate() - dt.timedelta(days=30),
    )
    if limits:
        services.customise_plan(plan=plan, by=by, limits=limits, stages=[])
    if start:
        plan = services.start_plan(plan=plan, by=by, override_reason="Test plan")
    return plan


def log_run(
    plan: ReturnToRunPlan,
    by: Any,
    day: dt.date,
    *,
    stage: int | None = None,
    pain_during: int = 1,
    pain_after: int = 1,
    run_minutes: str = "5",
    distance_m: int | None = None,
    **extra: Any,
) -> Any:
    plan.refresh_from_db()
    values = {
        "date": day,
        "stage_number": stage or plan.current_stage,
        "completed": True,
        "duration_minutes": Decimal(30),
        "run_minutes": Decimal(run_minutes),
        "distance_m": distance_m,
        "pain_during": pain_during,
        "pain_after": pain_after,
        "rpe": 3,
        "limp": False,
        "pain_built": False,
        "notes": "",
        **extra,
    }
    return services.log_session(plan=plan, by=by, values=values, today=day)


def check_in(
    plan: ReturnToRunPlan,
    by: Any,
    day: dt.date,
    *,
    pain: int = 0,
    stiffness: int = 0,
    notes: str = "",
) -> Any:
    plan.refresh_from_db()
    return services.record_check_in(
        plan=plan,
        by=by,
        values={"date": day, "pain": pain, "stiffness": stiffness, "notes": notes},
        today=day,
    )
