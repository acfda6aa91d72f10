"""What programs adds to other apps' pages: the chart timeline, the caseload's "needs
attention" panel, the episode page's program panel and the portal's Today panel."""

from typing import Any

from django.db.models import Count
from django.urls import reverse

from patients.timeline import TimelineEntry
from programs import selectors
from programs.charts import adherence_bars

ATTENTION_ROWS = 15


def program_timeline(patient: Any) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            when=version.published_at,
            kind="program",
            title=f"Home program published: {version.program.title} v{version.number}",
            url=reverse("programs:version", args=[version.program_id, version.number]),
            detail=f"by {version.published_by.full_name}",
        )
        for version in selectors.versions_for_timeline(patient)
    ]


def attention_panel(user: Any) -> dict[str, Any]:
    rows = selectors.needing_attention(user)
    return {"rows": rows[:ATTENTION_ROWS], "total": len(rows)}


def episode_panel(user: Any, episode: Any) -> dict[str, Any]:
    programs = list(episode.home_programs.annotate(version_count=Count("versions")))
    published = [p for p in programs if p.version_count]
    context: dict[str, Any] = {"episode": episode, "programs": programs}
    if published:
        result = selectors.adherence_for_programs(published, episode.patient.clinic, weeks=4)
        context["result"] = result
        context["chart"] = adherence_bars(
            result.weeks, title="Home program: done vs prescribed per week", chart_id="ep-adh"
        )
    return context


def portal_today_panel(user: Any) -> dict[str, Any]:
    return selectors.today_for(user.patient)
