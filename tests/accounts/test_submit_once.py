"""Every form that creates a record a person makes once saves it once: the second submit of the
same rendered form (double tap, flaky retry) answers with the first redirect, not a second row
and not an error. Four identical submits racing on PostgreSQL give one row and no 500."""

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Addendum, Note, OutcomeAssignment, OutcomeResponse
from patients.models import Patient
from programs.home.models import Completion, ProgramVersion
from programs.running.log_models import MorningCheckIn, SessionLog
from rehab_clinic.accounts.models import Invitation, SubmissionKey, User
from rehab_clinic.accounts.submissions import FIELD, REPEAT_MESSAGE
from tests.builders import LEFS_50, intake, make_plan, make_program
from tests.factories import EpisodeFactory, PatientFactory

pytestmark = pytest.mark.django_db


def _key_on(client: Client, page_url: str) -> str:
    page = client.get(page_url)
    assert page.status_code == 200
    found = re.findall(rf'name="{FIELD}" value="([^"]+)"', page.content.decode())
    assert found, f"{page_url} renders no submission key"
    return found[0]


def _submit_twice(
    client: Client, *, page: str, post: str, data: dict[str, Any], rows: Callable[[], int]
) -> None:
    key = _key_on(client, page)
    before = rows()
    first = client.post(post, {**data, FIELD: key})
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(post, {**data, FIELD: key}, follow=True)
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert REPEAT_MESSAGE in second.content.decode()
    assert rows() == before + 1


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_double_submitted_run_log_counts_once(
    patient_user: User, episode: Any, therapist: User
) -> None:
    plan = make_plan(episode, therapist)
    for name in ("programs:rtr_portal_log", "programs:rtr_portal_player"):
        url = reverse(name, kwargs={"pk": plan.pk})
        data = {
            "date": timezone.localdate().isoformat(),
            "stage_number": plan.current_stage,
            "completed": "on",
            "duration_minutes": "30",
            "run_minutes": "5",
            "pain_during": "1",
            "pain_after": "1",
            # The player's run is a second run that day, and says so.
            "another_run": "on",
        }
        _submit_twice(
            _client(patient_user), page=url, post=url, data=data, rows=SessionLog.objects.count
        )


def test_a_double_submitted_check_in_answers_with_the_first_result(
    patient_user: User, episode: Any, therapist: User
) -> None:
    plan = make_plan(episode, therapist)
    url = reverse("programs:rtr_portal_check_in", kwargs={"pk": plan.pk})
    data = {"date": timezone.localdate().isoformat(), "pain": "1", "stiffness": "2"}
    _submit_twice(
        _client(patient_user), page=url, post=url, data=data, rows=MorningCheckIn.objects.count
    )


def test_a_repeated_tick_from_the_offline_queue_counts_once(
    patient_user: User, episode: Any, therapist: User
) -> None:
    version = ProgramVersion.objects.get(program=make_program(episode, therapist, items=1))
    url = reverse("programs:portal_mark_done", kwargs={"pk": version.pk})
    tick = {"item": version.items[0]["key"], "day": timezone.localdate().isoformat(), "session": 1}
    client = _client(patient_user)
    answers = [client.post(url, tick, HTTP_ACCEPT="application/json").json() for _ in range(3)]
    assert answers == [{"ok": True, "created": True}] + [{"ok": True, "created": False}] * 2
    assert Completion.objects.count() == 1


def test_a_double_submitted_publish_makes_one_version(episode: Any, therapist: User) -> None:
    program = make_program(episode, therapist, publish=False)
    _submit_twice(
        _client(therapist),
        page=reverse("programs:builder", kwargs={"pk": program.pk}),
        post=reverse("programs:publish", kwargs={"pk": program.pk}),
        data={},
        rows=ProgramVersion.objects.count,
    )


def test_a_double_submitted_portal_invitation_sends_one(clinic: Any, therapist: User) -> None:
    patient = PatientFactory(clinic=clinic, email="new.runner@example.test")
    _submit_twice(
        _client(therapist),
        page=reverse("patients:chart", kwargs={"pk": patient.pk}),
        post=reverse("patients:invite", kwargs={"pk": patient.pk}),
        data={},
        rows=Invitation.objects.usable().count,
    )
    assert Invitation.objects.filter(patient=patient).count() == 1


def test_a_double_submitted_staff_invitation_sends_one(clinic_admin: User) -> None:
    url = reverse("accounts:staff_add")
    data = {"full_name": "Nia New", "email": "nia@example.test", "role": User.Role.THERAPIST}
    _submit_twice(
        _client(clinic_admin), page=url, post=url, data=data, rows=Invitation.objects.count
    )


def test_a_double_submitted_questionnaire_is_one_response_and_no_404(
    patient_user: User, episode: Any, therapist: User
) -> None:
    assignment = OutcomeAssignment.objects.create(
        episode=episode, instrument="lefs", assigned_by=therapist
    )
    url = reverse("assessments:portal_measure", kwargs={"pk": assignment.pk})
    _submit_twice(
        _client(patient_user),
        page=url,
        post=url,
        data={"taken_on": timezone.localdate().isoformat(), **LEFS_50},
        rows=OutcomeResponse.objects.count,
    )


def test_a_double_submitted_questionnaire_assignment_assigns_once(
    episode: Any, therapist: User
) -> None:
    _submit_twice(
        _client(therapist),
        page=reverse("patients:episode", args=[episode.pk]),
        post=reverse("assessments:outcome_assign", kwargs={"episode_id": episode.pk}),
        data={"instrument": "lefs", "due_on": ""},
        rows=OutcomeAssignment.objects.count,
    )


def test_a_double_submitted_new_note_starts_one_draft(episode: Any, therapist: User) -> None:
    _submit_twice(
        _client(therapist),
        page=reverse("patients:episode", args=[episode.pk]),
        post=reverse("assessments:note_start", kwargs={"episode_id": episode.pk, "kind": "intake"}),
        data={},
        rows=Note.objects.count,
    )


def test_a_double_submitted_outcome_on_a_note_records_once(episode: Any, therapist: User) -> None:
    note = intake(episode, therapist)
    url = reverse("assessments:note_outcome", kwargs={"pk": note.pk, "instrument": "lefs"})
    _submit_twice(
        _client(therapist),
        page=url,
        post=url,
        data={"taken_on": timezone.localdate().isoformat(), **LEFS_50},
        rows=OutcomeResponse.objects.count,
    )


def test_a_double_submitted_addendum_is_added_once(episode: Any, therapist: User) -> None:
    note = intake(episode, therapist, signed=True)
    url = reverse("assessments:addendum_create", kwargs={"pk": note.pk})
    _submit_twice(
        _client(therapist),
        page=url,
        post=url,
        data={"kind": "addendum", "reason": "Typo", "text": "Cadence was 162, not 160."},
        rows=Addendum.objects.count,
    )


def test_a_form_with_errors_gives_its_key_back(
    patient_user: User, episode: Any, therapist: User
) -> None:
    plan = make_plan(episode, therapist)
    url = reverse("programs:rtr_portal_check_in", kwargs={"pk": plan.pk})
    client = _client(patient_user)
    key = _key_on(client, url)
    refused = client.post(url, {"date": timezone.localdate().isoformat(), "pain": "11", FIELD: key})
    assert refused.status_code == 200
    assert not SubmissionKey.objects.exists()
    fixed = client.post(
        url, {"date": timezone.localdate().isoformat(), "pain": "1", "stiffness": "1", FIELD: key}
    )
    assert fixed.status_code == 302
    assert MorningCheckIn.objects.count() == 1


def test_keys_belong_to_one_user(clinic: Any, therapist: User, second_patient_user: User) -> None:
    from tests.factories import make_patient_user

    runners = [make_patient_user(clinic, first_name=n, last_name="Runner") for n in ("Ann", "Bo")]
    key = "k" * 24
    for runner in runners:
        plan = make_plan(EpisodeFactory(patient=runner.patient), therapist)
        url = reverse("programs:rtr_portal_check_in", kwargs={"pk": plan.pk})
        data = {"date": timezone.localdate().isoformat(), "pain": "1", "stiffness": "1"}
        assert _client(runner).post(url, {**data, FIELD: key}).status_code == 302
    assert MorningCheckIn.objects.count() == 2
    assert Patient.objects.count() >= 2


def _race(user: User, url: str, data: dict[str, Any], **extra: Any) -> list[Any]:
    """Four identical posts at once, each on its own connection."""
    start = threading.Barrier(4)
    answers: list[Any] = []

    def submit() -> None:
        client = _client(user)
        start.wait()
        try:
            answers.append(client.post(url, data, **extra))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
@postgresql_only
@pytest.mark.parametrize("with_key", [True, False], ids=["same-form", "no-key"])
def test_four_concurrent_identical_check_ins_give_one_row_and_no_server_error(
    patient_user: User, episode: Any, therapist: User, with_key: bool
) -> None:
    plan = make_plan(episode, therapist)
    url = reverse("programs:rtr_portal_check_in", kwargs={"pk": plan.pk})
    data = {"date": timezone.localdate().isoformat(), "pain": "1", "stiffness": "1"}
    if with_key:
        data[FIELD] = _key_on(_client(patient_user), url)
    answers = _race(patient_user, url, data)
    moved = [answer for answer in answers if answer.status_code == 302]
    if with_key:
        assert len(moved) == 4
    else:
        # Without a key, a post that arrives once the first is saved is told so beside the date
        # (one check-in a morning); none of them is a server error.
        assert moved
        for answer in answers:
            assert answer.status_code == 302 or (
                answer.status_code == 200
                and "already checked in for this morning" in answer.content.decode()
            ), answer.status_code
    assert len({answer["Location"] for answer in moved}) == 1
    assert MorningCheckIn.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_four_concurrent_identical_ticks_give_one_row_and_no_server_error(
    patient_user: User, episode: Any, therapist: User
) -> None:
    version = ProgramVersion.objects.get(program=make_program(episode, therapist, items=1))
    url = reverse("programs:portal_mark_done", kwargs={"pk": version.pk})
    tick = {"item": version.items[0]["key"], "day": timezone.localdate().isoformat(), "session": 1}
    answers = _race(patient_user, url, tick, HTTP_ACCEPT="application/json")
    assert [answer.status_code for answer in answers] == [200] * 4
    assert sorted(answer.json()["created"] for answer in answers) == [False, False, False, True]
    assert Completion.objects.count() == 1
