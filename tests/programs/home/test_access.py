"""Who reaches which program URL.

Patients reach only their own programs, versions and ticks; another patient, or anyone at
another clinic, gets 404 on every program, version and completion URL (the mark-done endpoint
included). A role decorator answers 403 to the wrong kind of user before any record is read.
"""

from typing import Any

import pytest
from django.urls import reverse

from programs.home.models import Completion, ProgramTemplate
from programs.home.template_services import save_as_template
from rehab_clinic.audit.models import AuditEvent
from tests.builders import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(episode: Any, therapist: Any) -> Any:
    return make_program(episode, therapist)


def _therapist_urls(program: Any) -> list[tuple[str, str]]:
    item = program.items.first()
    entry = program.modalities.first()
    pk = program.pk
    gets = [
        reverse("programs:start", args=[program.episode_id]),
        reverse("programs:builder", args=[pk]),
        reverse("programs:library_search", args=[pk]),
        reverse("programs:version", args=[pk, 1]),
        reverse("programs:adherence", args=[pk]),
    ]
    posts = [
        reverse("programs:start", args=[program.episode_id]),
        reverse("programs:item_add", args=[pk]),
        reverse("programs:item_update", args=[pk, item.pk]),
        reverse("programs:item_remove", args=[pk, item.pk]),
        reverse("programs:item_move", args=[pk, item.pk]),
        reverse("programs:modality_add", args=[pk]),
        reverse("programs:modality_remove", args=[pk, entry.pk]),
        reverse("programs:details", args=[pk]),
        reverse("programs:publish", args=[pk]),
        reverse("programs:save_template", args=[pk]),
    ]
    return [("get", url) for url in gets] + [("post", url) for url in posts]


def _tick(program: Any) -> dict[str, Any]:
    version = program.versions.get()
    return {
        "item": version.items[0]["key"],
        "day": program.episode.patient.clinic.today().isoformat(),
        "session": 1,
    }


def _portal_urls(program: Any) -> list[tuple[str, str]]:
    version = program.versions.get()
    return [
        ("get", reverse("programs:portal_version", args=[version.pk])),
        ("post", reverse("programs:portal_mark_done", args=[version.pk])),
    ]


def _call(client: Any, method: str, url: str, data: dict[str, Any]) -> int:
    return client.get(url).status_code if method == "get" else client.post(url, data).status_code


@pytest.mark.parametrize("intruder", ["other_therapist", "other_admin"])
def test_another_clinics_staff_get_404_on_every_program_url(
    client: Any, program: Any, intruder: str, request: Any
) -> None:
    user = request.getfixturevalue(intruder)
    client.force_login(user)
    for method, url in _therapist_urls(program):
        status = _call(client, method, url, {"exercise": 1, "name": "Stolen", "sets": 1})
        # A clinic admin is refused by role (403) on therapist-only writes; never 200.
        assert status in ({404} if intruder == "other_therapist" else {403, 404}), (url, status)
    assert program.versions.count() == 1
    assert program.items.count() == 3


def test_the_patient_reaches_their_own_program_and_ticks(
    client: Any, patient_user: Any, program: Any
) -> None:
    client.force_login(patient_user)
    for method, url in _portal_urls(program):
        assert _call(client, method, url, _tick(program)) in {200, 302}, url
    assert Completion.objects.filter(patient=patient_user.patient).count() == 1


@pytest.mark.parametrize("intruder", ["second_patient_user", "other_patient_user"])
def test_another_patient_gets_404_on_every_version_and_completion_url(
    client: Any, program: Any, intruder: str, request: Any
) -> None:
    client.force_login(request.getfixturevalue(intruder))
    for method, url in _portal_urls(program):
        assert _call(client, method, url, _tick(program)) == 404, url
    json_tick = client.post(
        reverse("programs:portal_mark_done", args=[program.versions.get().pk]),
        _tick(program),
        HTTP_ACCEPT="application/json",
    )
    assert json_tick.status_code == 404
    assert Completion.objects.count() == 0


@pytest.mark.parametrize("intruder", ["second_patient_user", "other_patient_user"])
def test_another_patients_portal_shows_none_of_this_program(
    client: Any, program: Any, intruder: str, request: Any
) -> None:
    client.force_login(request.getfixturevalue(intruder))
    title = program.title
    for name in [
        "programs:portal_today",
        "programs:portal_week",
        "programs:portal_program",
        "programs:portal_adherence",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert program.items.first().exercise.name not in response.content.decode(), name
    assert title  # the pages answered without revealing the program


def test_patients_are_refused_therapist_pages_by_role(
    client: Any, patient_user: Any, program: Any
) -> None:
    client.force_login(patient_user)
    for method, url in _therapist_urls(program):
        assert _call(client, method, url, {}) == 403, url


def test_therapists_are_refused_the_patient_portal_by_role(
    client: Any, therapist: Any, program: Any
) -> None:
    client.force_login(therapist)
    for method, url in _portal_urls(program):
        assert _call(client, method, url, _tick(program)) == 403, url


def test_only_the_clinics_admins_manage_its_templates(
    client: Any, therapist: Any, clinic_admin: Any, other_admin: Any, program: Any
) -> None:
    template = save_as_template(program=program, name="Achilles phase 1", by=therapist)
    edit = reverse("programs:template_edit", args=[template.pk])
    archive = reverse("programs:template_archive", args=[template.pk])
    client.force_login(therapist)
    assert client.get(reverse("programs:template", args=[template.pk])).status_code == 200
    assert client.get(edit).status_code == 403
    client.force_login(other_admin)
    assert client.get(edit).status_code == 404
    assert client.post(archive).status_code == 404
    client.force_login(clinic_admin)
    response = client.post(
        edit, {"name": "Achilles, phase 1", "description": "", "note_to_patient": ""}
    )
    assert response.status_code == 302
    assert client.post(archive).status_code == 302
    template.refresh_from_db()
    assert template.name == "Achilles, phase 1"
    assert template.archived_at is not None
    assert not ProgramTemplate.objects.filter(archived_at__isnull=True).exists()


def test_reads_and_changes_are_audited(
    client: Any, therapist: Any, patient_user: Any, program: Any
) -> None:
    client.force_login(therapist)
    client.get(reverse("programs:builder", args=[program.pk]))
    client.force_login(patient_user)
    client.post(
        reverse("programs:portal_mark_done", args=[program.versions.get().pk]), _tick(program)
    )
    events = AuditEvent.objects.filter(patient=program.episode.patient)
    assert events.filter(action=AuditEvent.Action.VIEW, user=therapist).exists()
    assert events.filter(action=AuditEvent.Action.CREATE, user=patient_user).exists()
