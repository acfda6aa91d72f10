"""The handout's run section: its traffic light is the plan's own, and its stop line names the
clinic and its real phone number, as the portal does."""

from pathlib import Path
from typing import Any

import pytest

from programs.documents.compose import sheet_from_version
from programs.documents.pdf import render_program
from tests.builders import make_plan, make_program
from tests.programs.documents.poppler import pdf_text

pytestmark = pytest.mark.django_db


def test_the_pdf_says_stop_and_contact_the_clinic_by_its_number_with_the_plans_limits(
    episode: Any, therapist: Any, tmp_path: Path
) -> None:
    clinic = episode.patient.clinic
    clinic.phone = "(608) 555-0142"
    clinic.save()
    program = make_program(episode, therapist, items=1)
    make_plan(episode, therapist, pain_during_max=3, pain_after_max=3, morning_pain_max=1)
    sheet = sheet_from_version(program.versions.get())
    text = " ".join(pdf_text(render_program(sheet).data, tmp_path).split())
    assert f"Stop running and contact {clinic.name}: (608) 555-0142" in text
    assert "during and right after the run 0 to 3 out of 10" in text
    assert "next morning 0 to 1 out of 10" in text
    assert "3 to 3" not in text
