"""Billing codes per clinic, for the timed minutes of a daily note (docs/billing.md).

Every clinic that exists gets the default list now; a new clinic gets it when it is created
(accounts.services.create_clinic's set-up steps). Idempotent by code, with the historical
model; the defaults are the code's (`assessments.billing_codes.DEFAULT_CODES`, plain data).
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from assessments.billing_codes import DEFAULT_CODES


def give_every_clinic_its_codes(apps, schema_editor):
    Clinic = apps.get_model("accounts", "Clinic")
    BillingCode = apps.get_model("assessments", "BillingCode")
    for clinic in Clinic.objects.all():
        have = set(BillingCode.objects.filter(clinic=clinic).values_list("code", flat=True))
        BillingCode.objects.bulk_create(
            BillingCode(clinic=clinic, code=d.code, label=d.label, timed=d.timed, position=i)
            for i, d in enumerate(DEFAULT_CODES)
            if d.code not in have
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_clinic_day_rules_and_record_numbers'),
        ('assessments', '0005_questionnaire_schedule'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BillingCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=5, validators=[django.core.validators.RegexValidator('^[A-Z0-9]{5}$', 'A procedure code is five letters or digits, such as 97110 or G0283.')])),
                ('label', models.CharField(max_length=80)),
                ('timed', models.BooleanField(default=True, help_text='Timed codes are billed in 15-minute units by the 8-minute rule; an untimed code is one unit a visit.')),
                ('active', models.BooleanField(default=True, help_text='Offered on new daily notes.')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('clinic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.clinic')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['position', 'code'],
                'constraints': [models.UniqueConstraint(fields=('clinic', 'code'), name='one_billing_code_per_clinic')],
            },
        ),
        migrations.RunPython(give_every_clinic_its_codes, migrations.RunPython.noop),
    ]
