"""Home-program adherence for the clinic's outcomes report (patients/outcome_report.py): for
each counted episode with a published program, sessions done against sessions prescribed from
the first publication to discharge; three queries whatever the number of episodes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from patients.models import EpisodeQuerySet
from patients.outcome_report import SUPPRESSED, ReportFilters, ReportSection, too_small
from programs.home import adherence
from programs.home.models import Completion, HomeProgram, ProgramVersion
from programs.home.queries import item_plans
from rehab_clinic.accounts.models import User

GOOD_ADHERENCE = 80  # percent: "did most of what was prescribed"


def _episode_percents(episodes: EpisodeQuerySet, user: User) -> list[int]:
    programs = dict(
        HomeProgram.objects.filter(episode__in=episodes).values_list("pk", "episode__discharged_on")
    )
    versions: dict[int, list[ProgramVersion]] = defaultdict(list)
    for version in ProgramVersion.objects.filter(program_id__in=programs).order_by("number"):
        versions[version.program_id].append(version)
    done: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for program_id, key, day in Completion.objects.filter(program_id__in=programs).values_list(
        "program_id", "item_key", "day"
    ):
        done[program_id].append((str(key), day))
    clinic = user.home_clinic
    percents = []
    for program_id, discharged_on in programs.items():
        plans = item_plans(versions[program_id], clinic)
        if not plans or discharged_on is None:
            continue
        first = min(plan.start for plan in plans)
        tallies = adherence.by_exercise(plans, done[program_id], first, discharged_on)
        share = adherence.percent(sum(t.done for t in tallies), sum(t.prescribed for t in tallies))
        if share is not None:
            percents.append(share)
    return percents


def adherence_section(
    episodes: EpisodeQuerySet, filters: ReportFilters, user: User
) -> ReportSection:
    percents = sorted(_episode_percents(episodes, user))
    count = len(percents)
    if too_small(count):
        cells = (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    elif not count:
        cells = ("0", "", "")
    else:
        middle = (percents[(count - 1) // 2] + percents[count // 2]) / 2
        good = sum(1 for p in percents if p >= GOOD_ADHERENCE)
        cells = (str(count), f"{middle:.0f}%", f"{100 * good / count:.0f}%")
    return ReportSection(
        key="adherence",
        title="Home program adherence",
        columns=(
            "Episodes with a program",
            "Median adherence",
            f"Share at {GOOD_ADHERENCE}% or more",
        ),
        rows=[cells],
        note="Sessions ticked against sessions prescribed, from the program's first publication "
        "to discharge; extra sessions on a day do not make up a missed one.",
    )
