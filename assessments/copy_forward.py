"""Copy forward: what a new note carries from the last one of its kind."""

from __future__ import annotations

from typing import Any

# Copy forward carries the clinical narrative, not the date, today's pain or the session times.
_NOT_COPIED = {"visit_date", "pain_now", "nprs_now", "nprs_best", "nprs_worst"}
# A clinician's attestation is about today's patient: never carried to another visit, nor are
# the session's times and billed minutes (a modality's dose, minutes too, is the plan: carried).
_ATTESTATIONS = {"contraindications_checked"}
_THIS_VISIT_ONLY = {"time_in", "time_out", "minutes"}


def copied_content(content: dict[str, Any]) -> dict[str, Any]:
    """What copy forward carries: the narrative and every table row with its parameters, but
    never an attestation ("contraindications checked" is ticked afresh at every visit), the
    session's times or its billed minutes."""
    copied: dict[str, Any] = {}
    for key, value in content.items():
        if key == "main":
            copied[key] = {
                k: v for k, v in value.items() if k not in _NOT_COPIED | _THIS_VISIT_ONLY
            }
        elif key in _THIS_VISIT_ONLY:
            continue
        elif isinstance(value, list):
            copied[key] = [
                {k: v for k, v in row.items() if k not in _ATTESTATIONS}
                for row in value
                if isinstance(row, dict)
            ]
        else:
            copied[key] = value
    return copied
