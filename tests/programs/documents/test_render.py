"""The printed program itself: what poppler finds in it."""

from pathlib import Path

import pytest

from programs.documents.pdf import render_program
from programs.documents.sheet import ClinicHeading
from tests.programs.documents.poppler import image_list, page_count, pdf_objects, pdf_text, poppler
from tests.programs.documents.sample import sample_sheet


@pytest.fixture(scope="module")
def rendered() -> object:
    return render_program(sample_sheet(6))


def test_every_page_carries_the_patient_name_and_page_x_of_y(rendered, tmp_path: Path) -> None:
    text = pdf_text(rendered.data, tmp_path)
    pages = text.split("\f")[: rendered.page_count]

    assert rendered.page_count == page_count(rendered.data, tmp_path) > 1
    for number, page in enumerate(pages, start=1):
        assert "Maya Okafor" in page
        assert f"Page {number} of {rendered.page_count}" in page


def test_first_page_has_letterhead_patient_therapist_and_date(rendered, tmp_path: Path) -> None:
    first = pdf_text(rendered.data, tmp_path).split("\f")[0]

    expected = ["Riverside Running Rehab", "555 0100", "hello@riverside.example", "Dana Whitfield",
                "27 November 2026", "Achilles tendinopathy, right"]  # fmt: skip
    for words in expected:
        assert words in first


def test_cards_modalities_run_plan_pain_rules_and_gait_card(rendered, tmp_path: Path) -> None:
    text = " ".join(pdf_text(rendered.data, tmp_path).split())

    for words in (
        "Calf raise, both legs",
        "3 sets of 15 (each side), twice a day, every day",
        "1. Stand tall",
        "Keep the knee over the second toe.",
        "Note from your therapist: Use the wall",
        "Ice pack",
        "Run 2 min, walk 3 min, 6 times",
        "3 (now)",
        "Go: 0 to 2 out of 10",
        "Stop: more than 5 out of 10",
        "172 steps per minute",
    ):
        assert words in text


def test_each_illustration_is_an_image_in_the_pdf(rendered, tmp_path: Path) -> None:
    images = image_list(rendered.data, tmp_path)

    assert len(images) == 6
    # About 200 dpi where printed (78 mm wide), in colour.
    assert all(int(row.split()[12]) >= 190 for row in images)
    assert {row.split()[5] for row in images} == {"rgb"}


def test_paper_size_follows_the_clinic(tmp_path: Path) -> None:
    a4 = render_program(sample_sheet(1, clinic=ClinicHeading(name="X", paper_size="A4")))
    letter = render_program(sample_sheet(1))

    assert "(A4)" in poppler("pdfinfo", a4.data, tmp_path)
    assert "(letter)" in poppler("pdfinfo", letter.data, tmp_path)


def test_pdf_is_tagged_archival_and_declares_its_language(rendered, tmp_path: Path) -> None:
    info = poppler("pdfinfo", rendered.data, tmp_path, "-meta")

    assert "Tagged:          yes" in poppler("pdfinfo", rendered.data, tmp_path)
    assert 'pdfaid:part="3"' in info
    assert 'pdfaid:conformance="A"' in info
    assert b"/Lang (en)" in pdf_objects(rendered.data)


def test_without_optional_sections_they_are_left_out(tmp_path: Path) -> None:
    sheet = sample_sheet(1, run_plan=None, gait=None, modalities=[], portal_url="")
    text = pdf_text(render_program(sheet).data, tmp_path)

    assert "return to running" not in text
    assert "Running cue card" not in text
    assert "Treatments to use at home" not in text
    assert "How much pain is OK?" in text
