"""Refused access to a patient's records leaves a trace, and a crawler cannot flood the trail:
the allowance is counted in Redis when there is one, so every web process shares it."""

import os
import uuid
from typing import Any

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from rehab_clinic.audit import middleware
from rehab_clinic.audit.middleware import DENIALS_PER_MINUTE, count_denial
from rehab_clinic.audit.models import AuditEvent
from tests.test_settings import PRODUCTION_ENV, _manage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def minute(monkeypatch: pytest.MonkeyPatch) -> int:
    """A minute of this test's own, so no count is left over from another test or run (the
    counts may live in a Redis that outlives the test database)."""
    fresh = uuid.uuid4().int % 10**12
    monkeypatch.setattr(middleware, "current_minute", lambda: fresh)
    return fresh


def _denials(user: Any) -> Any:
    return AuditEvent.objects.filter(user=user, outcome=AuditEvent.Outcome.DENIED)


def test_a_patient_probing_another_patients_chart_leaves_a_row(
    client: Any, patient_user: Any, second_patient_user: Any
) -> None:
    client.force_login(patient_user)
    victim = second_patient_user.patient
    assert client.get(reverse("patients:chart", args=[victim.pk])).status_code == 403
    event = _denials(patient_user).get()
    assert event.object_id == f"pk={victim.pk}"
    assert event.detail == "refused 403 on patients:chart"
    assert event.object_repr == f"/patients/{victim.pk}/"
    assert event.clinic_id == patient_user.clinic_id
    assert event.patient is None  # the patient asked for is not revealed to the prober's trail


def test_another_clinics_therapist_asking_for_a_chart_leaves_a_404_row(
    client: Any, other_therapist: Any, patient: Any
) -> None:
    client.force_login(other_therapist)
    assert client.get(reverse("patients:chart", args=[patient.pk])).status_code == 404
    assert _denials(other_therapist).get().detail == "refused 404 on patients:chart"


def test_allowed_views_and_routes_without_a_record_leave_no_denial(
    client: Any, therapist: Any, patient: Any, patient_user: Any
) -> None:
    client.force_login(therapist)
    assert client.get(reverse("patients:chart", args=[patient.pk])).status_code == 200
    client.force_login(patient_user)
    assert client.get(reverse("audit:report")).status_code == 403  # not a patient record
    assert not AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).exists()


def test_a_thousand_probes_leave_a_bounded_number_of_rows(
    client: Any, patient_user: Any, second_patient_user: Any, monkeypatch: Any, minute: int
) -> None:
    client.force_login(patient_user)
    for pk in range(1000, 2000):
        client.get(reverse("patients:chart", args=[pk]))
    rows = _denials(patient_user).order_by("id")
    assert rows.count() == DENIALS_PER_MINUTE + 1
    assert rows.last().detail.endswith("more refusals on this route this minute are not recorded")
    # Another route has its own allowance.
    client.get(reverse("patients:episode", args=[1]))
    assert rows.count() == DENIALS_PER_MINUTE + 2
    # The next minute starts a new allowance.
    monkeypatch.setattr(middleware, "current_minute", lambda: minute + 1)
    client.get(reverse("patients:chart", args=[5]))
    assert rows.count() == DENIALS_PER_MINUTE + 3


def test_denials_show_in_the_audit_report_and_filter_by_outcome(
    client: Any, clinic_admin: Any, patient_user: Any, second_patient_user: Any
) -> None:
    client.force_login(patient_user)
    client.get(reverse("patients:chart", args=[second_patient_user.patient.pk]))
    client.force_login(clinic_admin)
    html = client.get(reverse("audit:report"), {"outcome": "denied"}).content.decode()
    assert "refused 403 on patients:chart" in html
    assert patient_user.email in html
    html = client.get(reverse("audit:report"), {"outcome": "success"}).content.decode()
    assert "refused 403 on patients:chart" not in html


def test_two_web_processes_count_against_one_allowance() -> None:
    """Two cache clients of their own (as two gunicorn workers have) on one Redis: the second
    goes on from the first's count instead of starting a fresh allowance."""
    url = os.environ.get("PDF_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"This test needs Redis at {url}: {exc}")
    first, second = (RedisCache(url, {"KEY_PREFIX": "test-denials"}) for _ in range(2))
    assert first._cache is not second._cache  # two clients, two connection pools
    for number in range(1, 6):
        assert count_denial(first, 7, "patients:chart") == number
    assert count_denial(second, 7, "patients:chart") == 6
    assert count_denial(second, 7, "patients:episode") == 1  # each route its own allowance


def test_production_counts_denials_in_redis() -> None:
    shown = _manage(
        "shell",
        "-c",
        "from django.conf import settings; from django.core.cache import caches; "
        "print(settings.SHARED_CACHE_ALIAS, type(caches[settings.SHARED_CACHE_ALIAS]).__name__, "
        "settings.CACHES[settings.SHARED_CACHE_ALIAS]['LOCATION'])",
        env=PRODUCTION_ENV,
    )
    assert shown.returncode == 0, shown.stderr
    last = shown.stdout.strip().splitlines()[-1]  # after the shell's "objects imported" line
    assert last.split() == ["shared", "RedisCache", PRODUCTION_ENV["REDIS_URL"]]


def test_an_unreachable_redis_counts_in_the_process_and_still_answers(
    client: Any, patient_user: Any, second_patient_user: Any, settings: Any
) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    settings.SHARED_CACHE_ALIAS = "shared"
    client.force_login(patient_user)
    victim = second_patient_user.patient
    assert client.get(reverse("patients:chart", args=[victim.pk])).status_code == 403
    assert _denials(patient_user).count() == 1
