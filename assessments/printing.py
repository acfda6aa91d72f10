"""What a note's printed copy depends on, for the PDF pipeline (`programs.documents`)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assessments.models import Note

__all__ = ["draft_download_name", "printed_hash"]


def printed_hash(note: Note) -> str:
    """What a signed note's printed copy shows that can still change: its addenda (the rest is
    locked by the signature). Empty for a draft, which is never stored."""
    if not note.is_signed:
        return ""
    ids = ",".join(str(pk) for pk in note.addenda.order_by("pk").values_list("pk", flat=True))
    return hashlib.sha256(f"{note.content_hash}:{ids}".encode()).hexdigest()


def draft_download_name(note: Note) -> str:
    kind = note.get_kind_display().lower().replace(" ", "-")
    return f"draft-{kind}-{note.visit_date.isoformat()}.pdf"
