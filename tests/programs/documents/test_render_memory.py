"""What a worker keeps between documents: its caches, never a finished document's layout."""

import gc

from weasyprint.layout import LayoutContext

from programs.documents.pdf import render_program
from tests.programs.documents.sample import sample_sheet


def _layouts_alive() -> int:
    gc.collect()
    # type(), not isinstance(): a dead weakref.proxy among the objects (the whole suite leaves
    # some) raises ReferenceError when isinstance() asks it for its class.
    return sum(type(thing) is LayoutContext for thing in gc.get_objects())


def test_no_layout_outlives_its_render_whatever_the_qr_code() -> None:
    for patient in ("p1", "p2", "p3"):
        # Each patient's handout has its own QR code (its own SVG image).
        render_program(sample_sheet(2, portal_url=f"https://clinic.example/portal/{patient}/"))

    assert _layouts_alive() == 0
