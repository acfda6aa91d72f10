"""The audit report names each changed field in words, not as the stored path."""

from __future__ import annotations

import pytest

from rehab_clinic.audit.models import AuditEvent, field_label


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("full_name", "Full name"),
        ("content.main.pain_now", "Content / main / pain now"),
        ("readiness_ticked.0", "Readiness ticked / item 1"),
        ("readiness_ticked.11", "Readiness ticked / item 12"),
        ("content.answers.3.score", "Content / answers / item 4 / score"),
        ("", ""),
    ],
)
def test_a_stored_path_reads_as_words(stored: str, shown: str) -> None:
    assert field_label(stored) == shown


def test_each_row_keeps_the_stored_path_beside_its_label() -> None:
    event = AuditEvent(changes={"readiness_ticked.0": [None, "walk_30_min"]})
    [row] = event.change_rows
    assert row.field == "readiness_ticked.0"
    assert row.label == "Readiness ticked / item 1"
    assert (row.old, row.new) == ("(empty)", "walk_30_min")
