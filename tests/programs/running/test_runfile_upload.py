"""The log page reads a run file into the log form: nothing is saved until the runner adds the
pain scores and saves; a bad file gets a message beside the file field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programs.running import gait_services
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.log_models import SessionLog
from programs.running.runfile_models import PendingRunFile
from tests.builders import make_plan
from tests.programs.running.runfile_data import BILLION_LAUGHS, fit_run, gpx_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(episode: Any, therapist: Any) -> Any:
    today = episode.patient.clinic.today()
    return make_plan(episode, therapist, started_on=today - dt.timedelta(days=10))


def _start() -> dt.datetime:
    return (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=0, second=0)


def _upload(client: Any, plan: Any, data: bytes, name: str = "run.fit") -> Any:
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(url, {"action": "read_file", "run_file": upload})


def test_an_upload_fills_the_form_and_saves_nothing(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    start = _start()
    response = _upload(client, plan, fit_run(start=start, elapsed_s=1800, timer_s=1500))
    assert response.status_code == 200
    assert not SessionLog.objects.exists()
    form = response.context["form"]
    zone = plan.episode.patient.clinic.zone
    assert form.initial["date"] == start.astimezone(zone).date()
    assert str(form.initial["duration_minutes"]) == "30.0"
    assert str(form.initial["run_minutes"]) == "25.0"
    assert form.initial["cadence"] == 173
    assert "150 bpm" in form.initial["notes"]
    page = response.content.decode()
    assert 'data-testid="run-file-found"' in page
    assert f"{start.astimezone(zone):%H:%M}" in page
    assert 'value="173"' in page


def test_the_runner_then_adds_pain_and_the_log_keeps_the_values(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    form = _upload(client, plan, fit_run(start=_start())).context["form"]
    data = {k: str(v) for k, v in form.initial.items()}
    data.update(stage_number=str(plan.current_stage), completed="on")
    data.update(pain_during="2", pain_after="1")
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    assert client.post(url, data).status_code == 302
    log = SessionLog.objects.get()
    assert (log.duration_minutes, log.run_minutes) == (30, 25)
    assert log.distance_m == pytest.approx(5000, abs=10)  # two decimals of the clinic unit
    assert log.cadence == 173
    assert (log.pain_during, log.pain_after) == (2, 1)


def test_a_gpx_upload_fills_distance_in_the_clinic_unit(
    client: Any, patient_user: Any, plan: Any
) -> None:
    clinic = plan.episode.patient.clinic
    clinic.distance_unit = "mi"
    clinic.save()
    client.force_login(patient_user)
    form = _upload(client, plan, gpx_run(), "run.gpx").context["form"]
    assert float(form.initial["distance"]) == pytest.approx(6000 / 1609.344, rel=0.03)
    assert form.initial["cadence"] == 170


def test_a_file_with_no_distance_still_fills_the_time_and_says_so(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    response = _upload(client, plan, fit_run(start=_start(), distance_m=None))
    assert "distance" not in response.context["form"].initial
    assert str(response.context["form"].initial["duration_minutes"]) == "30.0"
    assert 'data-testid="no-distance"' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some text", "not a FIT or GPX file"),
        (BILLION_LAUGHS, "not allowed in a GPX file"),
        (fit_run()[:60], "truncated"),
        (gpx_run(timed=False), "no times"),
    ],
)
def test_a_bad_file_gets_a_message_beside_the_field(
    client: Any, patient_user: Any, plan: Any, data: bytes, message: str
) -> None:
    client.force_login(patient_user)
    response = _upload(client, plan, data)
    assert response.status_code == 200
    assert message in str(response.context["file_form"].errors["run_file"])
    assert 'id="error_1_id_upload_run_file"' in response.content.decode() or (
        message in response.content.decode()
    )
    assert not SessionLog.objects.exists()


def test_a_file_over_the_cap_is_refused(
    client: Any, patient_user: Any, plan: Any, settings: Any
) -> None:
    settings.RUN_FILE_MAX_BYTES = 1024 * 1024
    client.force_login(patient_user)
    response = _upload(client, plan, b"\0" * (1024 * 1024 + 10))
    assert "too big" in str(response.context["file_form"].errors["run_file"])
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize("intruder", ["second_patient_user", "other_patient_user"])
def test_another_patient_cannot_upload_to_my_plan(
    client: Any, plan: Any, intruder: str, request: Any
) -> None:
    client.force_login(request.getfixturevalue(intruder))
    assert _upload(client, plan, fit_run(start=_start())).status_code == 404


def test_the_cadence_read_from_a_file_reaches_the_gait_plan_page(
    client: Any, patient_user: Any, therapist: Any, plan: Any
) -> None:
    prescription = gait_services.create_gait_prescription(
        episode=plan.episode,
        by=therapist,
        baseline_cadence=160,
        increase_pct=Decimal("7.5"),
        cue_type=GaitRetrainingPrescription.Cue.METRONOME,
    )
    client.force_login(patient_user)
    form = _upload(client, plan, fit_run(start=_start(), cadence_leg=85, fractional=0)).context[
        "form"
    ]
    data = {k: str(v) for k, v in form.initial.items()}
    data.update(stage_number=str(plan.current_stage), pain_during="1", pain_after="1")
    client.post(reverse("programs:rtr_portal_log", args=[plan.pk]), data)
    client.force_login(therapist)
    page = client.get(reverse("programs:rtr_gait_detail", args=[prescription.pk])).content.decode()
    gap = 170 - prescription.target_cadence
    assert f"170 steps/min ({'+' if gap >= 0 else ''}{gap} from target)" in page


def test_a_file_that_cannot_be_logged_can_be_removed_instead_of_waiting_a_day(
    client: Any,
    patient_user: Any,
    plan: Any,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A watch file of a run from before the plan started can never be saved (the date is
    refused) yet stayed listed as "still to complete" for 24 hours, and every run logged after
    it led back to it. The runner can now say not to log it: it is gone, row and stored copy,
    and the next file waiting opens instead."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(patient_user)
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    old = fit_run(start=_start() - dt.timedelta(days=40), elapsed_s=1800, timer_s=1500)
    recent = fit_run(start=_start(), elapsed_s=1200, timer_s=1100)
    client.post(
        url,
        {
            "action": "read_file",
            "run_file": [
                SimpleUploadedFile("old.fit", old, content_type="application/octet-stream"),
                SimpleUploadedFile("new.fit", recent, content_type="application/octet-stream"),
            ],
        },
    )
    first, second = PendingRunFile.objects.order_by("pk")
    stored = tmp_path / first.file.name
    assert stored.exists()
    page = client.get(url, {"run_file_key": first.key}).content.decode()
    assert "pick a later date" not in page
    assert 'value="discard_file"' in page  # beside the file, and on the list of those waiting

    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(url, {"action": "discard_file", "run_file_key": str(first.key)})
    assert removed.status_code == 302
    assert removed.url == f"{url}?run_file_key={second.key}"
    assert list(PendingRunFile.objects.all()) == [second]
    assert not stored.exists()
    assert not SessionLog.objects.exists()
    page = client.get(removed.url).content.decode()
    assert "“old.fit” was removed without logging a run." in page
    assert "old.fit" not in page.split("was removed")[1]

    # Sent again (a double tap, Back and resend): nothing more happens, and it says so.
    again = client.post(url, {"action": "discard_file", "run_file_key": str(first.key)})
    assert again.url == url
    assert list(PendingRunFile.objects.all()) == [second]


def test_another_runner_cannot_remove_my_waiting_file(
    client: Any, patient_user: Any, second_patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    _upload(client, plan, fit_run(start=_start(), elapsed_s=1200, timer_s=1100))
    pending = PendingRunFile.objects.get()
    client.force_login(second_patient_user)
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    response = client.post(url, {"action": "discard_file", "run_file_key": str(pending.key)})
    assert response.status_code == 404
    assert PendingRunFile.objects.filter(pk=pending.pk).exists()
