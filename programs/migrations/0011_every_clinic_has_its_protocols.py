"""Every clinic gets its copies of the published return-to-run protocols now.

They used to be created the first time someone opened the protocol list (a write on GET); a new
clinic now gets them when it is created (accounts.services.create_clinic's set-up steps). This
gives them to the clinics that exist already and never opened the list. Idempotent by key, with
the historical models; the templates are the code's (`programs.running.protocols`, pure).
"""

import dataclasses

from django.db import migrations

from programs.running.protocols import PROTOCOLS, criteria_data


def give_every_clinic_its_protocols(apps, schema_editor):
    Clinic = apps.get_model("accounts", "Clinic")
    Protocol = apps.get_model("programs", "Protocol")
    ProtocolStage = apps.get_model("programs", "ProtocolStage")
    stage_fields = {f.name for f in ProtocolStage._meta.concrete_fields} - {"id", "protocol"}
    for clinic in Clinic.objects.all():
        for template in PROTOCOLS:
            if Protocol.objects.filter(clinic=clinic, key=template.key).exists():
                continue
            protocol = Protocol.objects.create(
                clinic=clinic,
                key=template.key,
                name=template.name,
                kind=template.kind,
                description=template.description,
                source=template.source,
                pain_during_max=template.pain_during_max,
                pain_after_max=template.pain_after_max,
                morning_pain_max=template.morning_pain_max,
                readiness_criteria=criteria_data(template.criteria),
            )
            ProtocolStage.objects.bulk_create(
                ProtocolStage(
                    protocol=protocol,
                    number=number,
                    **{
                        f.name: getattr(stage, f.name)
                        for f in dataclasses.fields(stage)
                        if f.name in stage_fields
                    },
                )
                for number, stage in enumerate(template.stages, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_submission_key"),
        ('programs', '0010_completion_pain_and_difficulty'),
    ]

    operations = [
        migrations.RunPython(give_every_clinic_its_protocols, migrations.RunPython.noop),
    ]
