"""The printed home program: plain data in, PDF bytes out (no database access here).

`ProgramSheet` (`programs.documents.sheet`) is everything the page shows, already decided:
`programs.documents.compose` builds one from a published `ProgramVersion`.
`render_program_pdf(sheet)` lays it out with WeasyPrint from a Django template and our print
stylesheet, fetching nothing outside the allow-list of `programs.documents.fetcher`. Illustrations
are rasterised once per distinct drawing to a 620 px colour JPEG (about 200 dpi printed; see
docs/pdf.md for why), the QR code is drawn locally as SVG.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import functools
import gc
import io
import logging
from pathlib import Path
from urllib.parse import quote, unquote

import cairosvg
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.images import SVGImage
from weasyprint.text.fonts import FontConfiguration

from programs.documents.fetcher import MEDIA_SCHEME, RestrictedFetcher
from programs.documents.sheet import (
    TICK_DAYS,
    ProgramSheet,
    RenderedPdf,
    pain_traffic_light,
    tick_days,
)
from programs.home.dosage import describe_dosage, dose_words, shorthand_dosage

__all__ = [
    "PDF_VARIANT",
    "fetcher_for",
    "illustration_uri",
    "logo_fetcher",
    "qr_svg_uri",
    "release_memory",
    "render_html",
    "render_program",
    "render_program_pdf",
]

logger = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Archival and tagged: level A of PDF/A-3 asks for the structure tree WeasyPrint writes with tags.
PDF_VARIANT = "pdf/a-3a"
PAPER_SIZES = {"A4": "A4", "Letter": "letter"}
STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "print.css"
# About 200 dpi at the printed width (78 mm): sharp enough for line art on
# a home printer, and a third fewer pixels to compress than 300 dpi (docs/pdf.md).
ILLUSTRATION_WIDTH_PX = 620
JPEG_QUALITY = 85


# --- Pictures ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def illustration_uri(svg: str) -> str:
    """A line drawing as a JPEG data: URI, drawn once per distinct drawing per process.

    JPEG because WeasyPrint copies a JPEG into the PDF as it is, while it decodes and encodes a
    PNG again on every render (a fifth of a 20-exercise render's PDF writing). Quality 85 keeps
    the lines and the band colours; the file is about the size of the PNG (docs/pdf.md).
    cairosvg is called without `unsafe`, so it refuses external references and XML entities.
    An illustration it cannot draw is left out rather than failing the whole document.
    """
    try:
        png = cairosvg.svg2png(
            bytestring=svg.encode("utf-8"),
            output_width=ILLUSTRATION_WIDTH_PX,
            background_color="white",
        )
        # In colour (a band's colour is its resistance level), on white: JPEG has no alpha.
        with Image.open(io.BytesIO(png)) as image:
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
    except Exception:  # a broken drawing must not cost the patient their program
        logger.warning("Could not draw an exercise illustration; leaving it out.", exc_info=True)
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@functools.lru_cache(maxsize=256)
def qr_svg_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- Layout -----------------------------------------------------------------------------------

# Reused across renders in a worker process: building the font configuration and parsing the
# stylesheet are a third of a small document's time (docs/performance.md).
_FONT_CONFIG: FontConfiguration | None = None
_STYLES: dict[str, list[CSS]] = {}
# WeasyPrint's image cache, keyed by URL: identical data: URIs are decoded once. Bounded, and
# raster images only: see `_forget_svg_images`.
_IMAGE_CACHE: dict[str, object] = {}
_IMAGE_CACHE_MAX = 600
_FROZEN = False  # release_memory froze the long-lived heap of this process
_LIBC_NAME = ctypes.util.find_library("c")
_LIBC = (
    ctypes.CDLL(_LIBC_NAME)
    if _LIBC_NAME and hasattr(ctypes.CDLL(_LIBC_NAME), "malloc_trim")
    else None
)


def _font_config() -> FontConfiguration:
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def stylesheet_texts(paper_size: str, stylesheet: Path = STYLESHEET) -> list[str]:
    """The CSS of a printed document: its stylesheet file, the paper size and, for the handout,
    the tick grid (`tick_grid_css`). `bench/pdf_bench.py` gives bare WeasyPrint the same."""
    size = PAPER_SIZES.get(paper_size, "A4")
    texts = [stylesheet.read_text(encoding="utf-8"), f"@page {{ size: {size}; }}"]
    if stylesheet == STYLESHEET:
        texts.append(tick_grid_css())
    return texts


def _stylesheets(paper_size: str, stylesheet: Path = STYLESHEET) -> list[CSS]:
    key = f"{stylesheet.name}:{PAPER_SIZES.get(paper_size, 'A4')}"
    if key not in _STYLES:
        base_url = stylesheet.as_uri()
        _STYLES[key] = [
            CSS(
                string=text,
                base_url=base_url,
                url_fetcher=RestrictedFetcher(),
                font_config=_font_config(),
            )
            for text in stylesheet_texts(paper_size, stylesheet)
        ]
    return _STYLES[key]


# --- The summary sheet's tick grid ------------------------------------------------------------
# Two weeks of empty boxes per exercise are the background of one cell per row, three layers of
# one-shape vector tiles (a box and a day rule repeated across, the rule before the second week
# once), instead of a cell and an inline box per day, which were half of a 20-exercise render's
# time (docs/performance.md). The boxes stay vector graphics, so `pdfimages` lists the drawings
# only; the weekday initials above them stay text.
# (selector prefix, column width, box side with its 1 pt border), in millimetres.
TICK_GRIDS = (("", 6.1, 4.7), (".large-print ", 6.7, 5.5))
_RULE = 0.75 * 25.4 / 72  # the table's 0.75 pt rules, #8994a2
_STROKE = 25.4 / 72  # the box's 1 pt border
_WEEK_RULE = 2 * 25.4 / 72  # the 2 pt rule before the second week, #1d2b3a


def _svg_uri(width: float, height: float, shape: str) -> str:
    # Stretched to the cell's height where the layer's height is 100% (the rules).
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.3f} {height:.3f}" '
        f'preserveAspectRatio="none">{shape}</svg>'
    )
    return "data:image/svg+xml," + quote(svg)


@functools.cache
def tick_grid_css(days: int = TICK_DAYS) -> str:
    rules = []
    for prefix, column, box in TICK_GRIDS:
        inset = (column - box + _STROKE) / 2
        side = box - _STROKE
        box_tile = _svg_uri(
            column,
            box,
            f'<rect x="{inset:.3f}" y="{_STROKE / 2:.3f}" width="{side:.3f}" height="{side:.3f}" '
            f'rx="0.45" fill="none" stroke="#1d2b3a" stroke-width="{_STROKE:.3f}"/>',
        )
        rule_x = column - _RULE / 2
        day_rule = _svg_uri(
            column, 1, f'<path d="M{rule_x:.3f} 0V1" stroke="#8994a2" stroke-width="{_RULE:.3f}"/>'
        )
        week_x = column * 7
        week_rule = _svg_uri(
            week_x + _WEEK_RULE / 2,
            1,
            f'<path d="M{week_x:.3f} 0V1" stroke="#1d2b3a" stroke-width="{_WEEK_RULE:.3f}"/>',
        )
        rules.append(
            f"{prefix}.summary-table col.c-day {{ width: {column}mm; }}\n"
            f"{prefix}.summary-table td.boxes {{ background:"
            f' url("{box_tile}") 0 50% / {column}mm {box}mm repeat-x,'
            f' url("{week_rule}") 0 0 / {week_x + _WEEK_RULE / 2:.3f}mm 100% no-repeat,'
            f' url("{day_rule}") 0 0 / {column}mm 100% repeat-x; }}\n'
        )
    return "".join(rules)


def _context(sheet: ProgramSheet) -> dict[str, object]:
    cards = []
    for card in sheet.exercises:
        words = dose_words(card.dosage)
        cards.append(
            {
                "card": card,
                "dosage": describe_dosage(card.dosage),
                "amount": words.amount_and_times,
                "days": words.days.capitalize() if words.days else "Every day",
                "shorthand": shorthand_dosage(card.dosage) if sheet.therapist_copy else "",
                "picture": illustration_uri(card.illustration_svg)
                if card.illustration_svg.strip()
                else "",
            }
        )
    return {
        "sheet": sheet,
        "cards": cards,
        "tick_days": tick_days(sheet.issued_on),
        "lights": pain_traffic_light(sheet.pain_rules),
        "qr": qr_svg_uri(sheet.portal_url) if sheet.portal_url else "",
    }


def fetcher_for(sheet: ProgramSheet) -> RestrictedFetcher:
    """The fetcher of one render: static files, and of the uploads only this sheet's own assets
    (the clinic's logo; exercise drawings are inlined as data: URIs)."""
    return logo_fetcher(sheet.clinic.logo_url)


def logo_fetcher(logo: str) -> RestrictedFetcher:
    """Static files and, of the uploads, only the clinic's logo (a media: URL, or empty)."""
    prefix = MEDIA_SCHEME + ":"
    return RestrictedFetcher(
        media_names=[unquote(logo[len(prefix) :])] if logo.startswith(prefix) else []
    )


def render_program(sheet: ProgramSheet, *, fetcher: RestrictedFetcher | None = None) -> RenderedPdf:
    """Lay out the sheet and write a tagged PDF/A; also says how many pages it has."""
    html = render_to_string("pdf/program.html", _context(sheet))
    return render_html(
        html, paper_size=sheet.clinic.paper_size, fetcher=fetcher or fetcher_for(sheet)
    )


def render_html(
    html: str,
    *,
    paper_size: str,
    fetcher: RestrictedFetcher,
    stylesheet: Path = STYLESHEET,
) -> RenderedPdf:
    """Any printed document of ours (the handout, a clinical note): HTML in, tagged PDF/A out,
    fetching only through `fetcher`."""
    if len(_IMAGE_CACHE) > _IMAGE_CACHE_MAX:
        _IMAGE_CACHE.clear()
    # A stored file (a clinic's logo) can be replaced under the same name: never reuse it.
    for url in [url for url in _IMAGE_CACHE if url.startswith(MEDIA_SCHEME + ":")]:
        del _IMAGE_CACHE[url]
    try:
        document = HTML(
            string=html,
            base_url=Path(settings.STATICFILES_DIRS[0]).as_uri() + "/",
            url_fetcher=fetcher,
        ).render(
            font_config=_font_config(),
            stylesheets=_stylesheets(paper_size, stylesheet),
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            cache=_IMAGE_CACHE,
        )
        data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, uncompressed_pdf=False)
    finally:
        _forget_svg_images()
    return RenderedPdf(data=data, page_count=len(document.pages))


def _forget_svg_images() -> None:
    """Drop the SVG images (the QR code, the tick grid's tiles) from the shared image cache.

    WeasyPrint's SVG image keeps the layout context of the render that loaded it, and with it
    that whole document's computed styles (about 10 MB for 20 exercises): cached, it kept one
    finished document alive per distinct QR code, that is per patient. They are small and parse
    again in a few milliseconds; raster drawings stay cached (docs/performance.md).
    """
    for url in [url for url, image in _IMAGE_CACHE.items() if isinstance(image, SVGImage)]:
        del _IMAGE_CACHE[url]


def release_memory() -> None:
    """Hand memory freed by a render back to the OS (workers call this between documents).

    Layout leaves many small freed blocks in glibc's heap; without trimming, a worker's peak
    resident size creeps up by a few MB per document (docs/performance.md).

    The first call also freezes what survived its collection (`gc.freeze`): Django, WeasyPrint,
    the fonts and caches, some 190,000 long-lived objects that every later full collection
    would walk again for nothing (0.17 s of each document's 0.18 s here, 0.05 s frozen). Only
    objects alive at that one moment are exempt from the cycle collector, so whatever they
    leave unreachable later is at most one request's or task's worth, once per process.
    """
    global _FROZEN
    gc.collect()
    if not _FROZEN:
        gc.freeze()
        _FROZEN = True
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def render_program_pdf(sheet: ProgramSheet, *, fetcher: RestrictedFetcher | None = None) -> bytes:
    return render_program(sheet, fetcher=fetcher).data
