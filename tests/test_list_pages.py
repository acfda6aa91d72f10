"""Every list that grows with the clinic comes a page at a time, with its filters in the page
links (the caseload, library, plan list and audit report have their own tests)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import views as assessment_views
from exercises import views as exercise_views
from exercises.models import Modality
from patients.models import Patient
from programs.home import template_views as home_views
from programs.home.models import ProgramTemplate
from rehab_clinic.accounts import views as account_views
from rehab_clinic.accounts.paging import BoundedPaginator
from tests.factories import EpisodeFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pages(client: Any, url: str, params: dict[str, str], first: str, second: str) -> None:
    one = client.get(url, params).content.decode()
    assert first in one
    assert second not in one
    assert "Page 1 of 2" in one
    two = client.get(url, {**params, "page": "2"}).content.decode()
    assert second in two
    assert first not in two
    link = "&amp;".join(f"{k}={v}" for k, v in params.items())
    assert f'href="?{link + "&amp;" if link else ""}page=1"' in two


def test_the_staff_list_pages(
    client: Any, clinic: Any, clinic_admin: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(account_views, "STAFF_PAGE_SIZE", 2)
    clinic_admin.full_name = "Aardvark Admin"  # first, and in the menu of every page
    clinic_admin.save()
    UserFactory(clinic=clinic, full_name="Bramble Staff")
    UserFactory(clinic=clinic, full_name="Zebedee Staff")
    client.force_login(clinic_admin)
    _pages(client, reverse("accounts:staff_list"), {}, "Bramble Staff", "Zebedee Staff")


def test_the_template_list_pages(
    client: Any, clinic: Any, therapist: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(home_views, "LIST_PAGE_SIZE", 1)
    for name in ("Achilles loading", "Plantar fascia"):
        ProgramTemplate.objects.create(clinic=clinic, name=name, created_by=therapist)
    client.force_login(therapist)
    _pages(client, reverse("programs:templates"), {}, "Achilles loading", "Plantar fascia")


def test_the_episode_list_pages(client: Any, clinic: Any, therapist: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(assessment_views, "EPISODE_PAGE_SIZE", 1)
    for last in ("Ashworth", "Youngblood"):
        EpisodeFactory(patient=PatientFactory(clinic=clinic, last_name=last))
    client.force_login(therapist)
    _pages(client, reverse("assessments:episode_list"), {}, "Ashworth", "Youngblood")


def test_the_modality_list_pages_and_keeps_the_search(
    client: Any, clinic: Any, therapist: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(exercise_views, "PAGE_SIZE", 1)
    for name in ("Zq ice pack", "Zq ice bath"):
        Modality.objects.create(clinic=clinic, name=name, slug=name.replace(" ", "-"), kind="cold")
    client.force_login(therapist)
    url = reverse("exercises:modality_list")
    one = client.get(url, {"q": "zq ice"}).content.decode()
    two = client.get(url, {"q": "zq ice", "page": "2"}).content.decode()
    assert "Page 1 of 2" in one
    assert 'href="?q=zq+ice&amp;page=2"' in one
    names = {"Zq ice pack", "Zq ice bath"}
    assert {n for n in names if n in one} | {n for n in names if n in two} == names
    assert not {n for n in names if n in one} & {n for n in names if n in two}


def test_a_list_counts_its_rows_without_sorting_them(clinic: Any, therapist: Any) -> None:
    """The bounded count of a list sorted by name sorted every matching row before counting
    them (the plan list's count was a third of its database time at 10,000 patients)."""
    for n in range(3):
        PatientFactory(clinic=clinic, last_name=f"Count{n}")
    rows = Patient.objects.visible_to(therapist).order_by("last_name", "first_name")
    with CaptureQueriesContext(connection) as queries:
        paginator = BoundedPaginator(rows, 2, look_ahead=10)
        assert paginator.count == 3
    (counted,) = queries.captured_queries
    assert "ORDER BY" not in counted["sql"].upper()
    assert [p.last_name for p in paginator.page(1)] == ["Count0", "Count1"]


def test_the_episode_list_leads_to_each_patients_chart(
    client: Any, clinic: Any, therapist: Any
) -> None:
    # The episode was a link and the patient's name plain text: one more page to reach the chart.
    episode = EpisodeFactory(
        patient=PatientFactory(clinic=clinic, first_name="Ada", last_name="Ng")
    )
    client.force_login(therapist)
    page = client.get(reverse("assessments:episode_list")).content.decode()
    chart = reverse("patients:chart", args=[episode.patient_id])
    assert f'<a href="{chart}">Ada Ng</a>' in page
