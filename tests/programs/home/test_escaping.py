"""Free text and library markup reach the page as text, never as markup."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from programs.home import services, template_services
from tests.builders import make_program
from tests.factories import ProgramExerciseFactory, episode_of_a_new_patient

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_notes_names_and_illustrations_are_escaped_everywhere(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    program = make_program(episode, therapist, items=0, publish=False)
    exercise = ProgramExerciseFactory(
        name=f"Bridge {PAYLOAD}",
        instructions=[PAYLOAD],
        illustration_svg=f'<svg xmlns="http://www.w3.org/2000/svg">{PAYLOAD}</svg>',
    )
    item = services.add_program_item(program=program, exercise=exercise, by=therapist)
    item.note = PAYLOAD
    item.save()
    program.note_to_patient = PAYLOAD
    program.title = f"Plan {PAYLOAD}"
    program.save()
    version = services.publish_home_program(program=program, by=therapist)
    client.force_login(therapist)
    pages = [
        reverse("programs:builder", args=[program.pk]),
        reverse("programs:version", args=[program.pk, version.number]),
        reverse("programs:adherence", args=[program.pk]),
        reverse("patients:chart", args=[episode.patient.pk]),
        reverse("patients:episode", args=[episode.pk]),
    ]
    html = [client.get(url).content.decode() for url in pages]
    client.force_login(patient_user)
    pages = [
        reverse("portal:home"),
        reverse("programs:portal_today"),
        reverse("programs:portal_week"),
        reverse("programs:portal_program"),
        reverse("programs:portal_version", args=[version.pk]),
        reverse("programs:portal_adherence"),
    ]
    html += [client.get(url).content.decode() for url in pages]
    for page in html:
        assert '<script>alert("x")' not in page
        assert "<img src=x" not in page
    assert any("&lt;script&gt;" in page for page in html)


def test_a_discharged_episodes_program_leaves_today(
    client: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    program = make_program(episode, therapist, items=1)
    name = program.items.get().exercise.name
    client.force_login(patient_user)
    assert name in client.get(reverse("programs:portal_today")).content.decode()
    episode.discharge(on=date(2026, 11, 20), reason="Back to full training")
    assert name not in client.get(reverse("programs:portal_today")).content.decode()
    version = program.versions.get()
    # Still readable as history.
    assert client.get(reverse("programs:portal_version", args=[version.pk])).status_code == 200


def test_another_clinics_staff_cannot_see_or_use_this_clinics_templates(
    client: Any, therapist: Any, other_therapist: Any, other_admin: Any, episode: Any
) -> None:
    program = make_program(episode, therapist, items=1)
    template = template_services.save_as_template(program=program, name="Phase 1", by=therapist)
    for user in (other_therapist, other_admin):
        client.force_login(user)
        assert client.get(reverse("programs:template", args=[template.pk])).status_code == 404
        assert "Phase 1" not in client.get(reverse("programs:templates")).content.decode()
    client.force_login(other_therapist)
    other_episode = episode_of_a_new_patient(other_therapist.clinic)
    response = client.post(
        reverse("programs:start", args=[other_episode.pk]),
        {"template": template.pk, "token": "2b0f3a0e-1f64-4a53-9e1d-0d6a0e3c1b77"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
