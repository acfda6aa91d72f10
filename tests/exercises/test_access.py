"""Only clinic admins change the library; one clinic's own entries are invisible to another."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from exercises.models import Exercise, ExercisePhoto
from tests.factories import ExerciseFactory, ModalityFactory

pytestmark = pytest.mark.django_db

EXERCISE_EDIT_URLS = [
    "exercises:edit",
    "exercises:duplicate",
    "exercises:archive",
    "exercises:hide",
    "exercises:photo_upload",
]
MODALITY_EDIT_URLS = [
    "exercises:modality_edit",
    "exercises:modality_duplicate",
    "exercises:modality_archive",
]
PLAIN_EDIT_URLS = [
    "exercises:create",
    "exercises:modality_create",
    "exercises:transfer",
    "exercises:export",
]


@pytest.fixture
def own_exercise(clinic: Any) -> Exercise:
    return ExerciseFactory(clinic=clinic, name="Riverside secret drill")


def _photo(exercise: Any) -> ExercisePhoto:
    photo = ExercisePhoto(exercise=exercise, width=1, height=1, alt_text="x")
    photo.image.save("a.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    photo.thumbnail.save("b.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    photo.save()
    return photo


def _edit_urls(exercise: Any, modality: Any) -> list[str]:
    photo = _photo(exercise)
    return (
        [reverse("exercises:photo_delete", args=[exercise.pk, photo.pk])]
        + [reverse(n, args=[exercise.pk]) for n in EXERCISE_EDIT_URLS]
        + [reverse(n, args=[modality.pk]) for n in MODALITY_EDIT_URLS]
        + [reverse(n) for n in PLAIN_EDIT_URLS]
    )


@pytest.mark.parametrize("persona", ["therapist", "patient_user"])
def test_therapists_and_patients_get_403_on_every_edit_url(
    client: Any, request: Any, persona: str, own_exercise: Any, clinic: Any
) -> None:
    modality = ModalityFactory(clinic=clinic)
    client.force_login(request.getfixturevalue(persona))
    for url in _edit_urls(own_exercise, modality):
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"name": "Hacked"}).status_code == 403, url
    own_exercise.refresh_from_db()
    assert own_exercise.name == "Riverside secret drill"
    assert own_exercise.archived_at is None
    assert Exercise.objects.filter(clinic=clinic).count() == 1
    assert ExercisePhoto.objects.filter(exercise=own_exercise).count() == 1


def test_patients_cannot_browse_the_library_pages(client: Any, patient_user: Any) -> None:
    client.force_login(patient_user)
    for name in ("exercises:list", "exercises:modality_list"):
        assert client.get(reverse(name)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Any, own_exercise: Any) -> None:
    modality = ModalityFactory()
    urls = [
        *_edit_urls(own_exercise, modality),
        reverse("exercises:list"),
        reverse("exercises:detail", args=[own_exercise.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url


def test_another_clinics_admin_gets_404_on_our_exercise_and_modality(
    client: Any, other_admin: Any, own_exercise: Any, clinic: Any
) -> None:
    modality = ModalityFactory(clinic=clinic)
    photo = _photo(own_exercise)
    client.force_login(other_admin)
    for args in ([own_exercise.pk, photo.pk, "full"], [own_exercise.pk, photo.pk, "thumb"]):
        assert client.get(reverse("exercises:photo", args=args)).status_code == 404
    delete = reverse("exercises:photo_delete", args=[own_exercise.pk, photo.pk])
    assert client.post(delete).status_code == 404
    assert ExercisePhoto.objects.filter(pk=photo.pk).exists()
    for name in [*EXERCISE_EDIT_URLS, "exercises:detail", "exercises:illustration"]:
        url = reverse(name, args=[own_exercise.pk])
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"name": "Hacked"}).status_code in (404, 405), url
    for name in [*MODALITY_EDIT_URLS, "exercises:modality_detail"]:
        url = reverse(name, args=[modality.pk])
        assert client.post(url, {"name": "Hacked"}).status_code in (404, 405), url
    own_exercise.refresh_from_db()
    assert own_exercise.archived_at is None
    assert not Exercise.objects.filter(clinic=other_admin.clinic).exists()


def test_another_clinics_therapist_never_sees_our_exercise(
    client: Any, other_therapist: Any, own_exercise: Any
) -> None:
    shared = ExerciseFactory(name="Shared calf raise")
    client.force_login(other_therapist)
    listing = client.get(reverse("exercises:list"))
    assert shared.name in listing.content.decode()
    assert own_exercise.name not in listing.content.decode()
    search = client.get(reverse("exercises:list"), {"q": "secret"})
    assert own_exercise.name not in search.content.decode()
    assert client.get(reverse("exercises:detail", args=[own_exercise.pk])).status_code == 404
    assert not Exercise.objects.visible_to(other_therapist).filter(pk=own_exercise.pk).exists()


def test_admins_cannot_edit_the_shared_library_only_duplicate_it(
    client: Any, clinic_admin: Any
) -> None:
    shared = ExerciseFactory(name="Shared bridge")
    client.force_login(clinic_admin)
    assert client.get(reverse("exercises:edit", args=[shared.pk])).status_code == 404
    assert client.post(reverse("exercises:archive", args=[shared.pk])).status_code == 404
    response = client.post(reverse("exercises:duplicate", args=[shared.pk]))
    copy = Exercise.objects.get(clinic=clinic_admin.clinic)
    assert response.url == reverse("exercises:edit", args=[copy.pk])
    assert copy.duplicated_from == shared


def test_mass_assignment_of_clinic_is_ignored(client: Any, clinic_admin: Any, other_clinic: Any):
    client.force_login(clinic_admin)
    client.post(
        reverse("exercises:create"),
        {
            "name": "Sneaky",
            "category": "core",
            "difficulty": "beginner",
            "side": "both",
            "clinic": other_clinic.pk,
            "archived_at": "2020-01-01",
        },
    )
    created = Exercise.objects.get(name="Sneaky")
    assert created.clinic == clinic_admin.clinic
    assert created.archived_at is None
