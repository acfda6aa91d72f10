"""The Today queue of runners with a stop sign or a step back since their last visit: chosen,
ordered and counted by the database from the stored flags, it lists what the Python filter
over every flagged runner listed (kept here as the reference), and reads only the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assessments.models import Note
from patients.hooks import Queue
from programs.running.flag_models import PlanFlag
from programs.running.flags import flagged_patients
from programs.running.models import ReturnToRunPlan
from programs.running.today import STOP_KINDS, runners_queue
from tests.builders import make_plan
from tests.factories import ClinicFactory, EpisodeFactory, PatientFactory, UserFactory
from tests.test_bounded_reads import rows_read

pytestmark = pytest.mark.django_db


def _old_runners(user: Any, today: dt.date, limit: int | None) -> list[Any]:
    """The queue before the database filtered it: every flagged plan in care read with its
    flags, then the stop kinds dated after the episode's last visit kept in Python."""
    flagged = flagged_patients(user, today=today, in_care=True, limit=None)
    seen = {
        note.episode_id: note.visit_date
        for note in Note.objects.filter(episode__in=[f.plan.episode_id for f in flagged]).order_by(
            "visit_date"
        )
    }
    waiting = []
    for item in flagged:
        last = seen.get(item.plan.episode_id)
        stops = [f for f in item.flags if f.kind in STOP_KINDS and (last is None or f.date > last)]
        if stops:
            waiting.append((max(f.date for f in stops), item, stops))
    waiting.sort(key=lambda row: (row[0], row[1].plan.pk), reverse=True)
    shown = waiting[:limit] if limit is not None else waiting
    return [
        (
            item.patient,
            " ".join(dict.fromkeys(f.message for f in stops)),
            "; ".join(
                f"Runner wrote: “{w}”" for w in dict.fromkeys(f.runner_wrote for f in stops) if w
            ),
            latest,
            item.plan.pk,
            len(waiting),
        )
        for latest, item, stops in shown
    ]


def _rows(queue: Queue) -> list[Any]:
    return [
        (item.patient, item.title, item.detail, item.when, int(item.url.rstrip("/").split("/")[-1]))
        for item in queue.items
    ]


class Runners:
    def __init__(self, clinic: Any, therapist: Any) -> None:
        self.clinic, self.therapist = clinic, therapist
        self.today = clinic.today()

    def plan(self, name: str, *, therapist: Any = "mine", clinic: Any = None) -> ReturnToRunPlan:
        clinic = clinic or self.clinic
        owner = self.therapist if therapist == "mine" else therapist
        patient = PatientFactory(clinic=clinic, primary_therapist=owner, first_name=name)
        return make_plan(EpisodeFactory(patient=patient), owner or self.therapist)

    def flag(
        self,
        plan: ReturnToRunPlan,
        kind: str,
        back: int,
        position: int,
        wrote: str = "",
        **days: int,
    ) -> None:
        date = self.today - dt.timedelta(days=back)
        PlanFlag.objects.create(
            plan=plan,
            clinic_id=plan.episode.patient.clinic_id,
            kind=kind,
            date=date,
            message=f"{kind} on {date:%d %b}.",
            runner_wrote=wrote,
            shown_from=date,
            shown_until=self.today + dt.timedelta(days=days.get("until", 3)),
            position=position,
        )

    def visit(self, plan: ReturnToRunPlan, back: int) -> None:
        Note.objects.create(
            episode=plan.episode,
            kind=Note.Kind.DAILY,
            author=self.therapist,
            visit_date=self.today - dt.timedelta(days=back),
        )


@pytest.fixture
def runners(clinic: Any, therapist: Any) -> dict[str, ReturnToRunPlan]:
    r = Runners(clinic, therapist)
    made: dict[str, ReturnToRunPlan] = {}
    # Ana: a limp before her visit two days ago, a step back after it, and a flag of a kind
    # that is not a stop: the step back alone.
    made["Ana"] = r.plan("Ana")
    r.visit(made["Ana"], 5)
    r.visit(made["Ana"], 2)
    r.flag(made["Ana"], "limp", 3, 0, "Knee gave way")
    r.flag(made["Ana"], "step_back", 1, 1)
    r.flag(made["Ana"], "weekly_volume_spike", 0, 2)
    # Ben: never seen; swelling and pain above the ceiling on one day, a limp the next day, the
    # same words twice (said once).
    made["Ben"] = r.plan("Ben")
    r.flag(made["Ben"], "swelling", 5, 0, "Puffy ankle")
    r.flag(made["Ben"], "pain_above_ceiling", 5, 1)
    r.flag(made["Ben"], "limp", 4, 2, "Puffy ankle")
    # Cal: seen on the day of the stop sign (it was seen), and a flag no longer shown.
    made["Cal"] = r.plan("Cal")
    r.visit(made["Cal"], 1)
    r.flag(made["Cal"], "stop_sign", 1, 0)
    r.flag(made["Cal"], "limp", 9, 1, until=-2)
    # Dee: a morning that did not settle after the visit: not a stop.
    made["Dee"] = r.plan("Dee")
    r.visit(made["Dee"], 3)
    r.flag(made["Dee"], "morning_not_settled", 1, 0)
    # Eve, unassigned: a stop sign on Ana's day (the later plan first).
    made["Eve"] = r.plan("Eve", therapist=None)
    r.flag(made["Eve"], "stop_sign", 1, 0, "Sharp pain")
    # Out: a colleague's runner, another clinic's runner, a paused plan.
    made["Fay"] = r.plan("Fay", therapist=UserFactory(clinic=clinic))
    r.flag(made["Fay"], "limp", 0, 0)
    elsewhere = ClinicFactory()
    made["Gus"] = r.plan("Gus", therapist=UserFactory(clinic=elsewhere), clinic=elsewhere)
    r.flag(made["Gus"], "limp", 0, 0)
    made["Hal"] = r.plan("Hal")
    r.flag(made["Hal"], "limp", 0, 0)
    ReturnToRunPlan.objects.filter(pk=made["Hal"].pk).update(status=ReturnToRunPlan.Status.PAUSED)
    return made


@pytest.mark.parametrize("limit", [None, 1, 2, 3, 500])
def test_the_queue_is_what_the_python_filter_gave(
    runners: dict[str, ReturnToRunPlan], therapist: Any, clinic: Any, limit: int | None
) -> None:
    today = clinic.today()
    queue = runners_queue(therapist, today, limit)
    old = _old_runners(therapist, today, limit)
    assert _rows(queue) == [row[:5] for row in old]
    assert queue.count == 3


def test_the_queue_by_hand(
    runners: dict[str, ReturnToRunPlan], therapist: Any, clinic: Any
) -> None:
    today = clinic.today()
    day = today - dt.timedelta(days=1)
    first = today - dt.timedelta(days=5)
    then = today - dt.timedelta(days=4)
    queue = runners_queue(therapist, today, None)
    assert _rows(queue) == [
        (
            runners["Eve"].episode.patient,
            f"stop_sign on {day:%d %b}.",
            "Runner wrote: “Sharp pain”",
            day,
            runners["Eve"].pk,
        ),
        (runners["Ana"].episode.patient, f"step_back on {day:%d %b}.", "", day, runners["Ana"].pk),
        (
            runners["Ben"].episode.patient,
            f"swelling on {first:%d %b}. pain_above_ceiling on {first:%d %b}. "
            f"limp on {then:%d %b}.",
            "Runner wrote: “Puffy ankle”",
            then,
            runners["Ben"].pk,
        ),
    ]
    assert queue.count == 3


def test_the_queue_reads_the_page_not_every_flagged_runner(
    runners: dict[str, ReturnToRunPlan], therapist: Any, clinic: Any
) -> None:
    r = Runners(clinic, therapist)
    today = clinic.today()
    with rows_read() as few:
        runners_queue(therapist, today, 2)
    for n in range(20):
        r.flag(r.plan(f"More{n}"), "limp", 2, 0)
    with rows_read() as many:
        queue = runners_queue(therapist, today, 2)
    assert queue.count == 23
    assert many == few
