"""What charting adds to the caseload (last visit, latest pain with its sparkline, the
"no visit in 14 days" filter and the last-visit sort) and to the episode chart page (every
outcome score with its MCID band). Fixed query counts whatever the caseload holds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, Max, OuterRef, Q, Subquery

from assessments.charts import sparkline
from assessments.models import Note, OutcomeResponse, mcid_table
from assessments.summaries import outcome_trends
from patients.hooks import Chart

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from patients.models import Episode, Patient
    from rehab_clinic.accounts.models import User

NO_VISIT_DAYS = 14
SPARK_POINTS = 8


def with_last_visit(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    latest = (
        Note.objects.filter(episode__patient=OuterRef("pk"))
        .order_by("-visit_date")
        .values("visit_date")[:1]
    )
    return patients.annotate(last_visit=Subquery(latest))


def no_recent_visit(patients: QuerySet[Patient], user: User, today: dt.date) -> QuerySet[Patient]:
    """No note dated after the cutoff (the same as a last visit on or before it, or none): a
    NOT EXISTS the database runs as one anti-join over the few recent notes, where the latest
    visit of every patient of the clinic cost a subquery each."""
    cutoff = today - dt.timedelta(days=NO_VISIT_DAYS)
    recent = Note.objects.filter(episode__patient=OuterRef("pk"), visit_date__gt=cutoff)
    return patients.filter(~Exists(recent))


def by_last_visit(patients: QuerySet[Patient], descending: bool) -> QuerySet[Patient]:
    order = F("last_visit").desc(nulls_last=True) if descending else F("last_visit").asc()
    return with_last_visit(patients).order_by(order, "last_name", "id")


def _signed_pain(patients: list[Patient], today: dt.date) -> Any:
    return (
        OutcomeResponse.objects.filter(
            episode__patient__in=patients,
            instrument="nprs",
            struck_at__isnull=True,
            taken_on__lte=today,
        )
        .filter(Q(note__isnull=True) | Q(note__signed_at__isnull=False))
        .values_list("episode__patient_id", "scores")
        .order_by("taken_on", "id")
    )


def caseload_columns(
    user: User, patients: list[Patient], today: dt.date
) -> dict[int, dict[str, Any]]:
    """Two queries for the page: last visits, and signed pain scores (NPRS)."""
    if not patients:
        return {}
    columns: dict[int, dict[str, Any]] = defaultdict(dict)
    visits = (
        Note.objects.filter(episode__patient__in=patients)
        .values("episode__patient_id")
        .annotate(last=Max("visit_date"))
    )
    for row in visits:
        columns[row["episode__patient_id"]]["last_visit"] = row["last"]
    pain: dict[int, list[float]] = defaultdict(list)
    for patient_id, scores in _signed_pain(patients, today):
        value = scores.get("pain", {}).get("score")
        if value is not None:
            pain[patient_id].append(float(value))
    for patient_id, values in pain.items():
        recent = values[-SPARK_POINTS:]
        columns[patient_id]["pain"] = f"{recent[-1]:g}"
        columns[patient_id]["pain_sparkline"] = sparkline(
            label="Pain (NPRS) at the last visits", values=recent, score_min=0, score_max=10
        )
    return dict(columns)


def outcome_charts(user: User, episode: Episode) -> list[Chart]:
    """Each outcome score over the episode with the MCID band around its baseline (the same
    charts as the episode page's charting panel): two queries."""
    responses = OutcomeResponse.objects.filter(episode=episode).select_related("note")
    clinic = episode.patient.clinic
    trends = outcome_trends(responses, mcid_table(clinic.pk), today=clinic.today())
    return [
        Chart(
            title=f"{trend.label} (visit scores)",
            svg=trend.svg,
            order=10 if trend.instrument == "nprs" else 40,
            note=trend.verdict_label,
        )
        for trend in trends
        if trend.points or trend.instrument == "nprs"
    ]
