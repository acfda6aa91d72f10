"""Rendering a note's PDF, as the Celery task asks: the handout's claim, store and failure steps
(`programs.documents.rendering`) on a `NoteDocument` row. Nothing here enqueues;
`programs.documents.note_services` does."""

from __future__ import annotations

import logging

from assessments.models import Note, NoteDocument
from assessments.printing import printed_hash
from programs.documents.rendering import Outcome, claim_document, store_pdf
from programs.documents.sheet import RenderedPdf

__all__ = ["generate_note_document", "render_note_now"]

logger = logging.getLogger(__name__)
State = NoteDocument.State


def render_note_now(note: Note) -> RenderedPdf:
    """The note's PDF, made here and now: a draft's copy (never stored), or the task's render."""
    # local import: WeasyPrint adds ~40 MB to every process that loads it; web processes import
    # this module (the draft print view) but most never render.
    from programs.documents import note_print, pdf

    try:
        return note_print.render_note(note_print.printout_of(note))
    finally:
        pdf.release_memory()


def _state(document_id: int) -> str:
    state = NoteDocument.objects.filter(pk=document_id).values_list("state", flat=True)
    return next(iter(state), "missing")


def generate_note_document(document_id: int, *, token: str) -> Outcome:
    """Render and store the signed note's PDF if this caller wins the claim. Errors propagate to
    the task."""
    if not claim_document(document_id, token=token, model=NoteDocument):
        return Outcome(document_id, rendered=False, state=_state(document_id))
    document = NoteDocument.objects.select_related("note").get(pk=document_id)
    # What is printed is read before the render: an addendum added meanwhile asks again.
    printed = printed_hash(document.note)
    rendered = render_note_now(document.note)
    if not store_pdf(
        document_id, token=token, rendered=rendered, model=NoteDocument, printed_hash=printed
    ):
        return Outcome(document_id, rendered=False, state=_state(document_id))
    logger.info("Note document %s ready (%s pages)", document_id, rendered.page_count)
    return Outcome(document_id, rendered=True, state=State.READY)
