"""The one place our server-drawn charts become markup a template prints as it is.

Every chart (score lines, sparklines, bars, the body chart, adherence and run charts) is built
from numbers we format and text passed through `html.escape`, then handed to `drawn`. Callers and
templates never mark chart markup safe themselves, so a chart can neither be printed as text nor
let a patient's words through unescaped.
"""

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe


def drawn(parts: Iterable[str]) -> SafeString:
    """The joined SVG `parts`: each a literal, a number we formatted, or text through escape()."""
    return mark_safe("".join(parts))
