"""Workflows on the clinic's home-program templates: save a program as one, edit, archive.
Each writes its rows and its audit event in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from programs.home.models import HomeProgram, ProgramTemplate, TemplateItem, TemplateModality
from programs.home.services import ProgramError
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

Action = AuditEvent.Action


@transaction.atomic
def save_as_template(*, program: HomeProgram, name: str, by: User) -> ProgramTemplate:
    clinic = program.episode.patient.clinic
    if ProgramTemplate.objects.filter(clinic=clinic, name=name, archived_at__isnull=True).exists():
        raise ProgramError(f"The clinic already has a template called “{name}”.")
    try:
        with transaction.atomic():
            template = ProgramTemplate.objects.create(
                clinic=clinic, name=name, note_to_patient=program.note_to_patient, created_by=by
            )
    except IntegrityError as duplicate:
        raise ProgramError(f"The clinic already has a template called “{name}”.") from duplicate
    TemplateItem.objects.bulk_create(
        TemplateItem(template=template, exercise_id=i.exercise_id, position=n, **i.dosage())
        for n, i in enumerate(program.items.order_by("position", "id"))
    )
    TemplateModality.objects.bulk_create(
        TemplateModality(
            template=template, modality_id=m.modality_id, instructions=m.instructions, position=n
        )
        for n, m in enumerate(program.modalities.order_by("position", "id"))
    )
    record_event(user=by, action=Action.CREATE, obj=template, detail="saved as template")
    return template


@transaction.atomic
def save_template(*, template: ProgramTemplate, changed: Sequence[str], by: User) -> None:
    """Save a template's changed name and note (a form's unsaved instance)."""
    template.save()
    record_event(user=by, action=Action.CHANGE, obj=template, detail=", ".join(changed))


@transaction.atomic
def archive_template(*, template: ProgramTemplate, by: User) -> None:
    template.archived_at = timezone.now()
    template.save(update_fields=["archived_at", "updated_at"])
    record_event(user=by, action=Action.ARCHIVE, obj=template)
