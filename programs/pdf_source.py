"""Build the printed sheet (`programs.pdf.ProgramSheet`) from a published program version.

Everything about exercises and modalities comes from the version's frozen snapshot, so the PDF
shows exactly what was published even if the library changes later. The return-to-run table, the
pain rules and the gait card come from `programs.pdf_rtr` when the patient has such plans.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from programs.pdf import (
    ClinicHeading,
    Dosage,
    ExerciseCard,
    HomeModality,
    ProgramSheet,
)
from programs.pdf_fetch import media_url

__all__ = ["portal_url", "sheet_from_version"]


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and value else None


def _card(item: dict[str, Any]) -> ExerciseCard:
    return ExerciseCard(
        name=str(item.get("name", "")),
        category=str(item.get("category_label") or item.get("category") or ""),
        instructions=[str(step) for step in item.get("instructions") or []],
        cues=[str(cue) for cue in item.get("cues") or []],
        illustration_svg=str(item.get("illustration_svg") or ""),
        dosage=Dosage(
            sets=_int(item.get("sets")),
            reps=_int(item.get("reps")),
            hold_seconds=_int(item.get("hold_seconds")),
            rest_seconds=_int(item.get("rest_seconds")),
            load=str(item.get("load") or ""),
            tempo=str(item.get("tempo") or ""),
            side=str(item.get("side") or ""),
            times_per_day=_int(item.get("times_per_day")),
            days_per_week=_int(item.get("days_per_week")),
        ),
        patient_note=str(item.get("note") or ""),
    )


def _modality(entry: dict[str, Any]) -> HomeModality:
    general = str(entry.get("home_instructions") or "")
    own = str(entry.get("instructions") or "")
    return HomeModality(
        name=str(entry.get("name", "")),
        instructions=general or own,
        patient_note=own if general else "",
        precautions=[str(p) for p in entry.get("precautions") or []],
    )


def _logo_url(clinic: Any) -> str:
    # Read through the storage API by the fetcher, so a logo in a bucket prints as one on disk.
    return media_url(clinic.logo.name) if clinic.logo else ""


def portal_url() -> str:
    base = str(getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("programs:portal_program")


def sheet_from_version(version: Any) -> ProgramSheet:
    """`version` with `program__episode__patient__clinic` and `published_by` loaded."""
    from programs.pdf_rtr import rtr_sections  # optional sections, kept apart from the snapshot

    episode = version.program.episode
    patient = episode.patient
    clinic = patient.clinic
    snapshot = version.snapshot or {}
    try:
        zone = ZoneInfo(clinic.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    therapist = version.published_by
    return ProgramSheet(
        clinic=ClinicHeading(
            name=clinic.name,
            address=clinic.address,
            phone=clinic.phone,
            email=clinic.email,
            website=clinic.website,
            logo_url=_logo_url(clinic),
            paper_size=clinic.paper_size,
        ),
        patient_name=patient.full_name,
        therapist_name=therapist.full_name if therapist else "",
        therapist_contact=therapist.email if therapist else "",
        issued_on=version.published_at.astimezone(zone).date(),
        title=str(snapshot.get("title") or "Your home exercise program"),
        intro=str(snapshot.get("note_to_patient") or ""),
        condition=episode.label,
        version_label=f"version {version.number}",
        exercises=[_card(item) for item in snapshot.get("items", [])],
        modalities=[_modality(entry) for entry in snapshot.get("modalities", [])],
        portal_url=portal_url(),
        **rtr_sections(episode),
    )
