"""A Today queue reads its first rows and its total in one query (`hooks.take`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.hooks import take
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("patients", "limit", "shown", "total"), [(12, 5, 5, 12), (3, 5, 3, 3)])
def test_the_first_rows_and_the_total_come_in_one_query(
    clinic: Any, patients: int, limit: int, shown: int, total: int
) -> None:
    PatientFactory.create_batch(patients, clinic=clinic)
    PatientFactory.create_batch(4)  # another clinic's: not in the queue, not in its total
    queue = Patient.objects.filter(clinic=clinic).order_by("last_name", "id")
    with CaptureQueriesContext(connection) as queries:
        rows, count = take(queue, limit)
    assert (len(rows), count) == (shown, total)
    assert len(queries) == 1
    assert [p.pk for p in rows] == list(queue.values_list("pk", flat=True)[:limit])


def test_an_empty_queue_counts_none(clinic: Any) -> None:
    assert take(Patient.objects.filter(clinic=clinic), 5) == ([], 0)


def test_without_a_limit_every_row_is_read(clinic: Any) -> None:
    PatientFactory.create_batch(7, clinic=clinic)
    rows, count = take(Patient.objects.filter(clinic=clinic), None)
    assert (len(rows), count) == (7, 7)
