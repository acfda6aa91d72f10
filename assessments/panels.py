"""What charting adds to the patient chart: notes on the timeline, and a way in from the episode."""

from datetime import datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone

from assessments.models import Note
from patients.timeline import TimelineEntry


def notes_timeline(patient: Any) -> list[TimelineEntry]:
    """One query: every note of every episode of this patient."""
    notes = (
        Note.objects.filter(episode__patient=patient)
        .select_related("episode")
        .order_by("-visit_date", "-id")
    )
    entries = []
    for note in notes:
        status = "signed" if note.signed_at else "draft"
        when = note.signed_at or timezone.make_aware(datetime.combine(note.visit_date, time(12)))
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


def episode_charting_panel(user: Any, episode: Any) -> dict[str, Any]:
    """One query: how many notes the episode has, and how many are unsigned."""
    notes = list(Note.objects.filter(episode=episode).values_list("signed_at", flat=True))
    return {
        "url": reverse("assessments:episode_detail", args=[episode.pk]),
        "count": len(notes),
        "unsigned": sum(1 for signed_at in notes if signed_at is None),
    }
