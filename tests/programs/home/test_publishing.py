"""Publishing freezes what the patient was given; bad input is refused and changes nothing."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from exercises.models import Exercise
from exercises.seed import load_shared_library
from programs.home import services, template_services
from programs.home.models import Completion, HomeProgram, ProgramItem, ProgramTemplate
from tests.builders import make_program
from tests.factories import ProgramExerciseFactory

pytestmark = pytest.mark.django_db


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_editing_the_library_after_publishing_leaves_the_version_unchanged(
    episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=2)
    version = program.versions.get()
    before = version.snapshot
    exercise = program.items.first().exercise
    exercise.name = "Renamed in the library"
    exercise.instructions = ["Completely new instructions."]
    exercise.illustration_svg = "<svg>changed</svg>"
    exercise.save()
    version.refresh_from_db()
    assert version.snapshot == before
    assert version.items[0]["name"] != "Renamed in the library"
    assert "Renamed in the library" not in str(version.snapshot)


def test_the_patient_sees_the_latest_version_and_earlier_ones_stay_readable(
    client: Any, episode: Any, therapist: Any, patient_user: Any
) -> None:
    program = make_program(episode, therapist, items=2)
    first = program.versions.get()
    services.add_program_item(
        program=program, exercise=ProgramExerciseFactory(name="Hop"), by=therapist
    )
    second = services.publish_home_program(program=program, by=therapist)
    assert second.number == 2
    client.force_login(patient_user)
    current = client.get(reverse("programs:portal_program")).content.decode()
    assert "Hop" in current
    assert reverse("programs:portal_version", args=[first.pk]) in current
    older = client.get(reverse("programs:portal_version", args=[first.pk])).content.decode()
    assert "Hop" not in older
    assert first.items[0]["name"] in older


def test_publishing_an_empty_program_is_refused_with_a_message(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=0, publish=False)
    client.force_login(therapist)
    response = client.post(reverse("programs:publish", args=[program.pk]), follow=True)
    assert "Add at least one exercise before publishing." in _messages(response)
    assert program.versions.count() == 0


def test_publishing_twice_creates_one_version(client: Any, episode: Any, therapist: Any) -> None:
    program = make_program(episode, therapist, publish=False)
    client.force_login(therapist)
    url = reverse("programs:publish", args=[program.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert program.versions.count() == 1
    assert "Nothing changed since version 1: not republished." in _messages(response)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sets", "0", "greater than or equal to 1"),
        ("sets", "11", "less than or equal to 10"),
        ("reps", "500", "less than or equal to 100"),
        ("hold_seconds", "-5", "greater than or equal to"),
        ("days_per_week", "8", "less than or equal to 7"),
        ("times_per_day", "abc", "Enter a whole number"),
        ("reps", "", "Give either reps or a hold time."),
    ],
)
def test_dosage_out_of_range_is_refused_beside_the_field_and_saves_nothing(
    client: Any, episode: Any, therapist: Any, field: str, value: str, message: str
) -> None:
    program = make_program(episode, therapist, items=1)
    item = program.items.get()
    before = item.dosage()
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-{name}": "" if val is None else val for name, val in before.items()}
    data[f"{prefix}-{field}"] = value
    data[f"{prefix}-sets"] = data[f"{prefix}-sets"] if field != "sets" else value
    client.force_login(therapist)
    url = reverse("programs:item_update", args=[program.pk, item.pk])
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "was not saved" in html
    item.refresh_from_db()
    assert item.dosage() == before
    htmx = client.post(url, data, HTTP_HX_REQUEST="true")
    assert message in htmx.content.decode()
    assert "Not saved" in htmx.content.decode()


def test_a_valid_dosage_is_saved_and_republishing_shows_it(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=1)
    item = program.items.get()
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-{name}": "" if val is None else val for name, val in item.dosage().items()}
    data |= {f"{prefix}-sets": "4", f"{prefix}-load": "red band", f"{prefix}-note": "Slowly"}
    client.force_login(therapist)
    response = client.post(
        reverse("programs:item_update", args=[program.pk, item.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert "Saved." in response.content.decode()
    version = services.publish_home_program(program=program, by=therapist)
    assert (version.items[0]["sets"], version.items[0]["load"]) == (4, "red band")
    assert version.items[0]["note"] == "Slowly"


def test_injected_fields_are_ignored(
    client: Any, episode: Any, therapist: Any, second_patient_user: Any
) -> None:
    program = make_program(episode, therapist, items=1)
    item = program.items.get()
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-{name}": "" if val is None else val for name, val in item.dosage().items()}
    data |= {f"{prefix}-program": "999", f"{prefix}-exercise": "999", f"{prefix}-key": "x"}
    client.force_login(therapist)
    client.post(reverse("programs:item_update", args=[program.pk, item.pk]), data)
    item.refresh_from_db()
    assert item.program_id == program.pk


def test_a_repeated_tick_is_stored_once(
    client: Any, episode: Any, therapist: Any, patient_user: Any
) -> None:
    program = make_program(episode, therapist)
    version = program.versions.get()
    url = reverse("programs:portal_mark_done", args=[version.pk])
    tick = {
        "item": version.items[0]["key"],
        "day": episode.patient.clinic.today().isoformat(),
        "session": 1,
    }
    client.force_login(patient_user)
    first = client.post(url, tick, HTTP_ACCEPT="application/json").json()
    second = client.post(url, tick, HTTP_ACCEPT="application/json").json()
    assert first == {"ok": True, "created": True}
    assert second == {"ok": True, "created": False}
    assert Completion.objects.count() == 1
    response = client.post(url, tick, follow=True)
    assert "Already ticked off." in _messages(response)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"item": "00000000-0000-0000-0000-000000000000"}, "That exercise is not in your program."),
        ({"session": "2"}, "That session is not part of today's dose."),
        ({"day": "future"}, "Only the last week can be ticked off."),
        ({"day": "not-a-date"}, "That tick could not be read."),
    ],
)
def test_a_bad_tick_is_refused_with_a_message(
    client: Any, episode: Any, therapist: Any, patient_user: Any, change: dict, message: str
) -> None:
    program = make_program(episode, therapist)
    version = program.versions.get()
    today = episode.patient.clinic.today()
    tick = {"item": version.items[0]["key"], "day": today.isoformat(), "session": 1} | change
    if tick["day"] == "future":
        tick["day"] = (today + timedelta(days=1)).isoformat()
    client.force_login(patient_user)
    url = reverse("programs:portal_mark_done", args=[version.pk])
    response = client.post(url, tick, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert Completion.objects.count() == 0


def test_starting_from_a_template_copies_its_exercises_and_modalities(
    client: Any, episode: Any, therapist: Any
) -> None:
    source = make_program(episode, therapist, items=3)
    template = template_services.save_as_template(program=source, name="PFP phase 1", by=therapist)
    client.force_login(therapist)
    response = client.post(
        reverse("programs:start", args=[episode.pk]),
        {"template": template.pk, "token": "0c8c1a52-2a6e-4c1e-8d42-9a3c8e5f7b21"},
    )
    program = HomeProgram.objects.exclude(pk=source.pk).get()
    assert response.url == reverse("programs:builder", args=[program.pk])
    assert program.title == "PFP phase 1"
    assert [i.exercise_id for i in program.items.all()] == [
        i.exercise_id for i in source.items.all()
    ]
    assert program.modalities.count() == 1


def test_a_duplicate_template_name_is_refused(client: Any, episode: Any, therapist: Any) -> None:
    program = make_program(episode, therapist, items=1)
    template_services.save_as_template(program=program, name="Phase 1", by=therapist)
    client.force_login(therapist)
    response = client.post(
        reverse("programs:save_template", args=[program.pk]), {"name": "Phase 1"}, follow=True
    )
    assert "The clinic already has a template called “Phase 1”." in _messages(response)
    assert ProgramTemplate.objects.count() == 1


def test_builder_adds_reorders_and_removes_items_without_a_reload(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=2, publish=False)
    extra = ProgramExerciseFactory(name="Wall sit")
    client.force_login(therapist)
    hx = {"HTTP_HX_REQUEST": "true"}
    added = client.post(
        reverse("programs:item_add", args=[program.pk]), {"exercise": extra.pk}, **hx
    )
    assert added.status_code == 200
    assert 'id="program-items"' in added.content.decode()
    assert "Wall sit" in added.content.decode()
    new = program.items.get(exercise=extra)
    client.post(reverse("programs:item_move", args=[program.pk, new.pk]), {"direction": "up"}, **hx)
    names = [
        i.exercise.name for i in ProgramItem.objects.filter(program=program).order_by("position")
    ]
    assert names[1] == "Wall sit"
    client.post(reverse("programs:item_remove", args=[program.pk, new.pk]), **hx)
    assert not program.items.filter(exercise=extra).exists()
    found = client.get(reverse("programs:library_search", args=[program.pk]), {"q": "wall"}, **hx)
    assert "Wall sit" in found.content.decode()


def test_submitting_the_start_form_twice_opens_one_program(
    client: Any, episode: Any, therapist: Any
) -> None:
    client.force_login(therapist)
    url = reverse("programs:start", args=[episode.pk])
    token = "6a1f0f3e-8a63-4f4e-9a55-1d3f3b2a9c10"
    first = client.post(url, {"template": "", "token": token})
    second = client.post(url, {"template": "", "token": token})
    assert first.url == second.url
    assert HomeProgram.objects.filter(episode=episode).count() == 1


def test_adding_the_same_exercise_or_modality_twice_keeps_one(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=1, publish=False)
    exercise = program.items.get().exercise
    modality = program.modalities.get().modality
    client.force_login(therapist)
    response = client.post(
        reverse("programs:item_add", args=[program.pk]),
        {"exercise": exercise.pk},
        HTTP_HX_REQUEST="true",
    )
    assert f"{exercise.name} is already in the program." in response.content.decode()
    response = client.post(
        reverse("programs:modality_add", args=[program.pk]), {"modality": modality.pk}, follow=True
    )
    assert f"{modality.name} is already in the program." in _messages(response)
    assert program.items.count() == 1
    assert program.modalities.count() == 1


def test_the_database_refuses_to_rewrite_a_published_version(episode: Any, therapist: Any) -> None:
    from django.db import DatabaseError, connection, transaction

    from programs.home.models import ProgramVersion

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    version = make_program(episode, therapist, items=1).versions.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ProgramVersion.objects.filter(pk=version.pk).update(snapshot={"items": []})
    version.refresh_from_db()
    assert len(version.items) == 1


def test_the_builders_search_lists_the_best_match_first(
    client: Any, episode: Any, therapist: Any
) -> None:
    """The builder used to sort the search's results by name, so "glute med" opened on whatever
    came first in the alphabet instead of the clinic's best match."""
    load_shared_library()
    program = services.create_home_program(episode=episode, by=therapist)
    client.force_login(therapist)
    url = reverse("programs:library_search", args=[program.pk])
    for phrase in ["glute med", "IT band", "calf raise"]:
        html = client.get(url, {"q": phrase}, HTTP_HX_REQUEST="true").content.decode()
        ranked = [e.name for e in Exercise.objects.visible_to(therapist).search(phrase)][:5]
        assert len(ranked) > 1, phrase
        assert sorted(ranked, key=html.index) == ranked, phrase
