"""Each program version keeps the four fields adherence counts of its items beside the snapshot
(`ProgramVersion.counted`), filled here for the versions already published; on PostgreSQL the
trigger that freezes a published version then freezes `counted` too."""

from django.db import migrations, models


def fill_counted(apps, schema_editor):
    ProgramVersion = apps.get_model("programs", "ProgramVersion")
    batch = []
    for version in ProgramVersion.objects.only("pk", "snapshot").iterator(chunk_size=500):
        version.counted = [
            {
                "key": str(item["key"]),
                "name": item["name"],
                "times_per_day": int(item["times_per_day"]),
                "days_per_week": int(item["days_per_week"]),
            }
            for item in version.snapshot.get("items", [])
        ]
        batch.append(version)
        if len(batch) == 500:
            ProgramVersion.objects.bulk_update(batch, ["counted"])
            batch = []
    ProgramVersion.objects.bulk_update(batch, ["counted"])


FREEZE = """
CREATE OR REPLACE FUNCTION program_version_is_frozen() RETURNS trigger AS $$
BEGIN
  IF NEW.snapshot IS DISTINCT FROM OLD.snapshot
     OR NEW.counted IS DISTINCT FROM OLD.counted
     OR NEW.number IS DISTINCT FROM OLD.number
     OR NEW.program_id IS DISTINCT FROM OLD.program_id
     OR NEW.published_by_id IS DISTINCT FROM OLD.published_by_id THEN
    RAISE EXCEPTION 'a published program version cannot be changed';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

# The function as migration 0005 created it.
UNFREEZE = FREEZE.replace("     OR NEW.counted IS DISTINCT FROM OLD.counted\n", "")


def freeze_counted(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FREEZE)


def unfreeze_counted(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNFREEZE)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0014_return_to_run_flags_newest_first_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="programversion",
            name="counted",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.RunPython(fill_counted, migrations.RunPython.noop),
        migrations.RunPython(freeze_counted, unfreeze_counted),
    ]
