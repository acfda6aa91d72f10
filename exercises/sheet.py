"""A contact sheet of every drawing in the shipped library, for a reviewer to see them at once.

Drawings go through cairosvg, the same rasteriser the printed handout uses, so the sheet shows
what a patient's paper will show.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape

import cairosvg

from exercises.illustration import read_drawing, render_pose_spec
from exercises.library import EXERCISES
from exercises.library.schema import ExerciseSeed

PER_PAGE = 12


@dataclass(frozen=True)
class SheetEntry:
    slug: str
    name: str
    plane: str
    view: str
    moving: str
    svg: str


def sheet_entries(seeds: list[ExerciseSeed] | None = None) -> list[SheetEntry]:
    entries = []
    for seed in seeds if seeds is not None else EXERCISES:
        drawing = read_drawing(seed.pose)
        svg = render_pose_spec(
            seed.name,
            seed.pose,
            hold_seconds=seed.dosage.hold_seconds,
            reps=seed.dosage.reps,
            dosed=True,
        )
        entries.append(
            SheetEntry(seed.slug, seed.name, drawing.plane, drawing.view, drawing.moving, svg)
        )
    return entries


def _png_uri(svg: str) -> str:
    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=520, background_color="white")
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def sheet_html(entries: list[SheetEntry]) -> str:
    cells = []
    for number, entry in enumerate(entries, start=1):
        caption = f"{entry.plane} plane, {entry.view} view"
        if entry.moving:
            caption += f", moving: {entry.moving}"
        cells.append(
            f'<figure><img src="{_png_uri(entry.svg)}" alt="">'
            f"<figcaption><b>{number}. {escape(entry.name)}</b> "
            f"<span>{escape(entry.slug)} · {escape(caption)}</span></figcaption></figure>"
        )
    pages = [
        '<section class="page">' + "".join(cells[i : i + PER_PAGE]) + "</section>"
        for i in range(0, len(cells), PER_PAGE)
    ]
    style = """
      @page { size: A4 landscape; margin: 10mm; }
      body { font-family: 'DejaVu Sans', sans-serif; font-size: 8pt; margin: 0; }
      .page { page-break-after: always; }
      figure { display: inline-block; vertical-align: top; width: 89mm; height: 46mm;
               margin: 0 1mm 1mm 0; }
      img { height: 36mm; max-width: 88mm; border: 0.2mm solid #ccd; }
      figcaption span { color: #555; display: block; }
    """
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{style}</style></head>"
        f"<body>{''.join(pages)}</body></html>"
    )


def sheet_pdf(entries: list[SheetEntry] | None = None) -> bytes:
    from weasyprint import HTML  # local import: WeasyPrint is heavy; only the sheet needs it

    html = sheet_html(entries if entries is not None else sheet_entries())
    return bytes(HTML(string=html, base_url=".").write_pdf())
