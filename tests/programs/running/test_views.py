"""Access, bad input and units on the return-to-run pages (Django test client)."""

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.running import gait_services, services
from programs.running.fields import EPISODE_CHOICE_LIMIT
from programs.running.log_models import MorningCheckIn, SessionLog
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from tests.builders import make_plan, protocol
from tests.factories import EpisodeFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

PORTAL_PLAN_URLS = [
    "programs:rtr_portal_log",
    "programs:rtr_portal_check_in",
    "programs:rtr_portal_player",
]
STAFF_PLAN_URLS = ["programs:rtr_plan_detail", "programs:rtr_plan_customise"]
STAFF_PLAN_POSTS = ["programs:rtr_plan_readiness", "programs:rtr_plan_override"]


@pytest.fixture
def plan(episode: Any, therapist: Any) -> Any:
    return make_plan(episode, therapist)


@pytest.fixture
def gait(episode: Any, therapist: Any) -> Any:
    return gait_services.create_gait_prescription(
        episode=episode,
        by=therapist,
        baseline_cadence=158,
        increase_pct="7.5",
        cue_type="metronome",
    )


def _all_urls(plan: Any, gait: Any) -> list[str]:
    urls = [reverse(n, args=[plan.pk]) for n in PORTAL_PLAN_URLS + STAFF_PLAN_URLS]
    urls += [reverse("programs:rtr_portal_gait", args=[gait.pk])]
    urls += [reverse("programs:rtr_gait_detail", args=[gait.pk])]
    return urls


def test_the_patient_opens_their_own_portal_pages(
    client: Any, patient_user: Any, plan: Any, gait: Any
) -> None:
    client.force_login(patient_user)
    urls = [reverse(n, args=[plan.pk]) for n in PORTAL_PLAN_URLS]
    urls += [reverse("programs:rtr_portal_gait", args=[gait.pk])]
    urls += [reverse("programs:rtr_portal_today")]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert AuditEvent.objects.filter(action="view", patient=patient_user.patient).count() >= 5


@pytest.mark.parametrize("intruder", ["second_patient_user", "other_patient_user"])
def test_other_patients_get_404_on_every_portal_url_and_write(
    client: Any, request: Any, intruder: str, plan: Any, gait: Any
) -> None:
    client.force_login(request.getfixturevalue(intruder))
    for name in PORTAL_PLAN_URLS:
        url = reverse(name, args=[plan.pk])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"date": "2026-01-01", "pain": 1}).status_code == 404, url
    gait_url = reverse("programs:rtr_portal_gait", args=[gait.pk])
    assert client.get(gait_url).status_code == 404
    assert client.post(gait_url, {"session": gait.sessions.first().pk}).status_code == 404
    assert SessionLog.objects.count() == 0
    assert MorningCheckIn.objects.count() == 0
    today = client.get(reverse("programs:rtr_portal_today")).content.decode()
    assert plan.name not in today


def test_patients_cannot_open_therapist_pages(
    client: Any, patient_user: Any, plan: Any, gait: Any
) -> None:
    client.force_login(patient_user)
    for name in STAFF_PLAN_URLS:
        assert client.get(reverse(name, args=[plan.pk])).status_code == 403
    for name in [
        "programs:rtr_plan_list",
        "programs:rtr_plan_create",
        "programs:rtr_protocol_list",
    ]:
        assert client.get(reverse(name)).status_code == 403


def test_therapist_of_the_clinic_opens_every_staff_page(
    client: Any, therapist: Any, plan: Any, gait: Any
) -> None:
    client.force_login(therapist)
    urls = [reverse(n, args=[plan.pk]) for n in STAFF_PLAN_URLS]
    urls += [reverse("programs:rtr_gait_detail", args=[gait.pk])]
    urls += [
        reverse(n)
        for n in [
            "programs:rtr_plan_list",
            "programs:rtr_plan_create",
            "programs:rtr_protocol_list",
            "programs:rtr_gait_create",
        ]
    ]
    urls += [reverse("patients:episode", args=[plan.episode.pk]), reverse("patients:caseload")]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_other_clinic_staff_get_404_on_every_staff_url(
    client: Any, other_therapist: Any, other_admin: Any, plan: Any, gait: Any
) -> None:
    change_url = reverse("programs:rtr_change_confirm", args=[plan.pk, 1])
    protocol_url = reverse("programs:rtr_protocol_edit", args=[plan.protocol.pk])
    for user in (other_therapist, other_admin):
        client.force_login(user)
        for name in STAFF_PLAN_URLS:
            assert client.get(reverse(name, args=[plan.pk])).status_code == 404
        for name in STAFF_PLAN_POSTS:
            response = client.post(reverse(name, args=[plan.pk]), {"to_stage": 3, "note": "x"})
            assert response.status_code == 404
        assert client.post(change_url).status_code == 404
        assert client.get(reverse("programs:rtr_gait_detail", args=[gait.pk])).status_code == 404
        assert client.get(protocol_url).status_code == 404
    plan.refresh_from_db()
    assert plan.current_stage == 1


def test_plan_create_offers_only_visible_episodes(
    client: Any, therapist: Any, other_patient_user: Any, episode: Any
) -> None:
    foreign = EpisodeFactory(patient=other_patient_user.patient)
    client.force_login(therapist)
    response = client.post(
        reverse("programs:rtr_plan_create"),
        {
            "episode": foreign.pk,
            "protocol": protocol(therapist.clinic).pk,
            "started_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not foreign.rtr_plans.exists()


# Bad input ----------------------------------------------------------------------------------

GOOD_LOG = {
    "stage_number": "1",
    "completed": "on",
    "duration_minutes": "30",
    "run_minutes": "5",
    "pain_during": "2",
    "pain_after": "1",
    "rpe": "3",
    "notes": "Felt fine along the river",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pain_during", "11", "from 0 (no pain) to 10"),
        ("pain_after", "-1", "from 0 (no pain) to 10"),
        ("duration_minutes", "-5", "Minutes cannot be negative."),
        ("run_minutes", "-1", "Minutes cannot be negative."),
        ("date", "future", "This date is in the future."),
        ("pain_during", "lots", "from 0 (no pain) to 10"),
    ],
)
def test_log_form_rejects_impossible_values_and_keeps_what_was_typed(
    client: Any, patient_user: Any, plan: Any, field: str, value: str, message: str
) -> None:
    client.force_login(patient_user)
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    data = {**GOOD_LOG, "date": timezone.localdate().isoformat(), field: value}
    if value == "future":
        data["date"] = tomorrow
    response = client.post(reverse("programs:rtr_portal_log", args=[plan.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Felt fine along the river" in html
    assert f'value="{data[field]}"' in html
    if field != "run_minutes":
        assert 'name="run_minutes" value="5"' in html
    assert SessionLog.objects.count() == 0


def test_check_in_form_rejects_pain_eleven_future_dates_and_duplicates(
    client: Any, patient_user: Any, plan: Any
) -> None:
    client.force_login(patient_user)
    url = reverse("programs:rtr_portal_check_in", args=[plan.pk])
    today = timezone.localdate()
    response = client.post(url, {"date": today.isoformat(), "pain": "11", "stiffness": "2"})
    assert "from 0 (no pain) to 10" in response.content.decode()
    assert 'value="11"' in response.content.decode()
    future = (today + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"date": future, "pain": "1", "stiffness": "2"})
    assert "Check in on the morning itself." in response.content.decode()
    assert (
        client.post(url, {"date": today.isoformat(), "pain": "1", "stiffness": "2"}).status_code
        == 302
    )
    response = client.post(url, {"date": today.isoformat(), "pain": "1", "stiffness": "2"})
    assert "already checked in" in response.content.decode()
    assert MorningCheckIn.objects.count() == 1


def test_override_needs_a_note(client: Any, therapist: Any, plan: Any) -> None:
    client.force_login(therapist)
    response = client.post(
        reverse("programs:rtr_plan_override", args=[plan.pk]), {"to_stage": "3", "note": ""}
    )
    assert response.status_code == 200
    assert "Write a short note" in response.content.decode()
    plan.refresh_from_db()
    assert plan.current_stage == 1


def test_injected_fields_are_ignored_on_the_log_form(
    client: Any, patient_user: Any, plan: Any, second_patient_user: Any
) -> None:
    client.force_login(patient_user)
    data = {**GOOD_LOG, "date": timezone.localdate().isoformat(), "plan": 999, "logged_by": 1}
    client.post(reverse("programs:rtr_portal_log", args=[plan.pk]), data)
    log = SessionLog.objects.get()
    assert log.plan == plan
    assert log.logged_by == patient_user


# Units ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "shown", "typed", "stored"),
    [("mi", "0.25 mi", "0.5", 805), ("km", "0.40 km", "0.5", 500)],
)
def test_distances_show_and_are_typed_in_the_clinic_unit(
    client: Any,
    therapist: Any,
    patient_user: Any,
    episode: Any,
    unit: str,
    shown: str,
    typed: str,
    stored: int,
) -> None:
    clinic = therapist.clinic
    clinic.distance_unit = unit
    clinic.save()
    plan = make_plan(episode, therapist, key="distance-mgh")
    client.force_login(therapist)
    detail = client.get(reverse("programs:rtr_plan_detail", args=[plan.pk])).content.decode()
    assert f"Run {shown}" in detail
    customise = client.get(reverse("programs:rtr_plan_customise", args=[plan.pk])).content.decode()
    assert f"Run ({unit})" in customise
    client.force_login(patient_user)
    today_page = client.get(reverse("programs:rtr_portal_today")).content.decode()
    assert f"Run {shown}" in today_page
    log_page = client.get(reverse("programs:rtr_portal_log", args=[plan.pk])).content.decode()
    assert f"Distance run ({unit})" in log_page
    client.post(
        reverse("programs:rtr_portal_log", args=[plan.pk]),
        {**GOOD_LOG, "date": timezone.localdate().isoformat(), "distance": typed},
    )
    log = SessionLog.objects.get()
    assert log.distance_m == stored
    today_page = client.get(reverse("programs:rtr_portal_today")).content.decode()
    assert f"{typed}0 {unit}" in today_page  # the log table, two decimals
    assert f"Weekly distance ({unit})" in today_page  # the chart's axis title


# Customising ----------------------------------------------------------------------------------


def _formset_post(stages: list[dict[str, str]], prefix: str = "stages") -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(stages)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    base = {
        "repeats": "1",
        "warm_up_minutes": "5",
        "cool_down_minutes": "5",
        "rpe": "3",
        "sessions_per_week": "3",
        "rest_days_between": "1",
        "sessions_to_progress": "2",
    }
    for i, stage in enumerate(stages):
        for key, value in {**base, **stage}.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


LIMITS = {
    "limits-pain_during_max": "5",
    "limits-pain_after_max": "5",
    "limits-morning_pain_max": "1",
    "limits-unsettled_mornings_to_step_back": "2",
    "limits-weekly_morning_trend_tolerance": "0.5",
    "limits-single_run_spike_pct": "10",
    "limits-weekly_volume_spike_pct": "30",
    "limits-lookback_days": "30",
    "limits-morning_jump_points": "2",
    "limits-stiffness_rise_max": "1",
}


def test_therapist_customises_limits_and_stages_in_the_clinic_unit(
    client: Any, therapist: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist, key="distance-mgh")  # the test clinic uses miles
    client.force_login(therapist)
    url = reverse("programs:rtr_plan_customise", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Run (mi)" in page
    assert 'value="0.25"' in page
    stages = [
        {"run_distance": "0.5", "walk_distance": "0.5", "sessions_to_progress": "1"},
        {"run_distance": "1", "note": "Flat route"},
    ]
    response = client.post(url, {**LIMITS, **_formset_post(stages)})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.pain_during_max, plan.morning_pain_max) == (5, 1)
    saved = list(plan.stages.values_list("number", "run_m", "walk_m", "sessions_to_progress"))
    assert saved == [(1, 805, 805, 1), (2, 1609, 0, 2)]
    assert AuditEvent.objects.filter(action="change", object_id=str(plan.pk)).exists()


def test_customise_rejects_a_pain_ceiling_of_eleven_and_keeps_the_stages(
    client: Any, therapist: Any, plan: Any
) -> None:
    client.force_login(therapist)
    url = reverse("programs:rtr_plan_customise", args=[plan.pk])
    data = {**LIMITS, "limits-pain_during_max": "11", **_formset_post([{"run_minutes": "7"}])}
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "less than or equal to 10" in html
    assert 'value="7"' in html
    plan.refresh_from_db()
    assert plan.pain_during_max == 3
    assert plan.stages.count() == 6


def test_clinic_edits_its_protocol_and_new_plans_use_it(
    client: Any, clinic_admin: Any, therapist: Any, episode: Any
) -> None:
    source = protocol(clinic_admin.clinic)
    client.force_login(clinic_admin)
    url = reverse("programs:rtr_protocol_edit", args=[source.pk])
    assert client.get(url).status_code == 200
    data = {
        "protocol-name": "Our walk/run ladder",
        "protocol-kind": "time",
        "protocol-description": "Ours.",
        "protocol-source": source.source,
        "protocol-pain_during_max": "4",
        "protocol-pain_after_max": "4",
        "protocol-morning_pain_max": "2",
        "protocol-criteria_text": "30 consecutive minutes of pain-free walking (UW Madison)\n"
        "Cleared by the sports physician\n\n",
        **_formset_post([{"run_minutes": "1", "walk_minutes": "4", "repeats": "6"}]),
    }
    assert client.post(url, data).status_code == 302
    plan = make_plan(episode, therapist)
    assert plan.name == "Our walk/run ladder"
    assert plan.pain_during_max == 4
    assert plan.stages.get().repeats == 6
    criteria = plan.readiness_criteria
    assert [c["code"] for c in criteria] == ["walk_30", "cleared-by-the-sports-physician"]
    assert criteria[0]["finding"] == "pain_free_walk_minutes"  # kept its evaluation link


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [("therapist", "programs:rtr_plan_detail"), ("patient_user", "programs:rtr_portal_today")],
)
def test_plan_pages_run_a_fixed_number_of_queries_however_many_runs(
    client: Any, request: Any, persona: str, url_name: str, plan: Any, patient_user: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import check_in, log_run

    client.force_login(request.getfixturevalue(persona))
    url = reverse(url_name, args=[plan.pk] if "detail" in url_name else [])
    start = timezone.localdate() - dt.timedelta(days=25)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    log_run(plan, patient_user, start, pain_during=9)
    check_in(plan, patient_user, start + dt.timedelta(days=1))
    few = count()
    for n in range(1, 7):
        log_run(plan, patient_user, start + dt.timedelta(days=3 * n))
        check_in(plan, patient_user, start + dt.timedelta(days=3 * n + 1))
    assert count() == few


def test_stage_changes_show_on_the_patient_chart_timeline(
    client: Any, therapist: Any, patient_user: Any, plan: Any
) -> None:
    services.override_stage(plan=plan, by=therapist, to_stage=2, note="Strong in clinic tests")
    client.force_login(therapist)
    html = client.get(reverse("patients:chart", args=[plan.episode.patient.pk])).content.decode()
    assert "Return to run: stage 1 → 2 (therapist)" in html
    assert "Strong in clinic tests" in html


def test_therapist_closes_a_plan_with_a_note_and_can_start_another(
    client: Any, therapist: Any, other_therapist: Any, plan: Any
) -> None:
    url = reverse("programs:rtr_plan_close", args=[plan.pk])
    client.force_login(other_therapist)
    assert client.post(url, {"status": "completed", "note": "x"}).status_code == 404
    client.force_login(therapist)
    response = client.post(url, {"status": "completed", "note": ""})
    assert "Write a short note" in response.content.decode()
    response = client.post(url, {"status": "completed", "note": "Running 30 min pain-free"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "completed"
    again = make_plan(plan.episode, therapist)
    assert again.status == "active"


def test_demo_clinics_show_the_mgh_protocol_in_their_own_units(client: Any) -> None:
    from patients.seed import seed_demo as patients_seed
    from programs.running.seed import seed_demo
    from rehab_clinic.accounts.models import User

    patients_seed()  # clinics, demo accounts and patients only: all this seed needs
    seed_demo()
    for email, shown in [
        ("therapist@demo.clinic", "Run 0.25 mi, then walk 0.75 mi"),
        ("therapist@other.clinic", "Run 0.40 km, then walk 1.21 km"),
    ]:
        client.force_login(User.objects.get(email=email))
        html = client.get(reverse("programs:rtr_protocol_list")).content.decode()
        assert shown in html, email


@pytest.mark.parametrize(
    ("days_ago", "pain", "next_run_in"),
    [(0, 1, 2), (1, 1, 1), (2, 1, None), (0, 8, 3), (2, 8, 1), (3, 8, None)],
)
def test_today_shows_rest_days_between_runs_and_the_extra_day_after_a_step_back(
    client: Any, patient_user: Any, plan: Any, days_ago: int, pain: int, next_run_in: int | None
) -> None:
    from programs.running import services
    from tests.builders import log_run

    today = timezone.localdate()
    log_run(plan, patient_user, today - dt.timedelta(days=days_ago), pain_during=pain)
    client.force_login(patient_user)
    if pain > plan.pain_during_max:
        # A stop sign until the therapist has acted on it; then the rest days show.
        assert (
            "Stop running and contact"
            in client.get(reverse("programs:rtr_portal_today")).content.decode()
        )
        services.confirm_change(change=plan.changes.get(), by=plan.created_by)
    html = client.get(reverse("programs:rtr_portal_today")).content.decode()
    if next_run_in:
        next_run = today + dt.timedelta(days=next_run_in)
        assert f"Rest today. Next run: {next_run:%A} {next_run.day} {next_run:%B}" in html
        assert "Start today" not in html
    else:
        assert "Next run: today." in html


def test_gait_prescription_from_the_page_computes_the_target_and_warns_outside_5_to_10(
    client: Any, therapist: Any, episode: Any, other_patient_user: Any
) -> None:
    from programs.running.gait_models import GaitRetrainingPrescription

    client.force_login(therapist)
    url = reverse("programs:rtr_gait_create")
    data = {
        "episode": episode.pk,
        "baseline_cadence": "160",
        "increase_pct": "12",
        "cue_type": "metronome",
        "sessions": "8",
        "start_minutes": "15",
        "end_minutes": "30",
    }
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Target cadence 179 steps/min." in html
    assert "Increases above 10% were not studied" in html
    prescription = GaitRetrainingPrescription.objects.get()
    assert prescription.sessions.count() == 8
    retest = client.post(
        reverse("programs:rtr_gait_detail", args=[prescription.pk]),
        {"date": timezone.localdate().isoformat(), "cadence": "168"},
        follow=True,
    )
    assert "168 steps/min (+5.0% from baseline)" in retest.content.decode()
    foreign = EpisodeFactory(patient=other_patient_user.patient)
    response = client.post(url, {**data, "episode": foreign.pk})
    assert "Select a valid choice" in response.content.decode()


def _episode_options(page: str) -> list[str]:
    select = page.split('name="episode"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="(\d+)"', select)


@pytest.mark.parametrize("route", ["programs:rtr_plan_create", "programs:rtr_gait_create"])
def test_the_episode_drop_down_lists_the_therapists_own_patients_not_the_whole_clinic(
    client: Any, therapist: Any, route: str
) -> None:
    colleague = UserFactory(clinic=therapist.clinic, role=User.Role.THERAPIST)
    mine = EpisodeFactory(
        patient=PatientFactory(clinic=therapist.clinic, primary_therapist=therapist)
    )
    unassigned = EpisodeFactory(patient=PatientFactory(clinic=therapist.clinic))
    theirs = EpisodeFactory(
        patient=PatientFactory(clinic=therapist.clinic, primary_therapist=colleague)
    )
    client.force_login(therapist)
    page = client.get(reverse(route)).content.decode()
    assert sorted(_episode_options(page)) == sorted([str(mine.pk), str(unassigned.pk)])
    # From a colleague's patient's episode page, the link preselects that episode alone.
    page = client.get(reverse(route) + f"?episode={theirs.pk}").content.decode()
    assert _episode_options(page) == [str(theirs.pk)]


def test_the_episode_drop_down_is_bounded(client: Any, therapist: Any) -> None:
    for _ in range(EPISODE_CHOICE_LIMIT + 5):
        EpisodeFactory(patient=PatientFactory(clinic=therapist.clinic, primary_therapist=therapist))
    client.force_login(therapist)
    page = client.get(reverse("programs:rtr_plan_create")).content.decode()
    assert len(_episode_options(page)) == EPISODE_CHOICE_LIMIT
    assert "start from the patient's episode page" in page


def test_a_colleagues_patient_can_still_be_chosen_and_a_refused_form_keeps_the_choice(
    client: Any, therapist: Any
) -> None:
    colleague = UserFactory(clinic=therapist.clinic, role=User.Role.THERAPIST)
    theirs = EpisodeFactory(
        patient=PatientFactory(clinic=therapist.clinic, primary_therapist=colleague)
    )
    client.force_login(therapist)
    data = {"episode": theirs.pk, "protocol": protocol(therapist.clinic).pk, "started_on": "x"}
    page = client.post(reverse("programs:rtr_plan_create"), data).content.decode()
    assert _episode_options(page) == [str(theirs.pk)]
    assert f'<option value="{theirs.pk}" selected' in page
    data["started_on"] = "2026-11-30"
    response = client.post(reverse("programs:rtr_plan_create"), data)
    assert response.status_code == 302
    assert theirs.rtr_plans.exists()


@pytest.mark.parametrize(
    ("started_on", "message"),
    [
        ("0001-01-01", "Check the year: dates before 1900 are not accepted."),
        ("9999-12-31", "Check the year: more than 5 years ahead."),
        ("1901-01-01", "This date is before the patient"),
    ],
)
def test_a_plan_cannot_start_in_an_impossible_year(
    client: Any, therapist: Any, episode: Any, started_on: str, message: str
) -> None:
    """The first run's date had no limit at all: a plan starting in 9999 or in year 1 was saved,
    and every stage date, chart and reminder was computed from it."""
    client.force_login(therapist)
    response = client.post(
        reverse("programs:rtr_plan_create"),
        {
            "episode": episode.pk,
            "protocol": protocol(therapist.clinic).pk,
            "started_on": started_on,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{started_on}"' in html
    assert not episode.rtr_plans.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "1901-01-01"])
def test_a_gait_retest_cannot_be_dated_before_the_prescription(
    client: Any, therapist: Any, gait: Any, day: str
) -> None:
    client.force_login(therapist)
    response = client.post(
        reverse("programs:rtr_gait_detail", args=[gait.pk]), {"date": day, "cadence": "166"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "before this gait prescription was made" in html
    assert 'value="166"' in html
    assert not gait.retests.exists()
