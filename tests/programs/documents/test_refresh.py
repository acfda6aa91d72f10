"""Every change to what the handout prints renders the current PDF again, exactly once, through
an explicit `refresh_for_episode` call at the end of the service (no signals)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from patients.services import discharge_episode, save_episode, save_patient
from programs.documents import pdf
from programs.documents import services as documents
from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from programs.home.services import add_program_item, publish_home_program
from programs.running import gait_services
from programs.running import services as running
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.models import ReturnToRunPlan
from programs.running.protocol_services import STAGE_FIELDS
from rehab_clinic.accounts.services import save_clinic
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.models import OutboxMessage
from tests.builders import log_run, make_plan, make_program
from tests.factories import EpisodeFactory, PatientFactory, ProgramExerciseFactory

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


def _rendered(program: Any) -> ProgramDocument:
    """The program's current PDF, rendered now (whatever the setup queued)."""
    document = ProgramDocument.objects.get(version__program=program)
    generate_program_document(document.pk, token=f"before-{document.pk}")
    document.refresh_from_db()
    assert document.state == State.READY
    return document


def _gait(episode: Any, therapist: Any) -> GaitRetrainingPrescription:
    return gait_services.create_gait_prescription(
        episode=episode, by=therapist, baseline_cadence=160, increase_pct=Decimal("5"),
        cue_type=GaitRetrainingPrescription.Cue.METRONOME,
    )  # fmt: skip


# --- Discharge: the gait cue card comes off the handout ---------------------------------------


def test_discharging_an_episode_with_a_gait_prescription_renders_once_without_the_cue_card(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    prescription = _gait(program.episode, therapist)  # no run plan on this episode
    document = _rendered(program)

    after, seen = _after(
        lambda: discharge_episode(
            episode=program.episode, on=program.episode.patient.clinic.today(),
            reason="Goals met", by=therapist,
        ),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].gait is None
    assert after.state == State.READY
    assert after.checksum != document.checksum
    prescription.refresh_from_db()
    assert not prescription.is_active
    event = AuditEvent.objects.get(
        object_type=prescription._meta.label,
        object_id=str(prescription.pk),
        action=AuditEvent.Action.CHANGE,
    )
    assert event.detail == "Gait prescription ended: episode discharged"
    assert event.changes == {"is_active": [True, False]}


# --- The clinic's letterhead, the patient's name, the episode's label -------------------------


def test_renaming_the_clinic_renders_each_current_handout_of_the_clinic_once(
    program: Any, therapist: Any, clinic_admin: Any, other_therapist: Any, eager_celery: None,
    django_capture_on_commit_callbacks: Any, renders: list[Any],
) -> None:  # fmt: skip
    clinic = program.episode.patient.clinic
    second = make_program(EpisodeFactory(patient=PatientFactory(clinic=clinic)), therapist)
    elsewhere = make_program(
        EpisodeFactory(patient=PatientFactory(clinic=other_therapist.clinic)), other_therapist
    )
    mine, theirs = _rendered(program), _rendered(elsewhere)
    _rendered(second)
    clinic.name = "Riverside Running Clinic"

    after, seen = _after(
        lambda: save_clinic(clinic=clinic, changed=["name"], by=clinic_admin),
        mine, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 2
    assert {sheet.clinic.name for sheet in seen} == {"Riverside Running Clinic"}
    assert after.checksum != mine.checksum
    assert ProgramDocument.objects.get(pk=theirs.pk).checksum == theirs.checksum


def test_a_clinic_change_the_handout_does_not_print_renders_nothing(
    program: Any, clinic_admin: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    document = _rendered(program)
    clinic = program.episode.patient.clinic
    clinic.opening_hours = "Mon-Fri 7-19"

    after, seen = _after(
        lambda: save_clinic(clinic=clinic, changed=["opening_hours"], by=clinic_admin),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert seen == []
    assert after.state == State.READY
    # Saving with nothing changed (the form posted back as it was) renders nothing either.
    _, seen = _after(
        lambda: save_clinic(clinic=clinic, changed=[], by=clinic_admin),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip
    assert seen == []


def test_a_clinic_with_many_handouts_queues_them_in_bulk_for_the_sweep(
    program: Any, therapist: Any, clinic_admin: Any, eager_celery: None, settings: Any,
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    monkeypatch.setattr(documents, "SEND_AT_ONCE", 1)
    clinic = program.episode.patient.clinic
    second = make_program(EpisodeFactory(patient=PatientFactory(clinic=clinic)), therapist)
    ids = {_rendered(program).pk, _rendered(second).pk}
    # The setup's own messages (publishing, never sent here) are not what this test counts.
    OutboxMessage.objects.update(done_at=timezone.now())
    clinic.phone = "020 7946 0001"

    renders.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        save_clinic(clinic=clinic, changed=["phone"], by=clinic_admin)

    # Queued and written to the outbox, but nothing sent from the admin's request.
    assert callbacks == []
    assert renders == []
    assert (
        set(ProgramDocument.objects.filter(state=State.QUEUED).values_list("pk", flat=True)) == ids
    )
    pending = OutboxMessage.objects.filter(task=documents.TASK, done_at=None, sent_at=None)
    assert sorted(m.args[0] for m in pending) == sorted(ids)

    settings.OUTBOX_SEND_GRACE = 0
    assert outbox.sweep() == 2
    assert len(renders) == 2
    assert {sheet.clinic.phone for sheet in renders} == {"020 7946 0001"}


def test_renaming_the_patient_renders_their_handout_once_with_the_new_name(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    document = _rendered(program)
    patient = program.episode.patient
    patient.last_name = "Okafor-Reyes"

    after, seen = _after(
        lambda: save_patient(patient=patient, changed=["last_name"], by=therapist),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].patient_name == "Paula Okafor-Reyes"
    assert after.checksum != document.checksum


def test_a_patient_change_the_handout_does_not_print_renders_nothing(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    document = _rendered(program)
    patient = program.episode.patient
    patient.phone = "07700 900123"

    after, seen = _after(
        lambda: save_patient(patient=patient, changed=["phone"], by=therapist),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert seen == []
    assert after.state == State.READY


def test_relabelling_the_episode_renders_its_handout_once_with_the_new_condition(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    document = _rendered(program)
    episode = program.episode
    episode.label = "Plantar heel pain, left"

    after, seen = _after(
        lambda: save_episode(
            episode=episode, patient=episode.patient, changed=["label"], by=therapist
        ),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].condition == "Plantar heel pain, left"
    assert after.checksum != document.checksum
    # Another field of the episode (not printed) renders nothing.
    episode.icd10_code = "M72.2"
    _, seen = _after(
        lambda: save_episode(
            episode=episode, patient=episode.patient, changed=["icd10_code"], by=therapist
        ),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip
    assert seen == []


# --- A plan started, paused, resumed, moved by the rule ---------------------------------------


def test_starting_a_plan_renders_the_pdf_once_with_the_run_table(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    plan = make_plan(program.episode, therapist, start=False)
    document = _rendered(program)

    after, seen = _after(
        lambda: running.start_plan(plan=plan, by=therapist, override_reason="Cleared in clinic"),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].run_plan is not None
    assert after.checksum != document.checksum


def test_pausing_a_plan_renders_the_pdf_once_without_the_run_table(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    plan = make_plan(program.episode, therapist)
    document = _rendered(program)

    after, seen = _after(
        lambda: running.pause_plan(plan=plan, by=therapist, note="Calf strain"),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].run_plan is None
    assert after.checksum != document.checksum


def test_resuming_a_plan_renders_the_pdf_once_with_the_run_table_back(
    program: Any, therapist: Any, eager_celery: None, django_capture_on_commit_callbacks: Any,
    renders: list[Any],
) -> None:  # fmt: skip
    plan = running.pause_plan(plan=make_plan(program.episode, therapist), by=therapist, note="Ill")
    document = _rendered(program)

    after, seen = _after(
        lambda: running.resume_plan(plan=plan, by=therapist),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip

    assert len(seen) == 1
    assert seen[0].run_plan is not None
    assert after.checksum != document.checksum


def test_the_rule_stepping_back_renders_the_pdf_once_and_holding_renders_nothing(
    program: Any, therapist: Any, patient_user: Any, eager_celery: None,
    django_capture_on_commit_callbacks: Any, renders: list[Any],
) -> None:  # fmt: skip
    plan = make_plan(program.episode, therapist, pain_during_max=5)
    running.override_stage(plan=plan, by=therapist, to_stage=3, note="Doing well in clinic")
    document = _rendered(program)
    first = program.episode.patient.clinic.today() - dt.timedelta(days=20)

    # A good first run at stage 3: the rule holds the stage (needs more sessions), nothing prints.
    after, seen = _after(
        lambda: log_run(plan, patient_user, first), document,
        django_capture_on_commit_callbacks, renders,
    )  # fmt: skip
    assert seen == []
    assert after.state == State.READY

    # Pain above the ceiling: the rule steps back to stage 2 at once, and the handout follows.
    after, seen = _after(
        lambda: log_run(plan, patient_user, first + dt.timedelta(days=2), pain_during=6),
        document, django_capture_on_commit_callbacks, renders,
    )  # fmt: skip
    assert len(seen) == 1
    assert seen[0].run_plan.stages[0].number == 2
    assert after.checksum != document.checksum
