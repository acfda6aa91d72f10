"""The return-to-run table, pain rules and gait cue card come from the patient's plans, and a
plan change renders the current program's PDF again."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from programs.documents.compose import sheet_from_version
from programs.documents.models import ProgramDocument
from programs.documents.pdf import render_program
from programs.documents.rendering import generate_program_document
from programs.running import gait_services
from tests.builders import make_plan
from tests.programs.documents.poppler import pdf_text

pytestmark = pytest.mark.django_db
State = ProgramDocument.State


def test_sheet_shows_current_and_next_run_stages_pain_rules_and_gait_card(
    program: Any, therapist: Any, tmp_path: Path
) -> None:
    plan = make_plan(program.episode, therapist)
    gait_services.create_gait_prescription(
        episode=program.episode,
        by=therapist,
        baseline_cadence=160,
        increase_pct=Decimal("7.5"),
        cue_type="metronome",
        cues="Quick, light steps\nLand under your hips",
    )

    sheet = sheet_from_version(program.versions.get())
    text = " ".join(pdf_text(render_program(sheet).data, tmp_path).split())

    assert sheet.run_plan is not None
    assert sheet.run_plan.stages[0].is_current
    assert sheet.run_plan.stages[0].number == plan.current_stage
    assert len(sheet.run_plan.stages) == 4
    assert f"Your return to running: {plan.name}" in text
    assert "(now)" in text
    assert "run 1 min, walk 5 min" in text
    assert f"during and right after the run 0 to {plan.pain_during_max} out of 10" in text
    assert f"more than {plan.pain_during_max} out of 10" in text
    assert "172 steps per minute" in text
    assert "Up from 160" in text
    assert "Land under your hips" in text
    # The runner's words for the feedback, not the model's label.
    assert "Run to a metronome app set to 172 beats a minute: one step on each beat." in text
    assert "Feedback:" not in text
    assert "(beats per minute)" not in text


def test_without_plans_the_optional_sections_are_left_out(program: Any) -> None:
    sheet = sheet_from_version(program.versions.get())

    assert (sheet.run_plan, sheet.gait) == (None, None)


def test_a_new_run_plan_renders_the_ready_pdf_again(
    program: Any,
    therapist: Any,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token="first")
    document.refresh_from_db()
    first_file, first_checksum = document.file.name, document.checksum

    with django_capture_on_commit_callbacks(execute=True):
        make_plan(program.episode, therapist)

    document.refresh_from_db()
    assert document.state == State.READY
    assert document.checksum != first_checksum
    assert document.file.name != first_file
    assert not document.file.storage.exists(first_file)
    assert ProgramDocument.objects.filter(version__program=program).count() == 1


def test_clinic_logo_from_media_is_fetched_through_the_allow_list(
    program: Any, tmp_path: Path
) -> None:
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from programs.documents.pdf import fetcher_for
    from tests.programs.documents.poppler import image_list

    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "navy").save(buffer, format="PNG")
    clinic = program.episode.patient.clinic
    clinic.logo.save("logo.png", ContentFile(buffer.getvalue()))
    sheet = sheet_from_version(program.versions.get())
    fetcher = fetcher_for(sheet)

    data = render_program(sheet, fetcher=fetcher).data

    assert fetcher.refused == []
    assert any(a.url.endswith(".png") and a.url.startswith("media:") for a in fetcher.attempts)
    assert len(image_list(data, tmp_path)) == 3 + 1  # three drawings and the logo
