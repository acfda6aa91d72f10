"""The original run file goes with the log it filled: kept privately from the read to the save,
through a form error, downloadable by the therapist and the runner, deleted if never saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programs.running.log_models import SessionLog
from programs.running.runfile_models import PendingRunFile
from programs.tasks import drop_unsaved_run_files_task
from tests.builders import make_plan
from tests.programs.running.runfile_data import fit_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(episode: Any, therapist: Any) -> Any:
    today = episode.patient.clinic.today()
    return make_plan(episode, therapist, started_on=today - dt.timedelta(days=10))


def _start() -> dt.datetime:
    return (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=0, second=0)


def _read(client: Any, plan: Any, data: bytes) -> Any:
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    upload = SimpleUploadedFile("Morning Run.fit", data, content_type="application/octet-stream")
    return client.post(url, {"action": "read_file", "run_file": upload})


def _log_data(response: Any, plan: Any, **changes: str) -> dict[str, str]:
    form = response.context["form"]
    data = {k: str(v) for k, v in form.initial.items()}
    data.update(stage_number=str(plan.current_stage), completed="on")
    data.update(pain_during="2", pain_after="1")
    data["run_file_key"] = str(response.context["kept_run_file"].key)
    data.update(changes)
    return data


def test_the_file_read_is_kept_with_the_log_saved(
    client: Any, patient_user: Any, therapist: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    original = fit_run(start=_start())
    response = _read(client, plan, original)
    assert not SessionLog.objects.exists()
    pending = PendingRunFile.objects.get()
    assert f'value="{pending.key}"' in response.content.decode()
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    assert client.post(url, _log_data(response, plan)).status_code == 302

    log = SessionLog.objects.get()
    assert log.source_file_name == "Morning Run.fit"
    assert log.source_file.name.startswith("run-files/")
    assert log.source_file.name.endswith(".fit")
    with log.source_file.open("rb") as stored:
        assert stored.read() == original
    assert not PendingRunFile.objects.exists()  # the row is gone, the file stays with the log

    mine = client.get(reverse("programs:rtr_portal_log_file", args=[log.pk]))
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == original
    assert "attachment" in mine["Content-Disposition"]
    client.force_login(therapist)
    theirs = client.get(reverse("programs:rtr_log_file", args=[log.pk]))
    assert b"".join(theirs.streaming_content) == original
    plan_page = client.get(reverse("programs:rtr_plan_detail", args=[plan.pk])).content.decode()
    assert reverse("programs:rtr_log_file", args=[log.pk]) in plan_page


def test_a_form_error_keeps_the_file_for_the_next_try(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    response = _read(client, plan, fit_run(start=_start()))
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    wrong = client.post(url, _log_data(response, plan, pain_during="11"))
    assert wrong.status_code == 200
    assert not SessionLog.objects.exists()
    key = str(response.context["kept_run_file"].key)
    assert f'value="{key}"' in wrong.content.decode()  # still carried by the log form
    # The same form sent again (a reload of the answer page posts it again) saves once.
    assert client.post(url, _log_data(response, plan)).status_code == 302
    assert SessionLog.objects.get().source_file_name == "Morning Run.fit"


def test_a_log_without_a_file_has_no_download(client: Any, patient_user: Any, plan: Any) -> None:
    client.force_login(patient_user)
    response = client.get(reverse("programs:rtr_portal_log", args=[plan.pk]))
    assert response.context["kept_run_file"] is None
    assert not PendingRunFile.objects.exists()  # a GET stores nothing


def test_another_runners_key_attaches_nothing(
    client: Any, patient_user: Any, second_patient_user: Any, plan: Any, therapist: Any
) -> None:
    client.force_login(patient_user)
    response = _read(client, plan, fit_run(start=_start()))
    data = _log_data(response, plan)
    other_plan = make_plan(second_patient_user.patient.episodes.create(), therapist)
    client.force_login(second_patient_user)
    url = reverse("programs:rtr_portal_log", args=[other_plan.pk])
    assert client.post(url, data).status_code == 302
    log = SessionLog.objects.get()
    assert log.plan == other_plan
    assert not log.source_file
    assert PendingRunFile.objects.count() == 1


def test_an_unsaved_file_is_deleted_after_the_hours_kept(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    _read(client, plan, fit_run(start=_start() - dt.timedelta(days=1)))
    _read(client, plan, fit_run(start=_start()))
    old, recent = PendingRunFile.objects.order_by("pk")
    PendingRunFile.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=settings.RUN_FILE_PENDING_HOURS + 1)
    )
    assert default_storage.exists(old.file.name)
    assert drop_unsaved_run_files_task.apply().get() == 1
    assert not default_storage.exists(old.file.name)
    assert list(PendingRunFile.objects.all()) == [recent]
    assert default_storage.exists(recent.file.name)
    assert drop_unsaved_run_files_task.apply().get() == 0
    # An expired key no longer attaches its file: the log saves without it.
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    response = client.post(
        url,
        {
            "date": str(plan.episode.patient.clinic.today()),
            "stage_number": str(plan.current_stage),
            "completed": "on",
            "pain_during": "1",
            "pain_after": "1",
            "run_file_key": str(old.key),
        },
    )
    assert response.status_code in (200, 302)
    assert not SessionLog.objects.filter(source_file=old.file.name).exists()


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_several_files_at_once_become_one_log_each(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    two_days_ago = _start() - dt.timedelta(days=2)
    files = [
        _file("tuesday.fit", fit_run(start=two_days_ago, elapsed_s=1200, timer_s=1100)),
        _file("today.fit", fit_run(start=_start())),
    ]
    response = client.post(url, {"action": "read_file", "run_file": files})
    assert response.status_code == 200
    first, second = PendingRunFile.objects.order_by("pk")
    assert (first.original_name, second.original_name) == ("tuesday.fit", "today.fit")
    assert response.context["kept_run_file"] == first
    assert response.context["waiting_files"] == [second]
    assert str(response.context["form"].initial["duration_minutes"]) == "20.0"
    assert not SessionLog.objects.exists()

    saved = client.post(url, _log_data(response, plan))
    assert saved.status_code == 302
    assert saved["Location"] == f"{url}?run_file_key={second.key}"
    following = client.get(saved["Location"])
    assert following.context["kept_run_file"] == second
    assert following.context["form"].initial["duration_minutes"] == "30.0"
    assert following.context["waiting_files"] == []
    done = client.post(url, _log_data(following, plan))
    assert done["Location"] == reverse("programs:rtr_portal_today")
    logs = list(SessionLog.objects.order_by("pk"))
    assert [log.source_file_name for log in logs] == ["tuesday.fit", "today.fit"]
    assert [log.duration_minutes for log in logs] == [20, 30]
    assert not PendingRunFile.objects.exists()


def test_one_bad_file_among_several_keeps_none_and_names_it(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    files = [_file("good.fit", fit_run(start=_start())), _file("broken.fit", b"not a run file")]
    response = client.post(url, {"action": "read_file", "run_file": files})
    assert response.status_code == 200
    assert "broken.fit" in " ".join(response.context["file_form"].errors["run_file"])
    assert not PendingRunFile.objects.exists()
    assert not SessionLog.objects.exists()


def test_reading_the_same_file_again_keeps_it_once(
    client: Any, patient_user: Any, therapist: Any, plan: Any
) -> None:
    """A double tap on "Read the file", a reload of the page it answers (the browser posts the
    file again) or Back and read again: one run, so one file to complete, not a second copy the
    runner is then asked to log as another run."""
    client.force_login(patient_user)
    original = fit_run(start=_start())
    first = _read(client, plan, original)
    again = _read(client, plan, original)
    assert PendingRunFile.objects.count() == 1
    assert again.context["kept_run_file"].key == first.context["kept_run_file"].key
    assert not again.context["waiting_files"]
    other = fit_run(start=_start() - dt.timedelta(days=1))
    _read(client, plan, other)
    assert PendingRunFile.objects.count() == 2  # another run is kept as its own file
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    response = client.post(url, _log_data(first, plan))
    assert response.status_code == 302
    assert PendingRunFile.objects.count() == 1


def test_reading_a_file_already_logged_says_so(
    client: Any, patient_user: Any, therapist: Any, plan: Any
) -> None:
    """Back after saving, or a reload of the read page, and the same file is read again: the
    page warns that this run is logged already, so it is not counted twice by mistake."""
    client.force_login(patient_user)
    original = fit_run(start=_start())
    first = _read(client, plan, original)
    assert "already logged" not in first.content.decode()
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    assert client.post(url, _log_data(first, plan)).status_code == 302
    log = SessionLog.objects.get()

    again = _read(client, plan, original)
    warning = again.content.decode()
    assert 'data-testid="run-file-already-logged"' in warning
    assert f"{log.date:%A} {log.date.day} {log.date:%B}" in warning
    other = _read(client, plan, fit_run(start=_start() - dt.timedelta(days=1)))
    assert "run-file-already-logged" not in other.content.decode()


def test_a_run_file_saved_in_one_tab_is_not_saved_again_from_another(
    client: Any, patient_user: Any, therapist: Any, plan: Any
) -> None:
    """The file read in one tab and the log saved there; the same form, still open in a second
    tab (or resubmitted after Back), is saved again: one run, one log, and the runner is told."""
    client.force_login(patient_user)
    read = _read(client, plan, fit_run(start=_start()))
    url = reverse("programs:rtr_portal_log", args=[plan.pk])
    data = _log_data(read, plan)
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "pain_during": "3"}, follow=True)
    assert SessionLog.objects.count() == 1
    assert SessionLog.objects.get().pain_during == 2
    log = SessionLog.objects.get()
    assert f"saved already, as your run on {log.date:%A} {log.date.day}" in again.content.decode()


def test_two_saves_of_one_kept_file_at_once_make_one_log(
    patient_user: Any, therapist: Any, plan: Any, client: Any
) -> None:
    """Both requests found the kept file before either saved (a double tap): the plan lock
    orders them, and the second finds the file already saved with the first."""
    from programs.running import services
    from programs.running.runfile_models import RunFileAlreadySaved

    client.force_login(patient_user)
    read = _read(client, plan, fit_run(start=_start()))
    kept = PendingRunFile.objects.get()
    stale = PendingRunFile.objects.get(pk=kept.pk)  # what the second request loaded
    values = read.context["form"].initial | {"stage_number": plan.current_stage}
    values = {k: v for k, v in values.items() if k not in ("distance", "distance_m")}
    form_values = {**values, "completed": True, "pain_during": 2, "pain_after": 1}
    services.log_session(plan=plan, by=patient_user, values=form_values, source=kept)
    with pytest.raises(RunFileAlreadySaved):
        services.log_session(plan=plan, by=patient_user, values=form_values, source=stale)
    assert SessionLog.objects.count() == 1
