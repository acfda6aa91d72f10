"""Every change to what the handout prints renders the current PDF again, exactly once, through
an explicit `refresh_for_episode` call at the end of the service (no signals)."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from programs.documents import pdf
from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from programs.home.services import add_program_item, publish_home_program
from programs.running import gait_services
from programs.running import services as running
from programs.running.models import ReturnToRunPlan
from programs.running.protocol_services import STAGE_FIELDS
from tests.builders import make_plan
from tests.factories import ProgramExerciseFactory

pytestmark = pytest.mark.django_db
State = ProgramDocument.State


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every sheet WeasyPrint is asked to render, in order."""
    seen: list[Any] = []
    real = pdf.render_program

    def counting(sheet: Any, **kwargs: Any) -> Any:
        seen.append(sheet)
        return real(sheet, **kwargs)

    monkeypatch.setattr(pdf, "render_program", counting)
    return seen


@pytest.fixture
def ready(program: Any) -> ProgramDocument:
    """The program's PDF, rendered once before the change under test."""
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token="before")
    document.refresh_from_db()
    assert document.state == State.READY
    return document


def _after(
    change: Callable[[], object], document: ProgramDocument, capture: Any, renders: list[Any]
) -> tuple[ProgramDocument, list[Any]]:
    renders.clear()
    with capture(execute=True):
        change()
    return ProgramDocument.objects.get(pk=document.pk), list(renders)


def _stages(plan: ReturnToRunPlan) -> list[dict[str, Any]]:
    return [{name: getattr(stage, name) for name in STAGE_FIELDS} for stage in plan.stages.all()]


def test_customising_a_plans_stages_renders_the_pdf_once_with_the_new_stages(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    plan = make_plan(program.episode, therapist)
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token="before")
    before = ProgramDocument.objects.get(pk=document.pk).checksum
    stages = _stages(plan)
    stages[0]["run_minutes"] = Decimal(3)

    after, seen = _after(
        lambda: running.customise_plan(plan=plan, by=therapist, limits={}, stages=stages),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert "(run 3 min, walk" in seen[0].run_plan.stages[0].session
    assert after.state == State.READY
    assert after.checksum != before


def test_closing_a_plan_as_stopped_renders_the_pdf_once_without_the_run_table(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    plan = make_plan(program.episode, therapist)
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token="before")
    before = ProgramDocument.objects.get(pk=document.pk).checksum

    after, seen = _after(
        lambda: running.close_plan(plan=plan, by=therapist, status="stopped", note="Sore"),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].run_plan is None
    assert after.checksum != before


def test_creating_a_plan_renders_the_pdf_once(
    program: Any, therapist: Any, ready: ProgramDocument, eager_celery: None,
    django_capture_on_commit_callbacks: Any, renders: list[Any],
) -> None:  # fmt: skip
    after, seen = _after(
        lambda: make_plan(program.episode, therapist),
        ready, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].run_plan is not None
    assert after.checksum != ready.checksum


def test_a_therapists_stage_override_renders_the_pdf_once(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    plan = make_plan(program.episode, therapist)
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token="before")

    after, seen = _after(
        lambda: running.override_stage(plan=plan, by=therapist, to_stage=3, note="Doing well"),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].run_plan.stages[0].number == 3
    assert after.state == State.READY


def test_a_gait_prescription_renders_the_pdf_once_with_its_cue_card(
    program: Any, therapist: Any, ready: ProgramDocument, eager_celery: None,
    django_capture_on_commit_callbacks: Any, renders: list[Any],
) -> None:  # fmt: skip
    after, seen = _after(
        lambda: gait_services.create_gait_prescription(
            episode=program.episode, by=therapist, baseline_cadence=160,
            increase_pct=Decimal("5"), cue_type="metronome",
        ),
        ready, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].gait.target_spm == 168
    assert after.checksum != ready.checksum


def test_publishing_a_new_version_renders_its_pdf_once(
    program: Any, therapist: Any, ready: ProgramDocument, eager_celery: None,
    django_capture_on_commit_callbacks: Any, renders: list[Any],
) -> None:  # fmt: skip
    renders.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_program_item(program=program, exercise=ProgramExerciseFactory(), by=therapist)
        version = publish_home_program(program=program, by=therapist)

    assert len(renders) == 1
    assert len(renders[0].exercises) == 4
    assert ProgramDocument.objects.get(version=version).state == State.READY


def test_editing_a_draft_prints_nothing_until_it_is_published(
    program: Any, therapist: Any, ready: ProgramDocument, eager_celery: None,
    django_capture_on_commit_callbacks: Any, renders: list[Any],
) -> None:  # fmt: skip
    # The PDF prints the published snapshot, so changing the draft must not render anything.
    after, seen = _after(
        lambda: add_program_item(program=program, exercise=ProgramExerciseFactory(), by=therapist),
        ready, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert seen == []
    assert after.checksum == ready.checksum
