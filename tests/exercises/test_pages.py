"""Library browsing, admin editing and modality forms, through the test client."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.models import Exercise, LibraryTag, Modality
from exercises.seed import ensure_vocabulary
from tests.factories import ExerciseFactory, ModalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vocabulary(db: Any) -> None:
    ensure_vocabulary()


def _tag(kind: str, slug: str) -> LibraryTag:
    return LibraryTag.objects.get(kind=kind, slug=slug)


def test_therapist_finds_an_exercise_by_alias_and_filters(client: Any, therapist: Any) -> None:
    clam = ExerciseFactory(
        name="Clamshell", aliases=["side-lying clam"], category=Exercise.Category.HIP_GLUTE
    )
    clam.search_text = Exercise.build_search_text(clam.name, clam.aliases)
    clam.save()
    clam.regions.add(_tag("region", "glutes"))
    clam.equipment.add(_tag("equipment", "band"))
    clam.injuries.add(_tag("injury", "itbs"))
    ExerciseFactory(name="Front plank", category=Exercise.Category.CORE)
    client.force_login(therapist)
    url = reverse("exercises:list")
    assert "Clamshell" in client.get(url, {"q": "side-lying"}).content.decode()
    assert "Front plank" not in client.get(url, {"q": "SIDE-lying"}).content.decode()
    for filters in (
        {"category": "hip_glute"},
        {"region": "glutes"},
        {"equipment": "band"},
        {"injury": "itbs"},
        {"difficulty": "beginner", "q": "clam"},
    ):
        page = client.get(url, filters).content.decode()
        assert "Clamshell" in page, filters
        assert "Front plank" not in page, filters
    partial = client.get(url, {"q": "clam"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "Clamshell" in partial.content.decode()


def _make_exercises(count: int) -> None:
    tags = list(LibraryTag.objects.filter(kind="region", slug__in=["foot", "ankle"]))
    for n in range(count):
        exercise = ExerciseFactory(name=f"Bulk {n:04d}", illustration_svg="<svg/>")
        exercise.regions.set(tags)


def _list_queries(client: Any, params: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("exercises:list"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["page"].object_list)


@pytest.mark.parametrize("params", [{}, {"q": "bulk", "region": "foot"}, {"page": "2"}])
def test_the_list_runs_the_same_number_of_queries_for_10_and_500_exercises(
    client: Any, therapist: Any, params: dict
) -> None:
    client.force_login(therapist)
    _make_exercises(10)
    few, shown_few = _list_queries(client, {k: v for k, v in params.items() if k != "page"})
    _make_exercises(490)
    many, shown_many = _list_queries(client, params)
    assert shown_few == 10
    assert shown_many == 24
    assert many == few


def test_admin_creates_edits_duplicates_and_archives_an_exercise(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    client.force_login(clinic_admin)
    easier = ExerciseFactory(name="Easier one")
    data = {
        "name": "Banded hip hinge",
        "aliases": "band RDL\nhip hinge with band",
        "category": "hip_glute",
        "difficulty": "intermediate",
        "regions": [_tag("region", "glutes").pk],
        "equipment": [_tag("equipment", "band").pk],
        "injuries": [_tag("injury", "general").pk],
        "instructions": "Stand on the band.\nHinge at the hips.",
        "cues": "Flat back",
        "common_mistakes": "Rounding",
        "precautions": "Stop with back pain.",
        "sets": 3,
        "reps": 10,
        "rest_seconds": 60,
        "load": "green band",
        "tempo": "2-0-2",
        "side": "both",
        "times_per_day": 1,
        "days_per_week": 3,
        "regression": easier.pk,
        "video_url": "https://video.example/hinge",
    }
    response = client.post(reverse("exercises:create"), data)
    exercise = Exercise.objects.get(name="Banded hip hinge")
    assert response.url == reverse("exercises:detail", args=[exercise.pk])
    assert exercise.clinic == clinic_admin.clinic
    assert exercise.aliases == ["band RDL", "hip hinge with band"]
    assert exercise.instructions == ["Stand on the band.", "Hinge at the hips."]
    assert exercise.regression == easier
    assert "band rdl" in exercise.search_text
    detail = client.get(response.url).content.decode()
    assert "Hinge at the hips." in detail

    assert exercise.illustration_svg == ""
    drawn = ExerciseFactory(name="Drawn", illustration_pose={"start": {"base": "plank"}})
    client.post(
        reverse("exercises:edit", args=[exercise.pk]),
        {**data, "name": "Band hinge", "drawing_from": drawn.pk},
    )
    exercise.refresh_from_db()
    assert exercise.name == "Band hinge"
    assert exercise.illustration_pose == drawn.illustration_pose
    assert "<title>Band hinge</title>" in exercise.illustration_svg
    assert exercise.search_text.startswith("band hinge")

    client.post(reverse("exercises:duplicate", args=[exercise.pk]))
    assert Exercise.objects.filter(name="Band hinge (copy)", clinic=clinic_admin.clinic).exists()

    client.post(reverse("exercises:archive", args=[exercise.pk]))
    exercise.refresh_from_db()
    assert exercise.archived_at is not None
    client.force_login(therapist)
    assert "Band hinge<" not in client.get(reverse("exercises:list")).content.decode()
    assert client.get(reverse("exercises:detail", args=[exercise.pk])).status_code == 404


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example/x", "data:text/html,x"]
)
def test_video_url_must_be_http_or_https(client: Any, clinic_admin: Any, url: str) -> None:
    client.force_login(clinic_admin)
    response = client.post(
        reverse("exercises:create"),
        {
            "name": "Video test",
            "category": "core",
            "difficulty": "beginner",
            "side": "both",
            "video_url": url,
        },
    )
    assert response.status_code == 200
    assert "video_url" in response.context["form"].errors
    assert not Exercise.objects.filter(name="Video test").exists()


def test_admin_creates_a_modality_with_validated_parameters(client: Any, clinic_admin: Any):
    client.force_login(clinic_admin)
    chooser = client.get(reverse("exercises:modality_create"))
    assert "Therapeutic ultrasound" in chooser.content.decode()
    url = reverse("exercises:modality_create") + "?kind=ultrasound"
    data = {
        "name": "Ultrasound, Achilles",
        "home_use": "",
        "home_instructions": "",
        "contraindications": "Pacemaker\nPregnancy",
        "precautions": "Metal implant",
        "notes": "",
        "param_frequency": "3",
        "param_intensity": "2.5",
        "param_duty_cycle": "20",
        "param_area_era": "2",
        "param_minutes": "5",
        "param_region": "calf",
        "param_side": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Ensure this value is less than or equal to 2" in refused.content.decode()
    assert not Modality.objects.filter(clinic=clinic_admin.clinic).exists()
    response = client.post(url, {**data, "param_intensity": "0.8"})
    modality = Modality.objects.get(clinic=clinic_admin.clinic)
    assert response.url == reverse("exercises:modality_detail", args=[modality.pk])
    assert modality.kind == "ultrasound"
    assert modality.parameters["intensity"] == 0.8
    assert modality.parameters["frequency"] == "3"
    assert modality.contraindications == ["Pacemaker", "Pregnancy"]
    page = client.get(response.url).content.decode()
    assert "Intensity (W/cm²)" in page
    assert "Pacemaker" in page

    client.post(
        reverse("exercises:modality_edit", args=[modality.pk]), {**data, "param_minutes": "99"}
    )
    modality.refresh_from_db()
    assert modality.parameters["minutes"] == 5


def test_shared_modalities_show_their_checklist_to_therapists(client: Any, therapist: Any):
    modality = ModalityFactory(name="Cold pack test")
    client.force_login(therapist)
    assert "Cold pack test" in client.get(reverse("exercises:modality_list")).content.decode()
    page = client.get(reverse("exercises:modality_detail", args=[modality.pk])).content.decode()
    assert "Raynaud" in page
    assert "Edit" not in page


def test_illustration_is_served_as_svg_with_a_sandbox(client: Any, therapist: Any) -> None:
    exercise = ExerciseFactory(illustration_svg='<svg xmlns="http://www.w3.org/2000/svg"/>')
    client.force_login(therapist)
    response = client.get(reverse("exercises:illustration", args=[exercise.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]


def test_name_and_alias_search_can_use_the_trigram_index_on_postgresql() -> None:
    ExerciseFactory(name="Calf raise", aliases=["heel raise"])
    assert [e.name for e in Exercise.objects.search("heel")] == ["Calf raise"]
    if connection.vendor != "postgresql":
        return  # SQLite, the embedded default, has no trigram index; a scan is fast there.
    # The database narrows by word (the part the index serves); Python ranks what comes back.
    query = Exercise.objects.filter(search_text__contains="heel")
    assert list(Exercise.objects.search_candidates("heel")) == list(query)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "exercises_exercise_search_trgm" in plan
