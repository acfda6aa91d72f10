"""The printed home program: plain data in, PDF bytes out (no database access here).

`ProgramSheet` is everything the page shows, already decided: `programs.pdf_source` builds one
from a published `ProgramVersion`. `render_program_pdf(sheet)` lays it out with WeasyPrint from a
Django template and our print stylesheet, fetching nothing outside the allow-list of
`programs.pdf_fetch`. Illustrations are rasterised once per distinct drawing to a 300 dpi PNG
(see docs/pdf.md for why), the QR code is drawn locally as SVG.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import functools
import gc
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import cairosvg
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from programs.pdf_fetch import MEDIA_SCHEME, RestrictedFetcher

__all__ = [
    "PDF_VARIANT",
    "ClinicHeading",
    "Dosage",
    "ExerciseCard",
    "GaitCueCard",
    "HomeModality",
    "PainLight",
    "PainRules",
    "ProgramSheet",
    "RenderedPdf",
    "RunPlanTable",
    "RunStageRow",
    "describe_dosage",
    "illustration_png_uri",
    "pain_traffic_light",
    "qr_svg_uri",
    "release_memory",
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
# About 300 dpi at the printed width (52 mm): sharp line art without a heavy file.
ILLUSTRATION_WIDTH_PX = 620


# --- What the sheet shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Dosage:
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    rest_seconds: int | None = None
    load: str = ""
    tempo: str = ""
    side: str = ""  # each / left / right / both
    times_per_day: int | None = None
    days_per_week: int | None = None


@dataclass(frozen=True)
class ExerciseCard:
    name: str
    category: str = ""
    instructions: Sequence[str] = ()
    cues: Sequence[str] = ()
    illustration_svg: str = ""
    dosage: Dosage = field(default_factory=Dosage)
    patient_note: str = ""


@dataclass(frozen=True)
class HomeModality:
    name: str
    instructions: str
    dosage: str = ""
    patient_note: str = ""
    precautions: Sequence[str] = ()


@dataclass(frozen=True)
class RunStageRow:
    number: int
    session: str  # "Run 1 min, walk 4 min, 6 times"
    per_week: str  # "3 sessions a week, a rest day between"
    effort: str  # "Easy (RPE 3 of 10)"
    is_current: bool = False


@dataclass(frozen=True)
class RunPlanTable:
    name: str
    stages: Sequence[RunStageRow]  # the current stage first, then the next ones
    note: str = ""


@dataclass(frozen=True)
class PainRules:
    """Pain out of 10. Green up to `green_max`, amber up to `amber_max`, red above."""

    green_max: int = 2
    amber_max: int = 5


@dataclass(frozen=True)
class PainLight:
    colour: str  # green / amber / red (also the CSS class)
    label: str
    pain: str
    advice: str


@dataclass(frozen=True)
class GaitCueCard:
    target_spm: int
    baseline_spm: int | None = None
    cues: Sequence[str] = ()
    note: str = ""


@dataclass(frozen=True)
class ClinicHeading:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_url: str = ""  # a media: URL read through the storage API (pdf_fetch.media_url), or empty
    paper_size: str = "A4"


@dataclass(frozen=True)
class ProgramSheet:
    clinic: ClinicHeading
    patient_name: str
    therapist_name: str
    issued_on: date
    title: str = "Your home exercise program"
    intro: str = ""  # the therapist's note to the patient
    therapist_contact: str = ""
    condition: str = ""
    version_label: str = ""
    exercises: Sequence[ExerciseCard] = ()
    modalities: Sequence[HomeModality] = ()
    run_plan: RunPlanTable | None = None
    pain_rules: PainRules = field(default_factory=PainRules)
    gait: GaitCueCard | None = None
    portal_url: str = ""
    language: str = "en"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int


# --- Words ------------------------------------------------------------------------------------

_TIMES = {1: "once", 2: "twice"}
_SIDES = {"each": "each side", "left": "left side", "right": "right side"}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return _count(seconds // 60, "minute", "minutes")
    return _count(seconds, "second", "seconds")


def _frequency(times_per_day: int | None, days_per_week: int | None) -> list[str]:
    parts = []
    if times_per_day:
        parts.append(f"{_TIMES.get(times_per_day, f'{times_per_day} times')} a day")
    if days_per_week:
        if days_per_week >= 7:
            parts.append("every day")
        elif days_per_week == 1:
            parts.append("once a week")
        else:
            parts.append(f"{days_per_week} days a week")
    return parts


def describe_dosage(dosage: Dosage) -> str:
    """The dose as a patient would say it: "3 sets of 15, twice a day, every day"."""
    sets, reps, hold = dosage.sets, dosage.reps, dosage.hold_seconds
    if reps and sets:
        core = f"{_count(sets, 'set', 'sets')} of {reps}"
    elif reps:
        core = _count(reps, "repetition", "repetitions")
    elif hold and sets and sets > 1:
        core = f"{sets} holds of {_duration(hold)}"
    elif hold:
        core = f"Hold for {_duration(hold)}"
    elif sets:
        core = _count(sets, "set", "sets")
    else:
        core = ""
    if core and reps and hold:
        core += f", holding each for {_duration(hold)}"
    if core and dosage.side in _SIDES:
        core += f" ({_SIDES[dosage.side]})"
    if core and dosage.load.strip():
        core += f" with {dosage.load.strip()}"
    parts = [core] if core else []
    parts += _frequency(dosage.times_per_day, dosage.days_per_week)
    text = ", ".join(parts)
    extras = []
    if dosage.rest_seconds:
        extras.append(f"rest {_duration(dosage.rest_seconds)} between sets")
    if dosage.tempo.strip():
        extras.append(f"tempo {dosage.tempo.strip()}")
    if extras:
        text = f"{text}; {'; '.join(extras)}" if text else "; ".join(extras).capitalize()
    return text[:1].upper() + text[1:] if text else "As shown by your therapist"


def pain_traffic_light(rules: PainRules) -> list[PainLight]:
    """The three lights of the pain-monitoring rule, in words a runner can act on."""
    green, amber = rules.green_max, rules.amber_max
    return [
        PainLight(
            "green",
            "Go",
            f"0 to {green} out of 10",
            "Carry on as planned.",
        ),
        PainLight(
            "amber",
            "Caution",
            f"{green + 1} to {amber} out of 10",
            "Acceptable if it has settled by the next morning. Stay at this level; do not "
            "progress.",
        ),
        PainLight(
            "red",
            "Stop",
            f"more than {amber} out of 10",
            "Or pain that is worse the next morning, or that makes you limp: stop this "
            "exercise and contact the clinic.",
        ),
    ]


# --- Pictures ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def illustration_png_uri(svg: str) -> str:
    """A line drawing as a 300 dpi PNG data: URI, drawn once per distinct drawing per process.

    cairosvg is called without `unsafe`, so it refuses external references and XML entities.
    An illustration it cannot draw is left out rather than failing the whole document.
    """
    try:
        png = cairosvg.svg2png(
            bytestring=svg.encode("utf-8"),
            output_width=ILLUSTRATION_WIDTH_PX,
            background_color="white",
        )
        # Grey levels, no alpha: a third of the pixels for WeasyPrint to recompress on every
        # render, no soft mask, and home printers print black and white anyway.
        with Image.open(io.BytesIO(png)) as image:
            buffer = io.BytesIO()
            image.convert("L").save(buffer, format="PNG")
        png = buffer.getvalue()
    except Exception:  # a broken drawing must not cost the patient their program
        logger.warning("Could not draw an exercise illustration; leaving it out.", exc_info=True)
        return ""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


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
# WeasyPrint's image cache, keyed by URL: identical data: URIs are decoded once. Bounded.
_IMAGE_CACHE: dict[str, object] = {}
_IMAGE_CACHE_MAX = 600
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


def _stylesheets(paper_size: str) -> list[CSS]:
    size = PAPER_SIZES.get(paper_size, "A4")
    if size not in _STYLES:
        fetcher = RestrictedFetcher()
        _STYLES[size] = [
            CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=_font_config()),
            CSS(string=f"@page {{ size: {size}; }}", font_config=_font_config()),
        ]
    return _STYLES[size]


def _context(sheet: ProgramSheet) -> dict[str, object]:
    cards = [
        {
            "card": card,
            "dosage": describe_dosage(card.dosage),
            "picture": illustration_png_uri(card.illustration_svg)
            if card.illustration_svg.strip()
            else "",
        }
        for card in sheet.exercises
    ]
    return {
        "sheet": sheet,
        "cards": cards,
        "lights": pain_traffic_light(sheet.pain_rules),
        "qr": qr_svg_uri(sheet.portal_url) if sheet.portal_url else "",
    }


def render_program(sheet: ProgramSheet, *, fetcher: RestrictedFetcher | None = None) -> RenderedPdf:
    """Lay out the sheet and write a tagged PDF/A; also says how many pages it has."""
    html = render_to_string("pdf/program.html", _context(sheet))
    if len(_IMAGE_CACHE) > _IMAGE_CACHE_MAX:
        _IMAGE_CACHE.clear()
    # A stored file (a clinic's logo) can be replaced under the same name: never reuse it.
    for url in [url for url in _IMAGE_CACHE if url.startswith(MEDIA_SCHEME + ":")]:
        del _IMAGE_CACHE[url]
    document = HTML(
        string=html,
        base_url=Path(settings.STATICFILES_DIRS[0]).as_uri() + "/",
        url_fetcher=fetcher or RestrictedFetcher(),
    ).render(
        font_config=_font_config(),
        stylesheets=_stylesheets(sheet.clinic.paper_size),
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        cache=_IMAGE_CACHE,
    )
    data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, uncompressed_pdf=False)
    return RenderedPdf(data=data, page_count=len(document.pages))


def release_memory() -> None:
    """Hand memory freed by a render back to the OS (workers call this between documents).

    Layout leaves many small freed blocks in glibc's heap; without trimming, a worker's peak
    resident size creeps up by a few MB per document (docs/performance.md).
    """
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def render_program_pdf(sheet: ProgramSheet, *, fetcher: RestrictedFetcher | None = None) -> bytes:
    return render_program(sheet, fetcher=fetcher).data
