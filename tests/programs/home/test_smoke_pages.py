"""Every program page renders for its owner."""

from typing import Any

import pytest
from django.urls import reverse

from tests.builders import make_program

pytestmark = pytest.mark.django_db


def test_therapist_and_patient_pages_render(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    program = make_program(episode, therapist)
    client.force_login(therapist)
    for url in [
        reverse("programs:start", args=[episode.pk]),
        reverse("programs:builder", args=[program.pk]),
        reverse("programs:library_search", args=[program.pk]) + "?q=test",
        reverse("programs:version", args=[program.pk, 1]),
        reverse("programs:adherence", args=[program.pk]),
        reverse("programs:templates"),
        reverse("patients:caseload"),
        reverse("patients:episode", args=[episode.pk]),
        reverse("patients:chart", args=[episode.patient.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(patient_user)
    version = program.versions.get()
    for url in [
        reverse("portal:home"),
        reverse("programs:portal_today"),
        reverse("programs:portal_week"),
        reverse("programs:portal_program"),
        reverse("programs:portal_version", args=[version.pk]),
        reverse("programs:portal_adherence"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_program_history_is_on_the_chart_timeline_and_the_episode_page(
    client: Any, therapist: Any, episode: Any
) -> None:
    program = make_program(episode, therapist)
    client.force_login(therapist)
    chart = client.get(reverse("patients:chart", args=[episode.patient.pk])).content.decode()
    assert f"Home program published: {program.title} v1" in chart
    assert reverse("programs:version", args=[program.pk, 1]) in chart
    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()
    assert "Home exercise programs" in page
    assert reverse("programs:adherence", args=[program.pk]) in page
    assert "<svg" in page
