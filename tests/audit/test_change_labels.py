"""The audit report names each changed field in words, not as the stored path."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.audit.shown import field_label
from tests.factories import ClinicFactory, UserFactory


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


@pytest.mark.django_db
def test_each_row_keeps_the_stored_path_beside_its_label() -> None:
    event = AuditEvent(changes={"readiness_ticked.0": [None, "walk_30_min"]})
    [row] = event.change_rows
    assert row.field == "readiness_ticked.0"
    assert row.label == "Readiness ticked / item 1"
    assert (row.old, row.new) == ("(empty)", "walk_30_min")


def test_a_json_field_that_held_nothing_has_no_row_of_its_own() -> None:
    event = AuditEvent(
        object_type="programs.ReturnToRunPlan",
        changes={"readiness_ticked": ["[]", None], "readiness_ticked.0": [None, "walk_30"]},
    )
    assert [(row.label, row.old, row.new) for row in event.change_rows] == [
        ("Readiness ticked / item 1", "(empty)", "walk_30")
    ]


def test_the_report_names_the_clinics_users_a_change_points_at(
    client: Any, clinic_admin: Any, therapist: Any, patient: Any
) -> None:
    stranger = UserFactory(clinic=ClinicFactory(), full_name="Stranger Elsewhere")
    for old, new in ((None, therapist.pk), (therapist.pk, stranger.pk)):
        record_event(
            user=clinic_admin,
            patient=patient,
            obj=patient,
            action="change",
            changes={"primary_therapist": [old, new], "notes": ["a", "b"]},
        )
    client.force_login(clinic_admin)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("audit:report")).content.decode()
    name = f"{therapist.full_name} (user {therapist.pk})"
    assert f"<del>(empty)</del> → <ins>{name}</ins>" in html
    # Another clinic's user is not looked up: the stored id only.
    assert f"<del>{name}</del> → <ins>user {stranger.pk}</ins>" in html
    assert "Stranger Elsewhere" not in html
    sqls = [q["sql"] for q in queries.captured_queries]
    lookups = [sql for sql in sqls if '"accounts_user"."full_name"' in sql and " IN (" in sql]
    assert len(lookups) == 1  # one for the page
