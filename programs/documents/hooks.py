"""Panels that show program PDFs: on the episode page (therapist) and the portal home (patient).

Each runs a fixed number of queries whatever the patient's history holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery

from patients.hooks import register_episode_panel, register_portal_panel
from programs.documents.models import ProgramDocument
from programs.documents.services import deliveries
from programs.home.models import ProgramVersion
from programs.home.queries import current_versions

if TYPE_CHECKING:
    from patients.models import Episode
    from rehab_clinic.accounts.models import User

__all__ = ["episode_documents", "portal_documents", "register"]


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


def register() -> None:
    """Called from ProgramsConfig.ready(): the PDF panels."""
    register_episode_panel("programs/documents/_episode_panel.html", episode_documents, 32)
    register_portal_panel("programs/documents/_portal_panel.html", portal_documents, 12)
