"""Ticking that forgives: undo on the day, tick the last week late, a counter of sessions, no
"Rest day." for a patient without a program, and signed in straight after the invitation."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.home import queries, services, tick_services
from programs.home.models import Completion, HomeProgram
from rehab_clinic.audit.models import AuditEvent
from tests.builders import make_program
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _started_days_ago(program: HomeProgram, days: int) -> None:
    HomeProgram.objects.filter(pk=program.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def _one_item(episode: Any, therapist: Any, times_per_day: int = 1) -> tuple[Any, dict[str, Any]]:
    program = make_program(episode, therapist, items=1, publish=False)
    program.items.update(times_per_day=times_per_day, days_per_week=7)
    version = services.publish_home_program(program=program, by=therapist)
    return version, version.items[0]


def _tick(client: Any, version: Any, item: dict[str, Any], day: Any, session: int = 1) -> Any:
    return client.post(
        reverse("programs:portal_mark_done", args=[version.pk]),
        {"item": item["key"], "day": day.isoformat(), "session": session},
    )


def test_a_tick_is_undone_on_the_same_day_and_audited(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    version, item = _one_item(episode, therapist)
    today = episode.patient.clinic.today()
    client.force_login(patient_user)
    _tick(client, version, item, today)
    page = client.get(reverse("programs:portal_today")).content.decode()
    assert f"Undo the tick: {item['name']}" in page
    client.post(
        reverse("programs:portal_undo_tick", args=[version.pk]),
        {"item": item["key"], "day": today.isoformat(), "session": 1},
    )
    assert not Completion.objects.exists()
    assert AuditEvent.objects.filter(detail__startswith="tick undone").exists()
    page = client.get(reverse("programs:portal_today")).content.decode()
    assert f"Mark done: {item['name']}" in page
    assert "Undo the tick" not in page


def test_a_tick_made_on_an_earlier_day_cannot_be_undone(
    therapist: Any, patient_user: Any, episode: Any
) -> None:
    version, item = _one_item(episode, therapist)
    yesterday = episode.patient.clinic.today() - timedelta(days=1)
    services.record_completion(
        version=version, item_key=item["key"], day=yesterday, session=1, by=patient_user
    )
    Completion.objects.update(recorded_at=timezone.now() - timedelta(days=1))
    with pytest.raises(services.ProgramError, match="on the day it was made"):
        tick_services.undo_completion(
            version=version, item_key=item["key"], day=yesterday, session=1, by=patient_user
        )
    assert Completion.objects.count() == 1


def test_another_patient_cannot_undo_my_tick(
    client: Any, therapist: Any, patient_user: Any, second_patient_user: Any, episode: Any
) -> None:
    version, item = _one_item(episode, therapist)
    today = episode.patient.clinic.today()
    services.record_completion(
        version=version, item_key=item["key"], day=today, session=1, by=patient_user
    )
    client.force_login(second_patient_user)
    response = client.post(
        reverse("programs:portal_undo_tick", args=[version.pk]),
        {"item": item["key"], "day": today.isoformat(), "session": 1},
    )
    assert response.status_code == 404
    assert Completion.objects.count() == 1


def test_the_last_week_can_be_ticked_late_from_today(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    version, item = _one_item(episode, therapist)
    _started_days_ago(version.program, 10)
    today = episode.patient.clinic.today()
    yesterday = today - timedelta(days=1)
    client.force_login(patient_user)
    page = client.get(reverse("programs:portal_today")).content.decode()
    assert "Missed a day?" in page
    label = f"Mark done late: {item['name']}, {yesterday:%A} {yesterday.day} {yesterday:%B}"
    assert label in page
    # Seven days back, not eight.
    assert page.count("Mark done late:") == 7
    _tick(client, version, item, yesterday)
    completion = Completion.objects.get()
    assert completion.day == yesterday
    page = client.get(reverse("programs:portal_today")).content.decode()
    assert label not in page
    # Ticked late, and the week says so.
    week = client.get(reverse("programs:portal_week")).content.decode()
    if yesterday >= today - timedelta(days=today.weekday()):
        assert "ticked late" in week
    assert _tick(client, version, item, today - timedelta(days=8)).status_code == 302
    assert Completion.objects.count() == 1


def test_catch_up_starts_on_the_day_the_program_began(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    version, _ = _one_item(episode, therapist)
    _started_days_ago(version.program, 2)
    client.force_login(patient_user)
    page = client.get(reverse("programs:portal_today")).content.decode()
    assert page.count("Mark done late:") == 2


def test_the_counter_counts_sessions(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    version, item = _one_item(episode, therapist, times_per_day=3)
    today = episode.patient.clinic.today()
    client.force_login(patient_user)
    assert "0 of 3 sessions done." in client.get(reverse("programs:portal_today")).content.decode()
    _tick(client, version, item, today, session=1)
    assert "1 of 3 sessions done." in client.get(reverse("programs:portal_today")).content.decode()
    panel = queries.today_for(episode.patient)
    assert (panel["sessions_done"], panel["sessions_due"]) == (1, 3)


def test_a_patient_without_a_program_is_told_so_not_rest_day(
    client: Any, patient_user: Any
) -> None:
    client.force_login(patient_user)
    week = client.get(reverse("programs:portal_week")).content.decode()
    assert "has not published a home program for you yet" in week
    assert "Rest day." not in week


@pytest.mark.usefixtures("eager_celery")  # the invitation email goes through the outbox
def test_a_patient_is_signed_in_after_accepting_the_invitation(
    client: Any,
    therapist: Any,
    clinic: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    patient = PatientFactory(clinic=clinic, email="new.runner@example.test")
    client.force_login(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("patients:invite", args=[patient.pk]))
    client.logout()
    link = re.search(r"http://testserver(/accounts/invite/[^/\s]+/)", mailoutbox[0].body)
    assert link
    password = "Easy-Run-Sunday-Long-5"
    response = client.post(link.group(1), {"password1": password, "password2": password})
    assert response.url == reverse("home")
    landing = client.get(response.url, follow=True)
    assert landing.context["user"].pk == patient.__class__.objects.get(pk=patient.pk).user_id
    assert clinic.name in landing.content.decode()
    assert AuditEvent.objects.filter(action="login", user__email="new.runner@example.test").exists()


def test_pain_and_difficulty_go_with_the_tick_and_the_therapist_sees_a_trend(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    version, item = _one_item(episode, therapist)
    _started_days_ago(version.program, 5)
    today = episode.patient.clinic.today()
    client.force_login(patient_user)
    page = client.get(reverse("programs:portal_today")).content.decode()
    assert "How did it feel? (optional)" in page
    for back, pain, feel in [(2, 5, "hard"), (1, "", "right"), (0, 2, "")]:
        day = today - timedelta(days=back)
        client.post(
            reverse("programs:portal_mark_done", args=[version.pk]),
            {"item": item["key"], "day": day.isoformat(), "session": 1, "pain": pain}
            | {"difficulty": feel},
        )
    said = list(Completion.objects.order_by("day").values_list("pain", "difficulty"))
    assert said == [(5, "hard"), (None, "right"), (2, "")]
    rated = AuditEvent.objects.filter(detail="how it felt").order_by("id").first()
    assert rated is not None
    assert rated.changes == {"difficulty": ["", "hard"], "pain": [None, 5]}
    # Out of range is refused with the tick, nothing half-saved.
    client.post(
        reverse("programs:portal_mark_done", args=[version.pk]),
        {"item": item["key"], "day": (today - timedelta(days=3)).isoformat(), "session": 1}
        | {"pain": 11},
    )
    assert Completion.objects.count() == 3
    client.force_login(therapist)
    html = client.get(reverse("programs:adherence", args=[version.program.pk])).content.decode()
    assert "How it felt, per exercise" in html
    assert f"Pain with each tick: {item['name']}" in html
    assert "pain 5, hard" in html
    assert "pain not said, about right" in html
    assert html.count('<circle class="d"') == 2


def test_the_feel_trend_is_escaped_svg() -> None:
    from datetime import date

    from programs.home.charts import feel_trend

    svg = feel_trend([(date(2026, 1, 1), 3, "hard")], title="<b>x</b>", chart_id='"id')
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
    assert "<script" not in svg
    assert 'role="img"' in svg
