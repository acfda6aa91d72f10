"""The draft revision the builder shows and Publish sends back: a fingerprint of the saved draft,
so a stale tab cannot publish a draft other than the one on its screen."""

import hashlib
import json

from programs.home.models import HomeProgram, ProgramItem, ProgramModality

__all__ = ["STALE_DRAFT", "draft_revision"]

STALE_DRAFT = (
    "Not published: the program was changed after this page showed it (in another tab, or by an "
    "edit saved since). Check the exercises below, then publish again."
)


def draft_revision(
    program: HomeProgram,
    items: list[ProgramItem] | None = None,
    modalities: list[ProgramModality] | None = None,
) -> str:
    """A fingerprint of the draft as saved: its title, note, exercises in order with their doses,
    and modalities. The builder sends the one it showed with Publish
    (`publish_home_program(revision=...)`). Content, not a timestamp: the same values saved twice
    (a card's autosave and its Save button racing) are the same draft. Given the `items`
    (and `modalities`) already read in their order, the draft's rows are not read again."""
    if items is None:
        item_rows = list(
            ProgramItem.objects.filter(program_id=program.pk)
            .order_by("position", "id")
            .values_list("pk", "exercise_id", *ProgramItem.DOSAGE_FIELDS)
        )
    else:
        item_rows = [
            (i.pk, i.exercise_id, *(getattr(i, f) for f in ProgramItem.DOSAGE_FIELDS))
            for i in items
        ]
    if modalities is None:
        modality_rows = list(
            ProgramModality.objects.filter(program_id=program.pk)
            .order_by("position", "id")
            .values_list("pk", "modality_id", "instructions")
        )
    else:
        modality_rows = [(m.pk, m.modality_id, m.instructions) for m in modalities]
    content = [program.title, program.note_to_patient, item_rows, modality_rows]
    encoded = json.dumps(content, default=str, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]
