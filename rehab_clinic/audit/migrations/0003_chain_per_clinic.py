"""One audit chain per clinic: place every event in its clinic's chain, and add the signed heads
and checkpoints that anchor the end of each chain outside the event table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("chain", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("count", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(default="0" * 64, max_length=64)),
                ("signature", models.CharField(blank=True, max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("taken_at", models.DateTimeField()),
                ("chain", models.PositiveBigIntegerField()),
                ("count", models.PositiveBigIntegerField()),
                ("last_hash", models.CharField(max_length=64)),
                ("previous_signature", models.CharField(max_length=64)),
                ("signature", models.CharField(max_length=64, unique=True)),
            ],
            options={
                "ordering": ["-id"],
                "indexes": [
                    models.Index(fields=["chain", "-id"], name="audit_audit_chain_dd6ad1_idx")
                ],
            },
        ),
    ]
