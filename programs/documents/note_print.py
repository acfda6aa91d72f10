"""A clinical note on paper: what the printed note shows (`NotePrintout`, from a `Note`), and its
PDF through the handout's WeasyPrint set-up (`programs.documents.pdf.render_html`).

The note is printed as the note page shows it (`assessments.summaries.note_sections`), with the
clinic's letterhead, the patient's identifiers, the signature line (the signer's name and
credentials, the time in the clinic's zone), the addenda after the note, and the outcome charts
(`assessments.charts`, our own SVG). A draft carries a DRAFT watermark on every page.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import Addendum, Note, OutcomeResponse, SignerCredentials, mcid_table
from assessments.summaries import Section, Trend, note_sections, outcome_trends
from programs.documents.fetcher import media_url
from programs.documents.pdf import logo_fetcher, render_html
from programs.documents.sheet import ClinicHeading, RenderedPdf

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic, User

__all__ = [
    "NOTE_STYLESHEET",
    "NotePrintout",
    "PrintedAddendum",
    "printout_of",
    "render_note",
]

NOTE_STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "note_print.css"
# The screen's chart colours (static/css/assessments.css), inside each SVG: a picture in a PDF
# does not see the page's stylesheet.
# The charts carry their own colours and sizes (assessments/charts.py); the printout names only
# the font, one the PDF renderer has.
CHART_STYLE = "<style>text{font-family:'DejaVu Sans',sans-serif}</style>"
CHANGE_KINDS = (Note.Kind.PROGRESS, Note.Kind.REEVAL, Note.Kind.DISCHARGE)


@dataclass(frozen=True)
class PrintedAddendum:
    kind: str
    author: str
    written_at: str  # in the clinic's zone, with the zone's name
    reason: str
    text: str


@dataclass(frozen=True)
class NotePrintout:
    clinic: ClinicHeading
    patient_name: str
    date_of_birth: date
    mrn: str
    episode: str
    note_type: str
    visit_date: date
    author: str
    sections: Sequence[Section]
    is_draft: bool
    signer: str = ""  # "Terry Therapist, PT, DPT"
    signed_at: str = ""
    content_hash: str = ""
    scores: Sequence[str] = ()  # "LEFS: total 50"
    changes: Sequence[Trend] = ()
    charts: Sequence[tuple[str, str]] = ()  # (label, data: URI of the SVG)
    addenda: Sequence[PrintedAddendum] = field(default_factory=tuple)


def _local(moment: datetime, clinic: Clinic) -> str:
    local = timezone.localtime(moment, clinic.zone)
    return f"{local:%d %B %Y, %H:%M} {local.tzname()} ({clinic.timezone})"


def _with_credentials(user: User) -> str:
    credentials = SignerCredentials.objects.filter(user=user).values_list("credentials", flat=True)
    return ", ".join([user.full_name, *credentials])


def _chart_uri(svg: str) -> str:
    styled = svg.replace(">", ">" + CHART_STYLE, 1)
    return "data:image/svg+xml;base64," + base64.b64encode(styled.encode("utf-8")).decode("ascii")


def _scores(responses: Sequence[OutcomeResponse]) -> list[str]:
    lines = []
    for response in responses:
        parts = [
            f"{code} {result['score']}"
            if result.get("score") is not None
            else f"{code} not scored ({result.get('reason', '')})"
            for code, result in response.scores.items()
        ]
        lines.append(f"{response.get_instrument_display()}: {'; '.join(parts)}")
    return lines


def printout_of(note: Note) -> NotePrintout:
    """Everything the printed note shows, read once. `note` is any note, signed or draft."""
    note = (
        Note.objects.select_related("episode__patient__clinic", "author", "signed_by")
        .prefetch_related(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
        .get(pk=note.pk)
    )
    patient = note.episode.patient
    clinic = patient.clinic
    own = [r for r in note.outcome_responses.order_by("id") if not r.is_struck]
    upto = OutcomeResponse.objects.filter(
        episode=note.episode, taken_on__lte=note.visit_date
    ).select_related("note")
    trends = outcome_trends(upto, mcid_table(clinic.pk), today=clinic.today(), reviewing=note.pk)
    instruments = {r.instrument for r in own}
    shown = [
        t for t in trends if t.points and (t.instrument in instruments or note.kind in CHANGE_KINDS)
    ]
    return NotePrintout(
        clinic=ClinicHeading(
            name=clinic.name,
            address=clinic.address,
            phone=clinic.phone,
            email=clinic.email,
            website=clinic.website,
            logo_url=media_url(str(clinic.logo.name)) if clinic.logo else "",
            paper_size=clinic.paper_size,
        ),
        patient_name=patient.full_name,
        date_of_birth=patient.date_of_birth,
        mrn=patient.mrn,
        episode=note.episode.label,
        note_type=note.get_kind_display(),
        visit_date=note.visit_date,
        author=note.author.full_name,
        sections=note_sections(note),
        is_draft=not note.is_signed,
        signer=_with_credentials(note.signed_by) if note.signed_by else "",
        signed_at=_local(note.signed_at, clinic) if note.signed_at else "",
        content_hash=note.content_hash,
        scores=_scores(own),
        changes=[t for t in trends if t.baseline is not None] if note.kind in CHANGE_KINDS else [],
        charts=[(t.label, _chart_uri(t.svg)) for t in shown],
        addenda=[
            PrintedAddendum(
                kind=addendum.get_kind_display(),
                author=_with_credentials(addendum.author),
                written_at=_local(addendum.created_at, clinic),
                reason=addendum.reason,
                text=addendum.text,
            )
            for addendum in note.addenda.all()
        ],
    )


def render_note(printout: NotePrintout) -> RenderedPdf:
    """The note as a tagged PDF/A; only the clinic's own logo may be read from storage."""
    html = render_to_string("pdf/note.html", {"note": printout, "sheet": printout})
    return render_html(
        html,
        paper_size=printout.clinic.paper_size,
        fetcher=logo_fetcher(printout.clinic.logo_url),
        stylesheet=NOTE_STYLESHEET,
    )
