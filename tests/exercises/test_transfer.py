"""Export and import of the library; the seed library loads through the same importer."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from exercises.library import EXERCISES, MODALITIES
from exercises.models import Exercise, Modality
from exercises.seed import seed_demo
from exercises.transfer import LibraryImportError, export_library, import_library
from rehab_clinic.accounts.models import User
from tests.factories import ClinicFactory, ExerciseFactory

pytestmark = pytest.mark.django_db


def _strip(payload: dict) -> tuple[list, list]:
    return payload["exercises"], payload["modalities"]


def test_seed_loads_every_illustrated_exercise_and_modality_and_is_idempotent() -> None:
    seed_demo()
    assert Exercise.objects.filter(clinic=None).count() == len(EXERCISES) >= 100
    assert Modality.objects.filter(clinic=None).count() == len(MODALITIES) >= 10
    assert not Exercise.objects.filter(clinic=None, illustration_svg="").exists()
    before = list(Exercise.objects.values_list("pk", "updated_at").order_by("pk"))
    seed_demo()
    assert list(Exercise.objects.values_list("pk", "updated_at").order_by("pk")) == before
    linked = Exercise.objects.get(slug="single-leg-calf-raise", clinic=None)
    assert linked.regression.slug == "double-leg-calf-raise"
    assert linked.progression.slug == "loaded-calf-raise-step"


def test_export_command_prints_every_exercise_and_modality() -> None:
    seed_demo()
    out = io.StringIO()
    call_command("export_library", stdout=out)
    payload = json.loads(out.getvalue())
    assert len(payload["exercises"]) == len(EXERCISES)
    assert len(payload["modalities"]) == len(MODALITIES)
    first = next(e for e in payload["exercises"] if e["slug"] == "eccentric-heel-drop-straight")
    assert first["category"] == "calf_foot_ankle"
    assert first["instructions"][0].startswith("Stand on a step")
    assert first["dosage"] == {
        "sets": 3, "reps": 15, "hold_seconds": None, "rest_seconds": 60, "load": "",
        "tempo": "", "side": "each", "times_per_day": 2, "days_per_week": 7,
    }  # fmt: skip
    assert first["illustration"]["pose"]["start"]
    assert len(first["illustration"]["svg_sha256"]) == 64
    ultrasound = next(m for m in payload["modalities"] if m["kind"] == "ultrasound")
    assert ultrasound["parameters"]["intensity"] == 1.0
    intensity = next(p for p in ultrasound["parameter_schema"] if p["name"] == "intensity")
    assert (intensity["unit"], intensity["min"], intensity["max"]) == ("W/cm²", 0.1, 2.0)
    assert "Over the eyes" in ultrasound["contraindications"]


def test_import_command_into_an_empty_clinic_recreates_the_library(tmp_path: Any) -> None:
    seed_demo()
    path = tmp_path / "library.json"
    call_command("export_library", output=str(path))
    clinic = ClinicFactory(slug="new-clinic")
    call_command("import_library", str(path), clinic="new-clinic", stdout=io.StringIO())
    original = export_library(clinic=None)
    copy = export_library(clinic=clinic)
    assert _strip(copy) == _strip(original)
    mine = Exercise.objects.filter(clinic=clinic)
    assert mine.count() == len(EXERCISES)
    assert not mine.filter(illustration_svg="").exists()
    linked = mine.get(slug="single-leg-calf-raise")
    assert linked.progression.clinic == clinic
    assert Modality.objects.filter(clinic=clinic).count() == len(MODALITIES)


def test_import_reports_every_error_at_once_and_saves_nothing() -> None:
    seed_demo()
    payload = export_library(clinic=None)
    payload["exercises"][0]["category"] = "juggling"
    payload["exercises"][1]["dosage"]["days_per_week"] = 9
    payload["exercises"][2]["video_url"] = "javascript:alert(1)"
    payload["exercises"][3]["illustration"]["pose"] = {"start": {"base": "moonwalk"}}
    payload["exercises"][4]["progression"] = "no-such-exercise"
    payload["exercises"][5]["slug"] = payload["exercises"][6]["slug"]
    payload["modalities"][0]["parameters"]["minutes"] = 500
    payload["modalities"][1]["kind"] = "laser"
    clinic = ClinicFactory()
    with pytest.raises(LibraryImportError) as caught:
        import_library(payload=payload, clinic=clinic)
    text = "\n".join(caught.value.errors)
    for expected in ("juggling", "days_per_week", "video_url", "pose", "no-such-exercise",
                     "appears more than once", "between", "laser"):  # fmt: skip
        assert expected in text, expected
    assert not Exercise.objects.filter(clinic=clinic).exists()
    assert not Modality.objects.filter(clinic=clinic).exists()


def test_import_never_trusts_svg_from_the_file() -> None:
    seed_demo()
    payload = export_library(clinic=None)
    payload["exercises"] = payload["exercises"][:1]
    payload["exercises"][0]["illustration"]["svg"] = "<svg><script>alert(1)</script></svg>"
    payload["exercises"][0]["progression"] = None
    payload["exercises"][0]["regression"] = None
    clinic = ClinicFactory()
    import_library(payload=payload, clinic=clinic)
    assert "<script" not in Exercise.objects.get(clinic=clinic).illustration_svg


def test_admin_downloads_and_uploads_the_library(client: Any, clinic_admin: Any, other_admin):
    seed_demo()
    client.force_login(clinic_admin)
    client.post(reverse("exercises:duplicate", args=[Exercise.objects.get(slug="clamshell").pk]))
    download = client.get(reverse("exercises:export"))
    assert download["Content-Disposition"].startswith("attachment;")
    payload = json.loads(download.content)
    assert [e["slug"] for e in payload["exercises"]] == ["clamshell"]

    client.force_login(other_admin)
    upload = io.BytesIO(download.content)
    upload.name = "library.json"
    response = client.post(reverse("exercises:transfer"), {"file": upload})
    assert response.status_code == 302
    assert Exercise.objects.filter(clinic=other_admin.clinic, slug="clamshell").exists()

    payload["exercises"][0]["category"] = "juggling"
    payload["exercises"][0]["slug"] = "clamshell-two"
    bad = io.BytesIO(json.dumps(payload).encode())
    bad.name = "bad.json"
    refused = client.post(reverse("exercises:transfer"), {"file": bad})
    assert refused.status_code == 400
    assert "Nothing was imported" in refused.content.decode()
    assert "juggling" in refused.content.decode()
    assert not Exercise.objects.filter(slug="clamshell-two").exists()


def test_after_seed_demo_the_demo_therapist_sees_the_illustrated_library(client: Any) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    therapist = User.objects.get(email="therapist@demo.clinic")
    client.force_login(therapist)
    page = client.get(reverse("exercises:list"))
    total = page.context["page"].paginator.count
    assert total >= 100
    assert f"{total} exercises" in page.content.decode()
    cards = page.context["page"].object_list
    assert all(card.illustration_svg.startswith("<svg") for card in cards)
    first = cards[0]
    image = client.get(reverse("exercises:illustration", args=[first.pk]))
    assert image.status_code == 200
    assert image.content.startswith(b"<svg")
    modalities = client.get(reverse("exercises:modality_list")).context["modalities"]
    assert len(modalities) >= 10


def test_names_with_markup_are_escaped_everywhere(client: Any, clinic_admin: Any) -> None:
    client.force_login(clinic_admin)
    evil = '<img src=x onerror="alert(1)">'
    client.post(
        reverse("exercises:create"),
        {
            "name": evil,
            "aliases": evil,
            "category": "core",
            "difficulty": "beginner",
            "side": "both",
            "instructions": evil,
            "cues": evil,
            "precautions": evil,
            "drawing_from": ExerciseFactory(illustration_pose={"start": {"base": "plank"}}).pk,
        },
    )
    exercise = Exercise.objects.get(clinic=clinic_admin.clinic)
    for url in (reverse("exercises:list"), reverse("exercises:detail", args=[exercise.pk])):
        body = client.get(url).content.decode()
        assert evil not in body
        assert "&lt;img src=x" in body
    svg = client.get(reverse("exercises:illustration", args=[exercise.pk])).content.decode()
    assert "<img" not in svg
    assert "&lt;img" in svg
