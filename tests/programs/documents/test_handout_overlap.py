"""No text of the handout is printed over other text, on either paper size, in either print size.

The running cue card at the foot of the cover once split in large print on A4: its floated
"Up from 160" went on at the top of the next page, over "Your two weeks at a glance", while the
card (its heading and cues fitted) stayed on the cover. Each case is one render of a runner's
12-exercise sheet (run plan, cue card, home treatments), its words' boxes read by `pdftotext
-bbox`, joined into lines and compared two by two on each page.
"""

import dataclasses
import itertools
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from programs.documents.pdf import render_program
from tests.programs.documents.poppler import poppler
from tests.programs.documents.test_handout_layout import library_sheet

# Poppler's word box is the font's whole height (1.16 em in DejaVu Sans), a little more than the
# summary table's line height (1.15): rows of one cell touch by about 0.2 pt. Real overlap is more.
TOLERANCE_PT = 1.0
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


class Box(NamedTuple):
    left: float
    top: float
    right: float
    bottom: float
    text: str


def _lines(page: str) -> list[Box]:
    """The page's words, joined into lines: a word follows the last one on the same baseline
    when it starts within a space or so of it (two columns stay two lines)."""
    lines: list[Box] = []
    for match in WORD.finditer(page):
        left, top, right, bottom = (float(value) for value in match.groups()[:4])
        word = match.group(5)
        last = lines[-1] if lines else None
        height = bottom - top
        if (
            last
            and abs(last.bottom - bottom) < 0.01
            and abs(last.top - top) < 0.01
            and 0 <= left - last.right < 0.6 * height
        ):
            lines[-1] = last._replace(right=right, text=f"{last.text} {word}")
        else:
            lines.append(Box(left, top, right, bottom, word))
    return lines


def _overlaps(pdf: bytes, tmp_path: Path) -> list[str]:
    pages = poppler("pdftotext", pdf, tmp_path, "-bbox").split("<page ")[1:]
    found = []
    for number, page in enumerate(pages, start=1):
        for a, b in itertools.combinations(_lines(page), 2):
            across = min(a.right, b.right) - max(a.left, b.left)
            down = min(a.bottom, b.bottom) - max(a.top, b.top)
            if across > TOLERANCE_PT and down > TOLERANCE_PT:
                found.append(f"page {number}: {a.text!r} and {b.text!r} ({down:.1f} pt)")
    return found


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_no_text_of_the_handout_overlaps_other_text(
    tmp_path: Path, paper: str, large_print: bool
) -> None:
    sheet = library_sheet(12)  # run plan, cue card ("Up from 160", no note), 12 exercises
    clinic = dataclasses.replace(sheet.clinic, paper_size=paper)
    rendered = render_program(dataclasses.replace(sheet, clinic=clinic, large_print=large_print))

    assert _overlaps(rendered.data, tmp_path) == []
