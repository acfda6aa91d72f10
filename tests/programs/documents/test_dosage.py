"""Dosage in plain words, the same on the portal and on paper, and the pain traffic light."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from programs.documents.compose import sheet_from_version
from programs.documents.pdf import render_program
from programs.documents.sheet import PainRules, pain_traffic_light
from programs.home.adherence import due_weekdays
from programs.home.dosage import (
    Dosage,
    describe_dosage,
    dosage_from_item,
    named_side,
    shorthand_dosage,
    tempo_words,
)
from programs.home.services import publish_home_program
from tests.builders import make_program
from tests.programs.documents.poppler import pdf_text


@pytest.mark.parametrize(
    ("dosage", "words"),
    [
        (Dosage(sets=3, reps=15, times_per_day=2, days_per_week=7),
         "3 sets of 15, twice a day, every day"),
        (Dosage(sets=1, reps=10, times_per_day=1, days_per_week=3),
         "1 set of 10, once a day, 3 days a week"),
        (Dosage(sets=3, reps=15, side="each", load="a red band", days_per_week=1),
         "3 sets of 15 (each side) with a red band, once a week"),
        (Dosage(sets=5, hold_seconds=45, times_per_day=3),
         "5 holds of 45 seconds, 3 times a day"),
        (Dosage(hold_seconds=120), "Hold for 2 minutes"),
        (Dosage(sets=4, reps=8, hold_seconds=5, rest_seconds=90, tempo="3-0-3"),
         "4 sets of 8, holding each for 5 seconds; rest 90 seconds between sets; "
         "slowly: 3 seconds down, 3 seconds up"),
        (Dosage(sets=3, reps=15, side="each", named_side="painful leg"),
         "3 sets of 15 (painful leg)"),
        (Dosage(sets=3, reps=15, side="left", named_side="painful leg"),
         "3 sets of 15 (left side)"),
        (Dosage(tempo="2-0-2"), "Slowly: 2 seconds down, 2 seconds up"),
        (Dosage(reps=1), "1 repetition"),
        (Dosage(days_per_week=5), "5 days a week"),
        (Dosage(rest_seconds=60), "Rest 1 minute between sets"),
        (Dosage(), "As shown by your therapist"),
    ],
)  # fmt: skip
def test_dosage_reads_as_plain_words(dosage: Dosage, words: str) -> None:
    assert describe_dosage(dosage) == words


@pytest.mark.parametrize(
    ("tempo", "words"),
    [
        ("2-0-2", "slowly: 2 seconds down, 2 seconds up"),
        ("3-1-1", "slowly: 3 seconds down, pause 1 second, 1 second up"),
        ("3:0:X", "slowly: 3 seconds down, up fast"),
        ("1-0-1-2", "steadily: 1 second down, 1 second up, pause 2 seconds at the top"),
        ("slow and even", "at this pace: slow and even"),
        ("", ""),
    ],
)  # fmt: skip
def test_tempo_reads_as_seconds_down_and_up(tempo: str, words: str) -> None:
    assert tempo_words(tempo) == words


@pytest.mark.parametrize(
    ("steps", "side"),
    [
        (["Rise up on both feet.", "Shift onto the painful leg and lower that heel."],
         "painful leg"),
        (["Keep the knee bent and lower the painful side heel slowly."], "painful side"),
        (["Stand on the injured foot."], "injured foot"),
        (["Stand tall.", "Lower slowly."], ""),
    ],
)  # fmt: skip
def test_the_side_named_in_the_steps_is_found(steps: list[str], side: str) -> None:
    assert named_side(steps) == side


def test_no_therapist_shorthand_reaches_the_patient_wording() -> None:
    dosage = Dosage(sets=3, reps=15, rest_seconds=60, tempo="2-0-2", side="each",
                    times_per_day=2, days_per_week=7, load="red band")  # fmt: skip

    assert describe_dosage(dosage) == (
        "3 sets of 15 (each side) with red band, twice a day, every day; "
        "rest 1 minute between sets; slowly: 2 seconds down, 2 seconds up"
    )
    assert shorthand_dosage(dosage) == "3x15 ea, 2x/d, 7/wk, tempo 2-0-2, rest 60 s, red band"
    assert shorthand_dosage(Dosage(sets=5, hold_seconds=45)) == "5x45 s"
    assert shorthand_dosage(Dosage()) == "as shown"


def test_pain_traffic_light_has_three_lights_from_the_rule() -> None:
    lights = pain_traffic_light(PainRules(green_max=2, amber_max=5))

    assert [light.colour for light in lights] == ["green", "amber", "red"]
    assert lights[0].pain == "0 to 2 out of 10"
    assert lights[1].pain == "3 to 5 out of 10"
    assert lights[2].pain == "more than 5 out of 10"


DOSE = {
    "sets": 3, "reps": 12, "hold_seconds": 3, "rest_seconds": 60, "load": "red band",
    "tempo": "", "side": "each", "times_per_day": 2, "days_per_week": 5,
}  # fmt: skip
DOSE_WORDS = (
    "3 sets of 12, holding each for 3 seconds (each side) with red band, twice a day, "
    "5 days a week; rest 1 minute between sets"
)


def test_a_snapshot_item_reads_as_its_dosage() -> None:
    item = {**DOSE, "sets": 3.0, "reps": None, "hold_seconds": 0, "side": "both"}

    assert dosage_from_item(item) == Dosage(
        sets=3, rest_seconds=60, load="red band", side="both", times_per_day=2, days_per_week=5
    )


@pytest.mark.django_db
def test_the_portal_and_the_pdf_word_the_dose_the_same_way(
    episode: Any, therapist: Any, patient_user: Any, client: Any, tmp_path: Path
) -> None:
    program = make_program(episode, therapist, items=1, publish=False, modality=False)
    program.items.update(**DOSE)
    version = publish_home_program(program=program, by=therapist)
    client.force_login(patient_user)

    pages = [
        client.get(reverse("programs:portal_program")),
        client.get(reverse("programs:portal_today")),
        client.get(reverse("programs:portal_version", args=[version.pk])),
    ]
    printed = " ".join(pdf_text(render_program(sheet_from_version(version)).data, tmp_path).split())

    assert [page.status_code for page in pages] == [200, 200, 200]
    # Today lists the exercise only on one of its five days; the other two are rest days.
    due_today = patient_user.patient.clinic.today().weekday() in due_weekdays(5)
    for page in pages if due_today else [pages[0], pages[2]]:
        assert DOSE_WORDS in " ".join(page.content.decode().split())
    assert DOSE_WORDS in printed


@pytest.mark.django_db
def test_tempo_and_the_painful_side_read_the_same_on_the_portal_and_on_paper(
    episode: Any, therapist: Any, patient_user: Any, client: Any, tmp_path: Path
) -> None:
    program = make_program(episode, therapist, items=1, publish=False, modality=False)
    item = program.items.select_related("exercise").get()
    item.exercise.instructions = ["Rise up on both feet.", "Shift onto the painful leg and lower."]
    item.exercise.save(update_fields=["instructions"])
    program.items.update(sets=3, reps=15, hold_seconds=None, tempo="2-0-2", side="each")
    version = publish_home_program(program=program, by=therapist)
    client.force_login(patient_user)
    words = (
        "3 sets of 15 (painful leg), once a day, every day; slowly: 2 seconds down, 2 seconds up"
    )
    urls = [
        reverse("programs:portal_program"),
        reverse("programs:portal_version", args=[version.pk]),
    ]
    portal = [" ".join(client.get(url).content.decode().split()) for url in urls]
    printed = " ".join(pdf_text(render_program(sheet_from_version(version)).data, tmp_path).split())

    for text in [*portal, printed]:
        assert words in text
        assert "tempo 2-0-2" not in text
        assert "(each side)" not in text
