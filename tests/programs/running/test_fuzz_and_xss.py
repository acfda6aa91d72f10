"""Runner-typed text never runs as script, and the log forms never crash or half-save."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from tests.builders import log_run, make_plan

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_notes_and_override_notes_are_escaped_on_every_page(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    from programs.running import services as services

    plan = make_plan(episode, therapist)
    today = timezone.localdate()
    log_run(plan, patient_user, today, notes=XSS)
    services.override_stage(plan=plan, by=therapist, to_stage=2, note=XSS)
    for user, url in [
        (therapist, reverse("programs:rtr_plan_detail", args=[plan.pk])),
        (therapist, reverse("patients:chart", args=[episode.patient.pk])),
        (patient_user, reverse("programs:rtr_portal_today")),
    ]:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert" in html, url


numbers = st.one_of(
    st.integers(min_value=-1000, max_value=1000).map(str),
    st.text(max_size=6),
    st.sampled_from(["", "1e9", "NaN", "-0", "10.5", "٣"]),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pain_during=numbers,
    pain_after=numbers,
    duration=numbers,
    run=numbers,
    day=st.one_of(st.dates().map(str), st.text(max_size=10)),
    notes=st.text(max_size=50),
)
def test_log_form_never_crashes_and_never_half_saves(
    client: Any,
    therapist: Any,
    patient_user: Any,
    episode: Any,
    pain_during: str,
    pain_after: str,
    duration: str,
    run: str,
    day: str,
    notes: str,
) -> None:
    plan = (
        make_plan(episode, therapist) if not episode.rtr_plans.exists() else episode.rtr_plans.get()
    )
    client.force_login(patient_user)
    before = (SessionLog.objects.count(), StageChange.objects.count())
    response = client.post(
        reverse("programs:rtr_portal_log", args=[plan.pk]),
        {
            "date": day,
            "stage_number": "1",
            "completed": "on",
            "duration_minutes": duration,
            "run_minutes": run,
            "pain_during": pain_during,
            "pain_after": pain_after,
            "notes": notes,
        },
    )
    assert response.status_code in (200, 302)
    after = (SessionLog.objects.count(), StageChange.objects.count())
    if response.status_code == 200:
        assert after == before
    else:
        log = SessionLog.objects.latest("id")
        assert 0 <= log.pain_during <= 10
        assert 0 <= log.pain_after <= 10
        assert log.date <= timezone.localdate()
        assert log.duration_minutes is None or log.duration_minutes >= 0


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pain=numbers, stiffness=numbers, day=st.one_of(st.dates().map(str), st.text(max_size=10)))
def test_check_in_form_never_crashes(
    client: Any,
    therapist: Any,
    patient_user: Any,
    episode: Any,
    pain: str,
    stiffness: str,
    day: str,
) -> None:
    plan = (
        make_plan(episode, therapist) if not episode.rtr_plans.exists() else episode.rtr_plans.get()
    )
    client.force_login(patient_user)
    before = MorningCheckIn.objects.count()
    response = client.post(
        reverse("programs:rtr_portal_check_in", args=[plan.pk]),
        {"date": day, "pain": pain, "stiffness": stiffness},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert MorningCheckIn.objects.count() == before
