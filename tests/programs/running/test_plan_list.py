"""The return-to-run plan list comes a page at a time, its filters kept in the page links, under
a flags panel that lists the first flagged runners and counts the rest."""

import datetime as dt
from functools import partial
from typing import Any

import pytest
from django.urls import reverse

from programs.running import flags, views
from tests.factories import EpisodeFactory, PatientFactory

from .factories import log_run, make_plan

pytestmark = pytest.mark.django_db


def _runner(clinic: Any, therapist: Any, last_name: str, *, own: bool = True) -> Any:
    patient = PatientFactory(
        clinic=clinic, primary_therapist=therapist if own else None, last_name=last_name
    )
    return make_plan(EpisodeFactory(patient=patient), therapist)


def test_plans_come_a_page_at_a_time_and_the_links_keep_the_filters(
    client: Any, clinic: Any, therapist: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(views, "PLAN_PAGE_SIZE", 2)
    for name in ["Adams", "Baker", "Clark", "Davis", "Evans"]:
        _runner(clinic, therapist, name)
    _runner(clinic, therapist, "Aaron", own=False)  # nobody's own patient
    client.force_login(therapist)
    url = reverse("programs:rtr_plan_list")

    first = client.get(url, {"mine": "1"}).content.decode()
    assert "Adams" in first
    assert "Baker" in first
    assert "Clark" not in first
    assert "Aaron" not in first
    assert "Page 1 of 3" in first
    assert 'href="?mine=1&amp;page=2"' in first

    last = client.get(url, {"mine": "1", "page": "3"}).content.decode()
    assert "Evans" in last
    assert "Adams" not in last
    assert 'href="?mine=1&amp;page=2"' in last

    everyone = client.get(url).content.decode()
    assert "Aaron" in everyone
    assert "Page 1 of 3" in everyone


def test_the_flagged_filter_and_the_panel_show_only_the_first_flagged_runners(
    client: Any, clinic: Any, therapist: Any, patient_user: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(views, "flagged_patients", partial(flags.flagged_patients, limit=1))
    today = clinic.today()
    calm = _runner(clinic, therapist, "Calm")
    for name in ["Xylander", "Quaveston"]:
        plan = _runner(clinic, therapist, name)
        log_run(plan, patient_user, today - dt.timedelta(days=1), limp=True)
    log_run(calm, patient_user, today - dt.timedelta(days=1))
    client.force_login(therapist)
    url = reverse("programs:rtr_plan_list")

    page = client.get(url).content.decode()
    panel = page.split("Plans in progress</h2>")[0]
    assert "Quaveston" in panel
    assert "Xylander" not in panel
    assert "1 more flagged runner</a> (of 2)" in panel
    assert 'href="?flagged=1"' in panel

    flagged = client.get(url, {"flagged": "1"}).content.decode()
    table = flagged.split("Plans in progress</h2>")[1]
    assert "Quaveston" in table
    assert "Xylander" in table
    assert "Calm" not in table


def test_the_panel_says_more_than_when_its_count_stops(
    client: Any, clinic: Any, therapist: Any, patient_user: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(views, "flagged_patients", partial(flags.flagged_patients, limit=1))
    monkeypatch.setattr(flags, "COUNT_ROWS", 1)
    today = clinic.today()
    for back, name in [(1, "Xylander"), (2, "Quaveston"), (3, "Abbott")]:
        plan = _runner(clinic, therapist, name)
        log_run(plan, patient_user, today - dt.timedelta(days=back), pain_during=8)
    client.force_login(therapist)

    panel = client.get(reverse("programs:rtr_plan_list")).content.decode()
    panel = panel.split("Plans in progress</h2>")[0]
    assert "Xylander" in panel  # the newest flag, not the first name
    assert "Abbott" not in panel
    assert "More flagged runners</a> (of more than 1)" in panel
