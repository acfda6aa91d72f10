"""The handout's pages: cover, one summary sheet, four exercises a page, pictures in colour, and
large print. Cards are made from the real library (its steps, cues and drawings)."""

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from exercises.illustration import render_pose_spec
from exercises.library import EXERCISES
from programs.documents.compose import sheet_from_version
from programs.documents.models import ProgramDocument
from programs.documents.pdf import render_program
from programs.documents.rendering import generate_program_document
from programs.documents.sheet import ExerciseCard, ProgramSheet
from programs.home.dosage import Dosage
from programs.home.models import ProgramVersion
from tests.programs.documents.poppler import image_list, page_count, pdf_text, poppler
from tests.programs.documents.sample import sample_sheet

BAND_RED = (0xC0, 0x39, 0x2B)  # exercises.props.BAND_COLORS["red"]


# A runner's program: entries of every category, of median length or more (steps and cues).
def _words(seed: object) -> int:
    return sum(len(x) for x in (*seed.instructions, *seed.cues))  # type: ignore[attr-defined]


_MEDIAN = sorted(_words(s) for s in EXERCISES)[len(EXERCISES) // 2]
LIBRARY = [s for s in EXERCISES if _words(s) >= _MEDIAN][::4]


def library_card(seed: object, note: bool = False) -> ExerciseCard:
    dose = seed.dosage  # type: ignore[attr-defined]
    return ExerciseCard(
        name=seed.name,  # type: ignore[attr-defined]
        instructions=list(seed.instructions),  # type: ignore[attr-defined]
        cues=list(seed.cues),  # type: ignore[attr-defined]
        illustration_svg=render_pose_spec(seed.name, seed.pose),  # type: ignore[attr-defined]
        dosage=Dosage(
            sets=dose.sets,
            reps=dose.reps,
            hold_seconds=dose.hold_seconds,
            tempo=dose.tempo,
            rest_seconds=dose.rest_seconds,
            side=dose.side,
            times_per_day=dose.times_per_day,
            days_per_week=dose.days_per_week,
        ),
        patient_note="Use the wall for balance for the first week." if note else "",
    )


def library_sheet(count: int, **overrides: object) -> ProgramSheet:
    # Every optional section on (modalities, run plan, gait card), as on a real runner's sheet.
    cards = [library_card(s, note=n % 3 == 0) for n, s in enumerate(LIBRARY[:count])]
    return sample_sheet(0, exercises=cards, **overrides)


@pytest.fixture(scope="module")
def twelve() -> object:
    return render_program(library_sheet(12))


# pdfinfo's "Page size" in points: A4 is 210 x 297 mm, US Letter 8.5 x 11 in.
PAGE_POINTS = {"A4": "595.276 x 841.89 pts", "Letter": "612 x 792 pts"}


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_twelve_exercises_print_on_five_pages_with_cover_and_summary(
    twelve: object, tmp_path: Path, paper: str
) -> None:
    sheet = library_sheet(12)
    if paper != sheet.clinic.paper_size:
        clinic = dataclasses.replace(sheet.clinic, paper_size=paper)
        rendered = render_program(dataclasses.replace(sheet, clinic=clinic))
    else:
        rendered = twelve  # type: ignore[assignment]
    pages = pdf_text(rendered.data, tmp_path).split("\f")

    assert PAGE_POINTS[paper] in poppler("pdfinfo", rendered.data, tmp_path)
    assert page_count(rendered.data, tmp_path) <= 5
    assert "How much pain is OK?" in pages[0]
    assert "Your two weeks at a glance" not in pages[0]
    # In reading order (no -layout): a name wrapped in its narrower A4 column stays whole.
    reading = poppler("pdftotext", rendered.data, tmp_path).split("\f")
    summary = " ".join(reading[1].split())
    assert "Your two weeks at a glance" in summary
    for seed in LIBRARY[:12]:
        assert seed.name in summary
    # Four exercises on each exercise page.
    for page in pages[2:5]:
        assert len(re.findall(r"Remember|How to", page)) >= 3


def test_the_summary_sheet_has_a_tick_box_per_day_for_two_weeks(tmp_path: Path) -> None:
    sheet = library_sheet(2)
    text = pdf_text(render_program(sheet).data, tmp_path).split("\f")[1]

    # 27 November 2026 is a Friday: the boxes start on the day the program was given.
    assert "Week 1, from 27 Nov" in text
    assert re.search(r"F\s+S\s+S\s+M\s+T\s+W\s+T\s+F\s+S\s+S\s+M\s+T\s+W\s+T", text)
    assert "5 days a" in text  # the Days column (foam rolling: 5 days a week)


def _red_pixels(png: Path) -> int:
    with Image.open(png) as image:
        pixels = list(image.convert("RGB").get_flattened_data())
        return sum(
            1 for r, g, b in pixels if abs(r - BAND_RED[0]) < 40 and g < 110 and b < 100 and r > 150
        )


def _page_png(pdf: bytes, page: int, tmp_path: Path) -> Path:
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    tool = shutil.which("pdftoppm") or "pdftoppm"
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(  # noqa: S603 - poppler on a file this test wrote
        [tool, "-r", "100", "-png", *pages, str(source), str(tmp_path / "page")], check=True
    )
    return next(tmp_path.glob("page-*.png"))


@pytest.mark.parametrize("large_print", [False, True])
def test_a_red_band_stays_red_in_the_pdf(tmp_path: Path, large_print: bool) -> None:
    band = next(s for s in EXERCISES if s.slug == "band-lateral-walk")
    sheet = sample_sheet(
        0, exercises=[library_card(band)], run_plan=None, gait=None, modalities=[],
        large_print=large_print, clinic=dataclasses.replace(sample_sheet(0).clinic),
    )  # fmt: skip
    pdf = render_program(sheet).data

    images = image_list(pdf, tmp_path)
    assert [row.split()[5] for row in images] == ["rgb"]
    # The exercise page (after cover and summary), as a printer would get it.
    assert _red_pixels(_page_png(pdf, 3, tmp_path)) > 30


def test_the_pictures_are_large(twelve: object, tmp_path: Path) -> None:
    rows = image_list(twelve.data, tmp_path)  # type: ignore[attr-defined]

    assert len(rows) == 12
    # `pdfimages -list`: x-ppi of 190 or more at 620 px means a print width of 78 mm or so.
    assert all(190 <= int(row.split()[12]) <= 215 for row in rows)


def _word_heights(pdf: bytes, tmp_path: Path, word: str) -> list[float]:
    html = poppler("pdftotext", pdf, tmp_path, "-bbox")
    found = re.findall(rf'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}</word>', html)
    return [float(bottom) - float(top) for top, bottom in found]


def test_large_print_makes_bigger_text_and_keeps_every_picture_in_colour(tmp_path: Path) -> None:
    regular = library_sheet(12)
    large = render_program(dataclasses.replace(regular, large_print=True))

    normal_steps = _word_heights(render_program(regular).data, tmp_path, "Remember")
    large_steps = _word_heights(large.data, tmp_path, "Remember")
    assert min(large_steps) >= 1.2 * max(normal_steps)
    # Cover and summary sheet (each may run onto a second page), then three exercises a page.
    assert page_count(large.data, tmp_path) <= 9
    assert [row.split()[5] for row in image_list(large.data, tmp_path)] == ["rgb"] * 12


@pytest.mark.django_db
def test_large_print_is_set_per_program_and_renders_the_current_pdf_again(
    program: Any,
    therapist: Any,
    client: Any,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token="first")
    document.refresh_from_db()
    before = document.checksum
    client.force_login(therapist)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programs:details", args=[program.pk]),
            {"title": program.title, "note_to_patient": "", "large_print": "on"},
        )

    document.refresh_from_db()
    assert response.status_code == 302
    program.refresh_from_db()
    assert sheet_from_version(ProgramVersion.objects.get(program=program)).large_print
    assert document.state == ProgramDocument.State.READY
    assert document.checksum != before
    assert program.versions.count() == 1  # the patient's program itself did not change
