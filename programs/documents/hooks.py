"""Panels that show program PDFs: on the episode page (therapist) and the portal home (patient),
and the step that renders the handouts again when the clinic's, patient's or episode's printed
details change (`patients.hooks.register_printed_change`).

Each panel runs a fixed number of queries whatever the patient's history holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery

from patients.hooks import register_episode_panel, register_portal_panel, register_printed_change
from patients.models import Episode, Patient
from programs.documents.models import ProgramDocument
from programs.documents.services import (
    deliveries,
    refresh_for_clinic,
    refresh_for_episode,
    refresh_for_patient,
)
from programs.home.models import ProgramVersion
from programs.home.queries import current_versions
from rehab_clinic.accounts.models import Clinic

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["PRINTED_FIELDS", "episode_documents", "portal_documents", "refresh_printed", "register"]

# What the handout prints of each (`compose.sheet_from_version`): the letterhead, paper size and
# the zone its issue date is read in; the patient's name; the episode's label ("Condition").
PRINTED_FIELDS: dict[type[Clinic | Patient | Episode], frozenset[str]] = {
    Clinic: frozenset(
        {"name", "address", "phone", "email", "website", "logo", "paper_size", "timezone"}
    ),
    Patient: frozenset({"first_name", "last_name"}),
    Episode: frozenset({"label"}),
}


def _documents_for(versions: list[ProgramVersion]) -> dict[int, ProgramDocument]:
    documents = ProgramDocument.objects.filter(
        version__in=versions, kind=ProgramDocument.Kind.HOME_PROGRAM
    )
    return {document.version_id: document for document in documents}


def episode_documents(user: User, episode: Episode) -> dict[str, Any]:
    latest = (
        ProgramVersion.objects.filter(program=OuterRef("program"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = list(
        ProgramVersion.objects.visible_to(user)
        .filter(program__episode=episode, number=Subquery(latest))
        .select_related("program")
        .defer("snapshot")
        .order_by("program__created_at", "program_id")
    )
    documents = _documents_for(versions)
    delivery = deliveries(documents.values())
    rows = [
        {
            "version": version,
            "document": document,
            "delivery": delivery.get(document.pk) if document else None,
        }
        for version in versions
        for document in [documents.get(version.pk)]
    ]
    return {"rows": rows, "episode": episode}


def portal_documents(user: User) -> dict[str, Any]:
    patient = getattr(user, "patient", None)
    if patient is None:
        return {"rows": []}
    versions = current_versions(patient)
    documents = _documents_for(versions)
    # Only versions that have a document: the portal never shows a link that leads nowhere.
    delivery = deliveries(documents.values())
    rows = [
        {
            "version": version,
            "document": documents[version.pk],
            "delivery": delivery.get(documents[version.pk].pk),
        }
        for version in versions
        if version.pk in documents
    ]
    return {"rows": rows}


def refresh_printed(*, obj: Clinic | Patient | Episode, changed: frozenset[str], by: User) -> None:
    """A saved clinic, patient or episode: render the handouts that print it again, once each,
    when a field they print is among those that changed."""
    printed = next((f for kind, f in PRINTED_FIELDS.items() if isinstance(obj, kind)), frozenset())
    if not changed & printed:
        return
    if isinstance(obj, Clinic):
        refresh_for_clinic(clinic=obj, by=by)
    elif isinstance(obj, Patient):
        refresh_for_patient(patient=obj, by=by)
    else:
        refresh_for_episode(episode=obj, by=by)


def register() -> None:
    """Called from ProgramsConfig.ready(): the PDF panels and the printed-details refresh."""
    register_printed_change(refresh_printed)
    register_episode_panel("programs/documents/_episode_panel.html", episode_documents, 32)
    register_portal_panel("programs/documents/_portal_panel.html", portal_documents, 12)
