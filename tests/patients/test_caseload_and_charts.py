"""The caseload that tells (columns, filters, sort, pages that keep the filters), the episode
chart page, new patients' defaults (primary therapist, record number) and the clinic's rules."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from assessments.schedules import QuestionnaireSchedule
from assessments.services import record_outcome
from patients import services
from patients.forms import PatientForm
from patients.models import Patient
from rehab_clinic.accounts.models import User
from tests.builders import LEFS_50, daily, intake, log_run, make_plan, make_program
from tests.factories import EpisodeFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def signed_in(client: Any, therapist: User) -> Any:
    client.force_login(therapist)
    return client


@pytest.fixture
def rosa(clinic: Any, therapist: User) -> Any:
    patient = PatientFactory(clinic=clinic, first_name="Rosa", last_name="Alvarez")
    patient.primary_therapist = therapist
    patient.save()
    episode = EpisodeFactory(patient=patient, label="Calf strain, left", next_visit=None)
    episode.next_visit = clinic.today() + dt.timedelta(days=3)
    episode.save()
    return episode


def test_a_row_tells_episode_visits_stage_adherence_pain_and_flags(
    signed_in: Any, rosa: Any, therapist: User, clinic: Any
) -> None:
    today = clinic.today()
    intake(rosa, therapist, signed=True, day=today - dt.timedelta(days=9))
    daily(rosa, therapist, pain=3, day=today - dt.timedelta(days=2))
    plan = make_plan(rosa, therapist)
    log_run(plan, therapist, today, limp=True)
    make_program(rosa, therapist, items=1, modality=False)
    html = signed_in.get(reverse("patients:caseload")).content.decode()
    row = re.search(rf'<tr data-patient="{rosa.patient.pk}">.*?</tr>', html, re.S).group(0)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    assert "Calf strain, left" in text
    assert (today - dt.timedelta(days=2)).strftime("%-d %b %Y") in text
    assert (today + dt.timedelta(days=3)).strftime("%-d %b %Y") in text
    assert f"Stage {plan.current_stage} · " in text
    assert "0%" in text
    assert "3/10" in text
    assert '<svg class="sparkline"' in row
    assert "Pain (NPRS) at the last visits: 6, 3" in row
    assert "Limp or changed gait" in text


def test_filters_sort_and_search(signed_in: Any, rosa: Any, therapist: User, clinic: Any) -> None:
    today = clinic.today()
    other = PatientFactory(clinic=clinic, first_name="Ben", last_name="Zed")
    other.primary_therapist = UserFactory(clinic=clinic)
    other.save()
    daily(EpisodeFactory(patient=other), therapist, day=today - dt.timedelta(days=20))
    daily(rosa, therapist, day=today - dt.timedelta(days=1))
    url = reverse("patients:caseload")

    mine = _text(signed_in.get(url + "?mine=1"))
    assert "Alvarez, Rosa" in mine
    assert "Zed, Ben" not in mine
    stale = _text(signed_in.get(url + "?no_recent_visit=1"))
    assert "Zed, Ben" in stale
    assert "Alvarez, Rosa" not in stale
    assert "Zed, Ben" not in _text(signed_in.get(url + "?flagged=1"))
    log_run(make_plan(rosa, therapist), therapist, today, limp=True)
    flagged = _text(signed_in.get(url + "?flagged=1"))
    assert "Alvarez, Rosa" in flagged
    assert "Zed, Ben" not in flagged
    newest_first = _text(signed_in.get(url + "?sort=-last_visit"))
    assert newest_first.index("Alvarez, Rosa") < newest_first.index("Zed, Ben")
    oldest_first = _text(signed_in.get(url + "?sort=last_visit"))
    assert oldest_first.index("Zed, Ben") < oldest_first.index("Alvarez, Rosa")
    by_name_reversed = _text(signed_in.get(url + "?sort=-name"))
    assert by_name_reversed.index("Zed, Ben") < by_name_reversed.index("Alvarez, Rosa")
    assert "Zed, Ben" not in _text(signed_in.get(url + "?q=Alvarez"))


def test_pages_keep_the_filters_and_sort(signed_in: Any, therapist: User, clinic: Any) -> None:
    for n in range(30):
        PatientFactory(clinic=clinic, primary_therapist=therapist, last_name=f"P{n:02d}")
    html = signed_in.get(reverse("patients:caseload") + "?mine=1&sort=-name&q=P").content.decode()
    assert "Page 1 of 2" in html
    link = re.search(r'href="\?([^"]*page=2)"', html).group(1).replace("&amp;", "&")
    assert "mine=1" in link
    assert "sort=-name" in link
    assert "q=P" in link
    second = _text(signed_in.get(reverse("patients:caseload") + "?" + link))
    assert "Page 2 of 2" in second
    assert "Tester, Runner" not in second


def test_the_episode_chart_page_has_every_trend_and_is_linked_from_the_episode(
    signed_in: Any, rosa: Any, therapist: User, clinic: Any
) -> None:
    today = clinic.today()
    intake(rosa, therapist, signed=True, day=today - dt.timedelta(days=14))
    record_outcome(episode=rosa, instrument_code="lefs", answers=LEFS_50, by=therapist)
    plan = make_plan(rosa, therapist)
    log_run(plan, therapist, today - dt.timedelta(days=1), pain_during=2, pain_after=3)
    make_program(rosa, therapist, items=1, modality=False)
    url = reverse("patients:episode_charts", args=[rosa.pk])
    assert url in signed_in.get(reverse("patients:episode", args=[rosa.pk])).content.decode()
    html = signed_in.get(url).content.decode()
    assert "NPRS (visit scores)" in html
    assert "LEFS total (visit scores)" in html
    assert "score-chart-band" in html
    assert f"Return to run: {plan.name}" in html
    assert "pain after 3/10" in html
    assert "pain at the visit 6/10" in html
    assert f"ceiling {plan.pain_during_max}" in html
    assert "Home program adherence per week" in html
    # Every chart drawn, none shown as its markup: the adherence bars were printed as text.
    assert "&lt;svg" not in html
    assert html.count("<svg") == 4  # NPRS, LEFS, the run plan, home program adherence


def test_the_episode_chart_page_is_for_the_clinic_only(
    client: Any, rosa: Any, other_therapist: User, patient_user: User
) -> None:
    url = reverse("patients:episode_charts", args=[rosa.pk])
    assert client.get(url).status_code == 302
    client.force_login(other_therapist)
    assert client.get(url).status_code == 404
    client.force_login(patient_user)
    assert client.get(url).status_code in (302, 403, 404)


def test_a_new_patient_is_the_creating_therapists_with_a_generated_record_number(
    signed_in: Any, therapist: User, clinic: Any
) -> None:
    clinic.mrn_prefix = "RUN-"
    clinic.save()
    form = signed_in.get(reverse("patients:create")).content.decode()
    assert re.search(rf'<option value="{therapist.pk}" selected>', form)
    data = {
        "first_name": "Nia",
        "last_name": "Okafor",
        "date_of_birth": "1994-03-02",
        "sex": "female",
        "mrn": "",
        "primary_therapist": str(therapist.pk),
    }
    signed_in.post(reverse("patients:create"), data)
    signed_in.post(reverse("patients:create"), {**data, "first_name": "Ada"})
    signed_in.post(reverse("patients:create"), {**data, "first_name": "Typed", "mrn": "X-1"})
    numbers = dict(Patient.objects.filter(clinic=clinic).values_list("first_name", "mrn"))
    assert numbers == {"Nia": "RUN-000001", "Ada": "RUN-000002", "Typed": "X-1"}
    assert Patient.objects.get(first_name="Nia").primary_therapist == therapist


def test_a_generated_number_skips_one_typed_by_hand(clinic: Any, therapist: User) -> None:
    PatientFactory(clinic=clinic, mrn="000001")
    form = PatientForm(
        {"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "sex": "male"},
        clinic=clinic,
    )
    assert form.is_valid(), form.errors
    assert services.save_patient(patient=form.save(commit=False), by=therapist).mrn == "000002"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="writers at once: SQLite locks the whole database (and times a waiting writer out), "
    "so the race cannot happen there",
)
@pytest.mark.django_db(transaction=True)
def test_two_patients_created_at_once_get_different_numbers(clinic: Any, therapist: User) -> None:
    made: list[str] = []

    def create(name: str) -> None:
        form = PatientForm(
            {"first_name": name, "last_name": "B", "date_of_birth": "1990-01-01", "sex": "male"},
            clinic=clinic,
        )
        assert form.is_valid()
        made.append(services.save_patient(patient=form.save(commit=False), by=therapist).mrn)
        connection.close()

    threads = [threading.Thread(target=create, args=(f"N{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made) == ["000001", "000002", "000003", "000004"]


def test_an_existing_patients_record_number_cannot_be_blanked(clinic: Any) -> None:
    patient = PatientFactory(clinic=clinic)
    form = PatientForm(
        {"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "sex": "male"},
        instance=patient,
        clinic=clinic,
    )
    assert not form.is_valid()
    assert "mrn" in form.errors


def test_the_clinic_admin_sets_the_day_rules_and_the_schedule(
    client: Any, clinic_admin: User, clinic: Any
) -> None:
    client.force_login(clinic_admin)
    base = {"name": clinic.name, "timezone": "UTC", "distance_unit": "km", "paper_size": "A4"}
    html = client.post(reverse("accounts:admin_home"), {**base, "progress_note_every": "0"})
    assert "greater than or equal to 1" in html.content.decode()
    client.post(
        reverse("accounts:admin_home"),
        {**base, "progress_note_every": "8", "low_adherence_percent": "60", "mrn_prefix": "RR-"},
    )
    clinic.refresh_from_db()
    assert (clinic.progress_note_every, clinic.low_adherence_percent) == (8, 60)
    assert clinic.mrn_prefix == "RR-"

    url = reverse("assessments:questionnaire_schedule")
    page = client.get(url).content.decode()
    assert 'name="lefs__every_days" value="14"' in page  # the default until changed
    bad = client.post(url, {"lefs__every_days": "0"}).content.decode()
    assert "greater than or equal to 1" in bad
    assert not QuestionnaireSchedule.objects.exists()
    client.post(url, {"nprs__at_intake": "on", "nprs__every_days": "7"})
    rows = {r.instrument: r for r in QuestionnaireSchedule.objects.filter(clinic=clinic)}
    assert (rows["nprs"].at_intake, rows["nprs"].every_days) == (True, 7)
    assert (rows["lefs"].at_intake, rows["lefs"].every_days) == (False, None)


def test_only_the_clinic_admin_edits_the_schedule(client: Any, therapist: User) -> None:
    client.force_login(therapist)
    response = client.get(reverse("assessments:questionnaire_schedule"))
    assert response.status_code in (302, 403, 404)
