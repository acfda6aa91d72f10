"""Pages run the same number of queries whatever the program or caseload holds."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from patients.models import Episode, Patient
from programs.home.models import HomeProgram, ProgramVersion
from tests.builders import make_program

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _tick_all(client: Any, program: Any) -> None:
    version = program.versions.get()
    day = program.episode.patient.clinic.today().isoformat()
    url = reverse("programs:portal_mark_done", args=[version.pk])
    for item in version.items[::2]:
        client.post(url, {"item": item["key"], "day": day, "session": 1})


@pytest.mark.parametrize(
    "url_name",
    ["programs:builder", "programs:adherence", "programs:version"],
)
def test_program_pages_cost_the_same_with_3_and_30_items(
    client: Any, therapist: Any, clinic: Any, url_name: str
) -> None:
    counts = []
    for size in (3, 30):
        patient = Patient.objects.create(
            clinic=clinic,
            first_name="Q",
            last_name=str(size),
            date_of_birth="1990-01-01",
            sex="female",
            mrn=f"Q-{size}",
        )
        episode = Episode.objects.create(patient=patient, label="Knee", icd10_code="M22.2")
        program = make_program(episode, therapist, items=size)
        client.force_login(therapist)
        args = [program.pk, 1] if url_name == "programs:version" else [program.pk]
        counts.append(_count(client, reverse(url_name, args=args)))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "url_name",
    [
        "portal:home",
        "programs:portal_today",
        "programs:portal_week",
        "programs:portal_program",
        "programs:portal_adherence",
    ],
)
def test_portal_pages_cost_the_same_with_3_and_30_items(
    client: Any, therapist: Any, patient_user: Any, second_patient_user: Any, url_name: str
) -> None:
    counts = []
    for user, size in ((patient_user, 3), (second_patient_user, 30)):
        episode = Episode.objects.create(patient=user.patient, label="Knee", icd10_code="M22.2")
        program = make_program(episode, therapist, items=size)
        client.force_login(user)
        _tick_all(client, program)
        counts.append(_count(client, reverse(url_name)))
    assert counts[0] == counts[1], counts


def test_portal_home_reads_the_patients_record_once(
    client: Any, therapist: Any, patient_user: Any
) -> None:
    """The panels (Today, the handouts) reuse the record the page looked up, with its clinic,
    rather than each reading the patient and the clinic again."""
    episode = Episode.objects.create(patient=patient_user.patient, label="Knee", icd10_code="M22.2")
    make_program(episode, therapist, items=3)
    client.force_login(patient_user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:home")).status_code == 200
    main_tables = [
        q["sql"].split(" FROM ", 1)[1].split(" ", 1)[0]
        for q in queries
        if q["sql"].startswith("SELECT")
    ]
    assert main_tables.count('"patients_patient"') == 1, main_tables
    assert main_tables.count('"accounts_clinic"') == 0, main_tables


def _caseload(clinic: Any, therapist: Any, size: int) -> None:
    """`size` patients, each with a program published a week ago and never ticked."""
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            first_name=f"P{n}",
            last_name="Idle",
            date_of_birth="1990-01-01",
            sex="male",
            mrn=f"IDLE-{n}",
            primary_therapist=therapist,
        )
        for n in range(size)
    )
    episodes = Episode.objects.bulk_create(
        Episode(patient=p, label="Achilles", icd10_code="M76.61") for p in patients
    )
    programs = HomeProgram.objects.bulk_create(HomeProgram(episode=e) for e in episodes)
    week_ago = timezone.now() - timezone.timedelta(days=7)
    ProgramVersion.objects.bulk_create(
        ProgramVersion(
            program=p,
            number=1,
            snapshot={"items": []},
            published_at=week_ago,
            published_by=therapist,
        )
        for p in programs
    )


def test_dashboard_costs_the_same_with_5_and_200_patients(
    client: Any, clinic: Any, therapist: Any, other_therapist: Any, other_clinic: Any
) -> None:
    _caseload(clinic, therapist, 5)
    _caseload(other_clinic, other_therapist, 200)
    client.force_login(therapist)
    small = _count(client, reverse("patients:caseload"))
    client.force_login(other_therapist)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("patients:caseload"))
    assert len(queries) == small
    panel = response.content.decode()
    assert "Needs attention" in panel
    assert "P0 Idle" in panel


def test_needs_attention_lists_idle_patients_most_urgent_first(
    client: Any, clinic: Any, therapist: Any, patient_user: Any, second_patient_user: Any
) -> None:
    idle = make_program(
        Episode.objects.create(
            patient=second_patient_user.patient, label="Knee", icd10_code="M22.2"
        ),
        therapist,
    )
    busy = make_program(
        Episode.objects.create(patient=patient_user.patient, label="Heel", icd10_code="M76.61"),
        therapist,
    )
    long_ago = timezone.now() - timezone.timedelta(days=9)
    ProgramVersion.objects.filter(program=idle).update(published_at=long_ago)
    ProgramVersion.objects.filter(program=busy).update(
        published_at=timezone.now() - timezone.timedelta(days=4)
    )
    client.force_login(therapist)
    html = client.get(reverse("patients:caseload")).content.decode()
    assert html.index("Sid Second") < html.index("Paula Patient")
    assert "9 days since the program started" in html
    client.force_login(patient_user)
    _tick_all(client, busy)
    client.force_login(therapist)
    html = client.get(reverse("patients:caseload")).content.decode()
    panel = html[
        html.index("Needs attention") : html.index("</section>", html.index("Needs attention"))
    ]
    assert "Paula Patient" not in panel
    assert "Sid Second" in panel
