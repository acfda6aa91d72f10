"""The caseload counts no further than a look-ahead past the page it shows: at a clinic of
10,000 patients a full count is a scan of them all on every visit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rehab_clinic.accounts import paging
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_clinic_longer_than_the_look_ahead_reads_as_more_than(
    client: Any, therapist: Any, clinic: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(paging, "LOOK_AHEAD", 5)  # the first page counts 25 + 5 rows at most
    PatientFactory.create_batch(40, clinic=clinic, primary_therapist=therapist)
    client.force_login(therapist)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("patients:caseload"))
    text = _text(response)
    assert "More than 30 patients" in text
    assert "Page 1 of at least 2" in text
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    caseload_counts = [sql for sql in counts if '"next_visit"' in sql]  # the list's own query
    assert caseload_counts
    assert all("LIMIT 31" in sql for sql in caseload_counts), caseload_counts


def test_a_short_list_is_counted_exactly(client: Any, therapist: Any, clinic: Any) -> None:
    PatientFactory.create_batch(3, clinic=clinic, primary_therapist=therapist)
    client.force_login(therapist)
    text = _text(client.get(reverse("patients:caseload")))
    assert re.search(r"\b3 patients\b", text), text[:400]
    assert "More than" not in text
