"""Four taps on "Prepare my record" at the same moment, on four connections, make one export and
one outbox message (the partial unique constraint decides; the losers get the winner's)."""

from typing import Any

import pytest
from django.db import connection

from rehab_clinic.outbox.models import OutboxMessage
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import EXPORT_TASK, request_export
from tests.races import at_once


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once: SQLite locks the whole database, so the race cannot happen there",
)
@pytest.mark.django_db(transaction=True)
def test_racing_taps_on_prepare_make_one_export(
    patient: Any, patient_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rehab_clinic.outbox.services.send_soon", lambda message_pk: False)

    results = at_once(lambda: request_export(patient=patient, by=patient_user).pk)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    assert RecordExport.objects.count() == 1
    assert OutboxMessage.objects.filter(task=EXPORT_TASK).count() == 1
