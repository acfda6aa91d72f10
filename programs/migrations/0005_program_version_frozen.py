"""On PostgreSQL, refuse any change to a published version's content at the database itself.

The app never updates a `ProgramVersion`; this also stops a stray script or bulk update from
rewriting what a patient was given. Only the publication time may be corrected (the demo seed
dates its versions in the past). SQLite relies on the app alone.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION program_version_is_frozen() RETURNS trigger AS $$
BEGIN
  IF NEW.snapshot IS DISTINCT FROM OLD.snapshot
     OR NEW.number IS DISTINCT FROM OLD.number
     OR NEW.program_id IS DISTINCT FROM OLD.program_id
     OR NEW.published_by_id IS DISTINCT FROM OLD.published_by_id THEN
    RAISE EXCEPTION 'a published program version cannot be changed';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER program_version_frozen
  BEFORE UPDATE ON programs_programversion
  FOR EACH ROW EXECUTE FUNCTION program_version_is_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS program_version_frozen ON programs_programversion;
DROP FUNCTION IF EXISTS program_version_is_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("programs", "0004_home_program_start_token")]

    operations = [migrations.RunPython(forwards, backwards)]
