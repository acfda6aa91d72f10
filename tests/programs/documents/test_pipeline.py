"""Publishing queues one PDF; the task claims, renders, retries transient errors and records
failures; duplicates never render twice."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from programs import tasks
from programs.documents import pdf
from programs.documents.models import ProgramDocument
from programs.documents.rendering import claim_document, generate_program_document
from programs.documents.services import request_program_document
from programs.home.services import publish_home_program
from rehab_clinic.celery import app as celery_app
from tests.programs.documents.poppler import pdf_text

pytestmark = pytest.mark.django_db
State = ProgramDocument.State


def _document(program: Any) -> ProgramDocument:
    return ProgramDocument.objects.get(version=program.versions.get())


def test_publishing_queues_one_document_that_renders_after_commit(
    episode: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.builders import make_program

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        program = make_program(episode, therapist, items=2)

    document = _document(program)
    assert len(callbacks) >= 1
    assert document.state == State.READY
    assert document.attempts == 1
    assert document.page_count
    assert document.page_count >= 2
    assert document.size_bytes == document.file.size
    assert len(document.checksum) == 64
    assert document.requested_by == therapist


def test_publishing_enqueues_nothing_before_commit(program: Any) -> None:
    # Without a commit the on_commit hook never fired: the row waits, nothing rendered.
    assert _document(program).state == State.QUEUED


def test_asking_twice_for_the_same_version_gives_the_same_row(program: Any) -> None:
    version = program.versions.get()

    first = request_program_document(version=version)
    second = request_program_document(version=version)

    assert first.pk == second.pk
    assert ProgramDocument.objects.filter(version=version).count() == 1


def test_republishing_an_unchanged_program_makes_no_second_document(
    program: Any, therapist: Any
) -> None:
    publish_home_program(program=program, by=therapist)

    assert ProgramDocument.objects.filter(version__program=program).count() == 1


def test_a_duplicate_task_does_not_render_again(program: Any) -> None:
    document = _document(program)

    first = generate_program_document(document.pk, token="task-a")
    ready = ProgramDocument.objects.get(pk=document.pk)
    second = generate_program_document(document.pk, token="task-b")

    assert (first.rendered, second.rendered) == (True, False)
    after = ProgramDocument.objects.get(pk=document.pk)
    assert (after.file.name, after.checksum, after.attempts) == (
        ready.file.name,
        ready.checksum,
        1,
    )
    files = list((Path(settings.MEDIA_ROOT) / "program-documents").iterdir())
    assert len(files) == 1


def test_claim_is_exclusive_but_a_redelivered_message_may_take_its_own_back(
    program: Any,
) -> None:
    document = _document(program)

    assert claim_document(document.pk, token="task-a")
    assert not claim_document(document.pk, token="task-b")
    assert claim_document(document.pk, token="task-a")  # same message, worker was killed


def test_a_claim_older_than_the_hard_limit_is_dead_and_can_be_taken(program: Any) -> None:
    document = _document(program)
    claim_document(document.pk, token="task-a")
    ProgramDocument.objects.filter(pk=document.pk).update(
        claimed_at=document.requested_at.replace(year=2000)
    )

    assert claim_document(document.pk, token="task-b")


def test_transient_errors_are_retried_then_recorded_as_a_failure(
    program: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document(program)
    calls = []

    def broken_disk(sheet: Any) -> Any:
        calls.append(1)
        raise OSError("No space left on device")

    monkeypatch.setattr(pdf, "render_program", broken_disk)

    tasks.generate_program_pdf.apply(args=[document.pk])

    document.refresh_from_db()
    assert len(calls) == tasks.MAX_RETRIES + 1
    assert document.state == State.FAILED
    assert document.attempts == tasks.MAX_RETRIES + 1
    assert "No space left on device" in document.error


def test_a_bug_fails_at_once_without_retries(program: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    document = _document(program)
    monkeypatch.setattr(pdf, "render_program", lambda sheet: (_ for _ in ()).throw(ValueError("x")))

    tasks.generate_program_pdf.apply(args=[document.pk])

    document.refresh_from_db()
    assert (document.state, document.attempts) == (State.FAILED, 1)
    assert "ValueError" in document.error


def test_retry_delays_back_off_and_are_capped() -> None:
    assert [tasks.retry_delay(n) for n in range(5)] == [10, 30, 90, 270, 300]


def test_task_options_follow_the_reliability_rules() -> None:
    task = tasks.generate_program_pdf
    conf = celery_app.conf

    assert task.acks_late
    assert task.reject_on_worker_lost
    assert task.serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.worker_prefetch_multiplier == 1
    assert task.max_retries == tasks.MAX_RETRIES
    assert (
        task.soft_time_limit
        < task.time_limit
        < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )


def test_hard_time_limit_marks_the_row_failed(program: Any) -> None:
    from billiard.exceptions import TimeLimitExceeded

    document = _document(program)
    claim_document(document.pk, token="task-a")

    tasks.generate_program_pdf.on_failure(TimeLimitExceeded(90), "task-a", [document.pk], {}, None)

    document.refresh_from_db()
    assert document.state == State.FAILED
    assert "too long" in document.error


def test_pdf_of_a_published_version_shows_its_snapshot(program: Any, tmp_path: Path) -> None:
    document = _document(program)
    generate_program_document(document.pk, token="t")
    document.refresh_from_db()

    text = pdf_text(document.file.read(), tmp_path)
    snapshot = program.versions.get().snapshot
    assert program.episode.patient.full_name in text
    assert program.episode.patient.clinic.name in text
    for item in snapshot["items"]:
        assert item["name"] in text
    for modality in snapshot["modalities"]:
        assert modality["name"] in text
