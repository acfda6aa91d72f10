"""A clinic admin curates the library: show archived and restore, hide a shared exercise for the
clinic, and drawings labelled for the exercise's own dose."""

from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse

from exercises import services
from exercises.illustration import render_pose_spec
from exercises.library.poses import hold, pose
from exercises.models import Exercise, HiddenExercise
from exercises.seed import ensure_vocabulary, load_shared_library
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vocabulary(db: Any) -> None:
    ensure_vocabulary()


def _names(client: Any, **params: str) -> str:
    return client.get(reverse("exercises:list"), params).content.decode()


def test_an_archived_exercise_is_found_with_show_archived_and_restored(
    client: Any, clinic_admin: Any
) -> None:
    own = ExerciseFactory(clinic=clinic_admin.clinic, name="Our step drill")
    services.archive_exercise(exercise=own, by=clinic_admin)
    client.force_login(clinic_admin)
    assert "Our step drill" not in _names(client)
    archived = _names(client, show="archived")
    assert "Our step drill" in archived
    assert "Restore" in archived
    assert "Our step drill" in _names(client, show="archived", q="step drill")
    response = client.post(reverse("exercises:archive", args=[own.pk]))
    assert response.status_code == 302
    own.refresh_from_db()
    assert not own.is_archived
    assert "Our step drill" in _names(client)
    assert "Our step drill" not in _names(client, show="archived")


def test_show_archived_is_for_admins_only_and_never_shows_another_clinics_rows(
    client: Any, clinic_admin: Any, therapist: Any, other_admin: Any
) -> None:
    own = ExerciseFactory(clinic=clinic_admin.clinic, name="Our archived drill")
    theirs = ExerciseFactory(clinic=other_admin.clinic, name="Their archived drill")
    services.archive_exercise(exercise=own, by=clinic_admin)
    services.archive_exercise(exercise=theirs, by=other_admin)
    client.force_login(therapist)
    assert "Our archived drill" not in _names(client, show="archived")
    client.force_login(clinic_admin)
    page = _names(client, show="archived")
    assert "Our archived drill" in page
    assert "Their archived drill" not in page


def test_a_hidden_shared_exercise_leaves_the_clinics_library_and_search_only(
    client: Any, clinic_admin: Any, therapist: Any, other_admin: Any
) -> None:
    shared = ExerciseFactory(name="Shared wobble drill")
    client.force_login(clinic_admin)
    response = client.post(reverse("exercises:hide", args=[shared.pk]), {"hidden": "1"})
    assert response.status_code == 302
    assert HiddenExercise.objects.filter(clinic=clinic_admin.clinic, exercise=shared).exists()
    # The builder's search goes through visible_to(...).search(): hidden rows are not offered.
    assert not Exercise.objects.visible_to(therapist).search("wobble").exists()
    assert Exercise.objects.visible_to(other_admin).search("wobble").exists()
    client.force_login(therapist)
    assert "Shared wobble drill" not in _names(client)
    # A program that uses it can still link to it.
    assert client.get(reverse("exercises:detail", args=[shared.pk])).status_code == 200
    client.force_login(clinic_admin)
    put_away = _names(client, show="archived")
    assert "Shared wobble drill" in put_away
    assert "Hidden for your clinic" in put_away
    client.post(reverse("exercises:hide", args=[shared.pk]), {"hidden": "0"})
    assert "Shared wobble drill" in _names(client)


def test_hiding_is_for_shared_exercises_and_clinic_admins(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    own = ExerciseFactory(clinic=clinic_admin.clinic)
    shared = ExerciseFactory()
    client.force_login(clinic_admin)
    assert client.post(reverse("exercises:hide", args=[own.pk])).status_code == 404
    client.force_login(therapist)
    assert client.post(reverse("exercises:hide", args=[shared.pk])).status_code in (403, 404)
    assert not HiddenExercise.objects.exists()
    with pytest.raises(ValueError, match="Only shared"):
        services.hide_exercise(exercise=own, clinic=own.clinic, by=clinic_admin)


def test_hiding_twice_keeps_one_row(clinic_admin: Any) -> None:
    shared = ExerciseFactory()
    for _ in range(2):
        services.hide_exercise(exercise=shared, clinic=clinic_admin.clinic, by=clinic_admin)
    assert HiddenExercise.objects.count() == 1


def test_a_borrowed_drawing_takes_the_labels_of_the_exercises_own_dose(
    clinic_admin: Any,
) -> None:
    plank_pose = hold(pose("plank"))
    plank = ExerciseFactory(
        name="Held plank", sets=3, reps=None, hold_seconds=30, illustration_pose=plank_pose
    )
    borrowed = services.create_exercise(
        clinic=clinic_admin.clinic,
        by=clinic_admin,
        data={"name": "Plank shoulder taps", "category": "core", "sets": 3, "reps": 10,
              "hold_seconds": None, "drawing_from": plank},
    )  # fmt: skip
    assert ">Position<" in borrowed.illustration_svg
    assert ">Hold<" not in borrowed.illustration_svg
    held = services.update_exercise(
        exercise=borrowed, by=clinic_admin, data={"reps": None, "hold_seconds": 20}
    )
    assert ">Hold<" in held.illustration_svg


def test_thumbnails_and_large_pictures_render_from_the_library_view(clinic_admin: Any) -> None:
    drawn = ExerciseFactory(
        name="Drawn squat",
        illustration_pose=hold(pose("standing")),
        illustration_svg=render_pose_spec("Drawn squat", hold(pose("standing"))),
    )
    bare = ExerciseFactory(name="Undrawn drill")
    picture_url = reverse("exercises:illustration", args=[drawn.pk])
    results = render_to_string(
        "programs/home/_library_results.html",
        {"results": [drawn, bare], "program": SimpleNamespace(pk=1)},
    )
    assert f'class="exercise-thumbnail" src="{picture_url}"' in results
    assert "exercise-thumbnail-empty" in results  # the row keeps its shape without a drawing
    tag = Template("{% load exercise_pictures %}{% exercise_picture exercise %}")
    large = tag.render(Context({"exercise": drawn}))
    assert f'aria-controls="exercise-picture-{drawn.pk}"' in large
    assert f'src="{picture_url}"' in large
    assert "<dialog" in large
    assert 'alt="Drawing of Drawn squat"' in large
    assert tag.render(Context({"exercise": bare})).strip() == ""
    snapshot = Template(
        "{% load exercise_pictures %}{% exercise_picture src=uri name='Calf raise' key=7 %}"
    ).render(Context({"uri": "data:image/svg+xml;base64,PHN2Zy8+"}))
    assert 'src="data:image/svg+xml;base64,PHN2Zy8+"' in snapshot
    assert 'id="exercise-picture-7"' in snapshot


def test_ice_on_the_modality_page_lists_the_cold_modalities_first(
    client: Any, therapist: Any
) -> None:
    load_shared_library()
    client.force_login(therapist)
    page = client.get(reverse("exercises:modality_list"), {"q": "ice"}).content.decode()
    for name in ("Ice massage", "Cold pack", "Cold water immersion"):
        assert name in page
    assert "Hot pack" not in page
    assert page.index("Ice massage") < page.index("Cold pack")
    none = client.get(reverse("exercises:modality_list"), {"q": "zzz"}).content.decode()
    assert "No modalities match" in none


def test_the_redraw_migration_relabels_stored_drawings_for_their_dose() -> None:
    redraw = import_module("exercises.migrations.0004_redraw_illustrations").redraw
    plank_pose = hold(pose("plank"))
    old = render_pose_spec("Plank taps", plank_pose)  # drawn before labels followed the dose
    assert ">Hold<" in old
    row = ExerciseFactory(
        name="Plank taps", reps=10, hold_seconds=None, illustration_pose=plank_pose,
        illustration_svg=old,
    )  # fmt: skip
    broken = ExerciseFactory(illustration_pose={"start": {"base": "moon"}}, illustration_svg="x")
    redraw(apps, None)
    row.refresh_from_db()
    broken.refresh_from_db()
    assert ">Position<" in row.illustration_svg
    assert broken.illustration_svg == "x"
