"""What charting adds to the patient's record: notes on the chart's timeline, and the charting
panel of the episode page (notes, scores over time, hop tests, questionnaires)."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from assessments.forms import AssignOutcomeForm
from assessments.hops import RETURN_TO_SPORT_LSI, hop_battery, hop_trend
from assessments.instruments import INSTRUMENTS
from assessments.models import Addendum, Note, OutcomeAssignment, OutcomeResponse, mcid_table
from assessments.summaries import (
    outcome_trends,
    visits_since_progress_report,
)
from patients.hooks import TimelineEntry

if TYPE_CHECKING:
    from patients.models import Episode, Patient
    from rehab_clinic.accounts.models import User


def episode_url(episode: Episode) -> str:
    """The one page of an episode (charting is a panel on it)."""
    return reverse("patients:episode", args=[episode.pk]) + "#charting"


def notes_timeline(patient: Patient) -> list[TimelineEntry]:
    """One query: every note of every episode of this patient, dated by its visit date (the
    day the care happened), not by when it was typed or signed."""
    notes = (
        Note.objects.filter(episode__patient=patient)
        .select_related("episode")
        .order_by("-visit_date", "-id")
    )
    zone = timezone.get_current_timezone()
    entries = []
    for note in notes:
        status = "signed" if note.signed_at else "draft"
        when = timezone.make_aware(datetime.combine(note.visit_date, time(12)), zone)
        entries.append(
            TimelineEntry(
                when=when,
                kind="note",
                title=f"{note.get_kind_display()} ({status})",
                url=reverse("assessments:note_detail", args=[note.pk]),
                detail=note.episode.label,
            )
        )
    return entries


def episode_charting_panel(user: User, episode: Episode) -> dict[str, Any]:
    """The charting panel: a fixed number of queries whatever the number of notes."""
    notes = list(
        Note.objects.filter(episode=episode)
        .select_related("author", "signed_by")
        .prefetch_related(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
        .order_by("-visit_date", "-id")
    )
    responses = list(
        OutcomeResponse.objects.filter(episode=episode).select_related("note", "struck_by")
    )
    clinic = episode.patient.clinic
    trends = outcome_trends(responses, mcid_table(clinic.pk), today=clinic.today())
    signed_evaluations = [
        (n.visit_date, n.content.get("hops", []))
        for n in notes
        if n.is_signed and n.content.get("hops")
    ]
    latest_hops = next((n for n in notes if n.content.get("hops")), None)
    return {
        "episode": episode,
        "notes": notes,
        "count": len(notes),
        "unsigned": sum(1 for n in notes if not n.is_signed),
        "has_intake": any(n.kind == Note.Kind.INTAKE for n in notes),
        "visits_since_report": visits_since_progress_report(notes),
        "report_every": clinic.progress_note_every,  # the clinic's rule (Today uses it too)
        "trends": [(t, t.svg) for t in trends],
        "responses": responses,
        "assignments": OutcomeAssignment.objects.filter(episode=episode),
        "assign_form": AssignOutcomeForm(instruments=INSTRUMENTS, patient=episode.patient),
        "hops": hop_battery(latest_hops.content["hops"], injured_side=episode.side)
        if latest_hops
        else [],
        "hops_note": latest_hops,
        "hop_trend": hop_trend(signed_evaluations, injured_side=episode.side),
        "hop_threshold": RETURN_TO_SPORT_LSI,
        "can_chart": getattr(user, "is_therapist", False),
    }
