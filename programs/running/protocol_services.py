"""Workflows for the clinic's return-to-running protocols: each clinic's editable copies of the
published ones, and the clinic admin's edits. Plans copy a protocol's stages and limits
(`services.create_plan`), and replace their own stages the same way (`replace_stages`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from programs.running.models import PROTOCOL_LIMITS, Protocol, ProtocolStage
from programs.running.protocols import PROTOCOLS, ProtocolTemplate, criteria_data
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic, User

# What a stage prescribes: the fields the protocol and plan stages share.
STAGE_FIELDS = [
    f.name for f in ProtocolStage._meta.concrete_fields if f.name not in ("id", "protocol")
]


@transaction.atomic
def seed_protocols(*, clinic: Clinic, templates: tuple[ProtocolTemplate, ...] = PROTOCOLS) -> None:
    """Give a clinic its editable copies of the published protocols (idempotent by key)."""
    for template in templates:
        if Protocol.objects.filter(clinic=clinic, key=template.key).exists():
            continue
        protocol = Protocol.objects.create(
            clinic=clinic,
            key=template.key,
            name=template.name,
            kind=template.kind,
            description=template.description,
            source=template.source,
            **{name: getattr(template, name) for name in PROTOCOL_LIMITS},
            readiness_criteria=criteria_data(template.criteria),
        )
        ProtocolStage.objects.bulk_create(
            ProtocolStage(protocol=protocol, number=i, **_stage_template_values(stage))
            for i, stage in enumerate(template.stages, start=1)
        )


def _stage_template_values(stage: Any) -> dict[str, Any]:
    return {name: getattr(stage, name) for name in STAGE_FIELDS if name != "number"}


@transaction.atomic
def update_protocol(
    *, protocol: Protocol, by: User, values: dict[str, Any], stages: list[dict[str, Any]]
) -> Protocol:
    for name, value in values.items():
        setattr(protocol, name, value)
    protocol.save()
    if stages:
        replace_stages(ProtocolStage, "protocol", protocol, stages)
    record_event(user=by, action=AuditEvent.Action.CHANGE, obj=protocol, clinic=protocol.clinic)
    return protocol


def replace_stages(
    model: Any, parent_field: str, parent: Any, stages: list[dict[str, Any]]
) -> None:
    model.objects.filter(**{parent_field: parent}).delete()
    model.objects.bulk_create(
        model(
            **{parent_field: parent},
            **{k: v for k, v in stage.items() if k in STAGE_FIELDS and k != "number"},
            number=i,
        )
        for i, stage in enumerate(stages, start=1)
    )
