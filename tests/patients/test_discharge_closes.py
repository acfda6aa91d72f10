"""Discharging an episode closes its run plan, gait retraining and home program for writing:
the patient's runs, check-ins, gait sessions and ticks no longer land on it, a therapist cannot
publish it again, and its history stays readable."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.home.models import Completion, ProgramVersion
from programs.running import gait_services
from programs.running.gait_models import GaitSession
from programs.running.log_models import MorningCheckIn, SessionLog
from programs.running.models import ReturnToRunPlan
from rehab_clinic.accounts.models import User
from tests.builders import make_plan, make_program

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_discharge_closes_the_plan_gait_and_program_for_writing_and_keeps_history(
    patient_user: User, episode: Any, therapist: User
) -> None:
    plan = make_plan(episode, therapist)
    gait = gait_services.create_gait_prescription(
        episode=episode,
        by=therapist,
        baseline_cadence=160,
        increase_pct=Decimal(5),
        cue_type="metronome",
    )
    program = make_program(episode, therapist, items=1)
    version = ProgramVersion.objects.get(program=program)
    today = timezone.localdate()

    staff = _client(therapist)
    response = staff.post(
        reverse("patients:episode_discharge", kwargs={"pk": episode.pk}),
        {"discharged_on": today.isoformat(), "reason": "Back to full training"},
    )
    assert response.status_code == 302

    plan.refresh_from_db()
    gait.refresh_from_db()
    assert plan.status == ReturnToRunPlan.Status.STOPPED
    assert not gait.is_active

    runner = _client(patient_user)
    run = {
        "date": today.isoformat(),
        "stage_number": 1,
        "completed": "on",
        "pain_during": "1",
        "pain_after": "1",
    }
    # Refused and told why on My running (the runner's words are not silently dropped).
    refused_log = runner.post(reverse("programs:rtr_portal_log", args=[plan.pk]), run)
    assert refused_log.status_code == 302
    assert refused_log["Location"] == reverse("programs:rtr_portal_today")
    check_in = {"date": today.isoformat(), "pain": "1", "stiffness": "1"}
    url = reverse("programs:rtr_portal_check_in", args=[plan.pk])
    assert runner.post(url, check_in).status_code == 404
    session = GaitSession.objects.filter(prescription=gait).first()
    assert session is not None
    url = reverse("programs:rtr_portal_gait", args=[gait.pk])
    assert runner.post(url, {"session": session.pk}).status_code == 404
    tick = {"item": version.items[0]["key"], "day": today.isoformat(), "session": 1}
    refused = runner.post(
        reverse("programs:portal_mark_done", args=[version.pk]),
        tick,
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 400
    assert "discharged" in refused.json()["error"]
    assert not SessionLog.objects.exists()
    assert not MorningCheckIn.objects.exists()
    assert not Completion.objects.exists()
    session.refresh_from_db()
    assert session.completed_on is None

    staff.post(reverse("programs:publish", args=[program.pk]))
    assert ProgramVersion.objects.filter(program=program).count() == 1

    # History stays readable.
    assert staff.get(reverse("programs:rtr_plan_detail", args=[plan.pk])).status_code == 200
    assert runner.get(reverse("programs:rtr_portal_gait", args=[gait.pk])).status_code == 200
    version_url = reverse("programs:portal_version", args=[version.pk])
    assert runner.get(version_url).status_code == 200
