"""The report's sections that assessments owns: discharges by month and diagnosis group, and
the change in LEFS and NPRS from intake to discharge. One or two queries each, whatever the
number of episodes; aggregate numbers only, small groups suppressed."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import F

from assessments.charts import bar_chart
from assessments.instruments import INSTRUMENTS
from assessments.models import OutcomeResponse, mcid_table
from assessments.reports.figures import (
    change_summary,
    diagnosis_group,
    month_of,
    months_between,
    one_decimal,
)
from patients.models import EpisodeQuerySet
from patients.outcome_report import (
    SUPPRESSED,
    ReportFilters,
    ReportSection,
    shown_count,
    too_small,
)
from rehab_clinic.accounts.models import User

# The measures the report follows from intake to discharge, and the score it reads.
CHANGE_MEASURES = (("lefs", "total"), ("nprs", "pain"))


def discharges_section(
    episodes: EpisodeQuerySet, filters: ReportFilters, user: User
) -> ReportSection:
    rows = [
        (day, code)
        for day, code in episodes.values_list("discharged_on", "icd10_code")
        if day is not None  # always set on a discharged episode (a constraint says so)
    ]
    by_month: Counter[str] = Counter()
    by_cell: Counter[tuple[str, str]] = Counter()
    for day, code in rows:
        by_month[month_of(day)] += 1
        by_cell[(month_of(day), diagnosis_group(code))] += 1
    table: list[tuple[str, ...]] = []
    for month in months_between(filters.start, filters.end):
        table.append((month, "All groups", shown_count(by_month[month])))
        table += [
            (month, group, shown_count(count))
            for (m, group), count in sorted(by_cell.items())
            if m == month
        ]
    groups: Counter[str] = Counter(diagnosis_group(code) for _, code in rows)
    table += [("Whole period", group, shown_count(n)) for group, n in sorted(groups.items())]
    table.append(("Whole period", "All groups", shown_count(len(rows))))
    bars = [
        (month[2:], None if too_small(by_month[month]) else float(by_month[month]))
        for month in months_between(filters.start, filters.end)
    ]
    return ReportSection(
        key="discharges",
        title="Episodes discharged",
        columns=("Month", "Diagnosis group", "Episodes discharged"),
        rows=table,
        chart=bar_chart(
            title="Episodes discharged per month",
            bars=bars,
            value_max=max([v for _, v in bars if v is not None], default=0),
        ),
    )


def _pairs(episodes: EpisodeQuerySet) -> dict[str, list[tuple[float, float]]]:
    """Measure code → (first score, last score by discharge) of each episode measured twice."""
    series: dict[tuple[int, str], list[float]] = defaultdict(list)
    responses = (
        OutcomeResponse.objects.filter(
            episode__in=episodes,
            instrument__in=[code for code, _ in CHANGE_MEASURES],
            struck_at__isnull=True,
            taken_on__lte=F("episode__discharged_on"),
        )
        .order_by("episode_id", "taken_on", "id")
        .values_list("episode_id", "instrument", "scores")
    )
    subscale = dict(CHANGE_MEASURES)
    for episode_id, code, scores in responses:
        score = (scores or {}).get(subscale[code], {}).get("score")
        if score is not None:
            series[(episode_id, code)].append(float(score))
    pairs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (_, code), values in series.items():
        if len(values) >= 2:
            pairs[code].append((values[0], values[-1]))
    return pairs


def outcome_change_section(
    episodes: EpisodeQuerySet, filters: ReportFilters, user: User
) -> ReportSection:
    mcids = mcid_table(user.home_clinic.pk)
    pairs = _pairs(episodes)
    rows: list[tuple[str, ...]] = []
    bars: list[tuple[str, float | None]] = []
    for code, subscale_code in CHANGE_MEASURES:
        instrument = INSTRUMENTS[code]
        subscale = instrument.subscale(subscale_code)
        mcid = mcids.get((code, subscale_code))
        summary = (
            change_summary(pairs[code], mcid=mcid, higher_is_better=subscale.higher_is_better)
            if mcid is not None
            else None
        )
        label = (
            f"{instrument.name} ({'higher' if subscale.higher_is_better else 'lower'} is better)"
        )
        mcid_text = "" if mcid is None else f"{mcid:g}"
        if summary is None:
            rows.append((label, "0", "", "", "", "", mcid_text))
            bars.append((code.upper(), 0.0))
        elif too_small(summary.episodes):
            rows.append((label, SUPPRESSED, *([SUPPRESSED] * 4), mcid_text))
            bars.append((code.upper(), None))
        else:
            rows.append(
                (
                    label,
                    str(summary.episodes),
                    one_decimal(summary.mean_baseline),
                    one_decimal(summary.mean_final),
                    one_decimal(summary.mean_change),
                    f"{summary.share_reaching_mcid:.0f}%",
                    mcid_text,
                )
            )
            bars.append((code.upper(), round(summary.share_reaching_mcid, 1)))
    return ReportSection(
        key="outcomes",
        title="Change from intake to discharge",
        columns=(
            "Measure",
            "Episodes measured twice",
            "Mean at intake",
            "Mean at discharge",
            "Mean change",
            "Reached the MCID",
            "MCID used",
        ),
        rows=rows,
        chart=bar_chart(title="Share reaching the MCID (%)", bars=bars, value_max=100),
        note="First score in the episode against the last one on or before discharge. The MCID "
        "is the clinic's reviewed value (Outcome measures) or the published default.",
    )
