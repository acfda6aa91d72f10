"""On PostgreSQL, published program versions cannot be emptied with TRUNCATE either (the row
trigger of 0005 does not fire on it). Only a session that sets `rehab.allow_truncate = on` (the
test suite's flush, see audit migration 0005) may."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION programs_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('rehab.allow_truncate', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% holds published versions and cannot be truncated', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER program_version_no_truncate BEFORE TRUNCATE ON programs_programversion
  FOR EACH STATEMENT EXECUTE FUNCTION programs_refuse_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS program_version_no_truncate ON programs_programversion;
DROP FUNCTION IF EXISTS programs_refuse_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_return_to_run_signs_drafts_and_limits")]

    operations = [migrations.RunPython(forwards, backwards)]
