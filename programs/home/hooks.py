"""What programs adds to other apps' pages: the chart timeline, the caseload's "needs
attention" panel, the episode page's program panel and the portal's Today panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.urls import reverse

from patients.hooks import (
    TimelineEntry,
    register_caseload_columns,
    register_dashboard_panel,
    register_episode_charts,
    register_episode_panel,
    register_portal_panel,
    register_timeline,
    register_today_queue,
)
from patients.models import Patient
from patients.outcome_report import register_report_section
from patients.portal import portal_record
from programs.home import outcomes, queries, today
from programs.home.charts import adherence_bars
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.navigation import register as register_nav

if TYPE_CHECKING:
    from patients.models import Episode

ATTENTION_ROWS = 15


def program_timeline(patient: Patient) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            when=version.published_at,
            kind="program",
            title=f"Home program published: {version.program.title} v{version.number}",
            url=reverse("programs:version", args=[version.program_id, version.number]),
            detail=f"by {version.published_by.full_name}",
        )
        for version in queries.versions_for_timeline(patient)
    ]


def attention_panel(user: User) -> dict[str, Any]:
    rows, total = queries.needing_attention(user, ATTENTION_ROWS)
    return {"rows": rows, "total": total}


def episode_panel(user: User, episode: Episode) -> dict[str, Any]:
    programs = list(episode.home_programs.annotate(version_count=Count("versions")))
    published = [p for p in programs if p.version_count]  # type: ignore[attr-defined]
    context: dict[str, Any] = {"episode": episode, "programs": programs}
    if published:
        result = queries.adherence_for_programs(published, episode.patient.clinic, weeks=4)
        context["result"] = result
        context["chart"] = adherence_bars(
            result.weeks, title="Home program: done vs prescribed per week", chart_id="ep-adh"
        )
    return context


def portal_today_panel(user: User) -> dict[str, Any]:
    # The record the portal home has already looked up, with its clinic (the clinic's day).
    return queries.today_for(portal_record(user))


def register() -> None:
    """Called from ProgramsConfig.ready()."""
    register_timeline(program_timeline)
    register_report_section(outcomes.adherence_section, order=40)
    register_today_queue("unplanned", today.nothing_published_queue, order=50)
    register_today_queue("adherence", today.low_adherence_queue, order=70)
    register_caseload_columns(today.caseload_columns)
    register_episode_charts(today.adherence_charts)
    register_dashboard_panel("programs/home/_attention_panel.html", attention_panel, 20)
    register_episode_panel("programs/home/_episode_panel.html", episode_panel, 30)
    register_portal_panel("programs/home/_portal_today_panel.html", portal_today_panel, 10)
    register_nav(role=User.Role.PATIENT, label="Today", url_name="programs:portal_today", order=20)
    register_nav(
        role=User.Role.PATIENT, label="My program", url_name="programs:portal_program", order=22
    )
    register_nav(
        role=User.Role.PATIENT, label="My progress", url_name="programs:portal_adherence", order=24
    )
    register_nav(
        role=User.Role.THERAPIST, label="Templates", url_name="programs:templates", order=40
    )
    register_nav(
        role=User.Role.CLINIC_ADMIN,
        label="Program templates",
        url_name="programs:templates",
        order=40,
    )
