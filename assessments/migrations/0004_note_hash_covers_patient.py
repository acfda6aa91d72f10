"""A signed note's hash now covers the patient, and its episode cannot move to another patient.

Notes signed before this keep `hash_version = 1` (the rule they were signed with, episode id only)
and keep verifying; new signatures use version 2. On PostgreSQL: the signed-note guard also
protects `hash_version`, an episode with signed notes cannot change patient, and the note, outcome
and addendum tables refuse TRUNCATE (row triggers do not fire on it). As in audit 0005, only a
session that sets `rehab.allow_truncate = on` (the test suite's flush) may truncate.
"""

from django.db import migrations, models

GUARD = """
CREATE OR REPLACE FUNCTION assessments_signed_note_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.signed_at IS NOT NULL THEN
      RAISE EXCEPTION 'signed note % cannot be deleted', OLD.id;
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.signed_at IS NOT NULL AND (
       NEW.content IS DISTINCT FROM OLD.content
    OR NEW.visit_date IS DISTINCT FROM OLD.visit_date
    OR NEW.kind IS DISTINCT FROM OLD.kind
    OR NEW.episode_id IS DISTINCT FROM OLD.episode_id
    OR NEW.author_id IS DISTINCT FROM OLD.author_id
    OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
    OR NEW.signed_by_id IS DISTINCT FROM OLD.signed_by_id
    OR NEW.hash_version IS DISTINCT FROM OLD.hash_version
    OR NEW.content_hash IS DISTINCT FROM OLD.content_hash) THEN
    RAISE EXCEPTION 'signed note % cannot be changed; add an addendum', OLD.id;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION assessments_episode_keeps_signed_notes() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM assessments_note WHERE episode_id = OLD.id AND signed_at IS NOT NULL)
  THEN
    RAISE EXCEPTION 'episode % has signed notes and cannot be moved to another patient', OLD.id;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER assessments_episode_keeps_signed_notes
  BEFORE UPDATE OF patient_id ON patients_episode
  FOR EACH ROW WHEN (NEW.patient_id IS DISTINCT FROM OLD.patient_id)
  EXECUTE FUNCTION assessments_episode_keeps_signed_notes();

CREATE OR REPLACE FUNCTION assessments_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('rehab.allow_truncate', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% holds signed clinical records and cannot be truncated', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER assessments_note_no_truncate BEFORE TRUNCATE ON assessments_note
  FOR EACH STATEMENT EXECUTE FUNCTION assessments_refuse_truncate();
CREATE TRIGGER assessments_outcome_no_truncate BEFORE TRUNCATE ON assessments_outcomeresponse
  FOR EACH STATEMENT EXECUTE FUNCTION assessments_refuse_truncate();
CREATE TRIGGER assessments_addendum_no_truncate BEFORE TRUNCATE ON assessments_addendum
  FOR EACH STATEMENT EXECUTE FUNCTION assessments_refuse_truncate();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS assessments_addendum_no_truncate ON assessments_addendum;
DROP TRIGGER IF EXISTS assessments_outcome_no_truncate ON assessments_outcomeresponse;
DROP TRIGGER IF EXISTS assessments_note_no_truncate ON assessments_note;
DROP FUNCTION IF EXISTS assessments_refuse_truncate();
DROP TRIGGER IF EXISTS assessments_episode_keeps_signed_notes ON patients_episode;
DROP FUNCTION IF EXISTS assessments_episode_keeps_signed_notes();
"""


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_struck_outcomes_and_patient_summary"),
        ("patients", "0001_initial"),
    ]

    operations = [
        # Existing rows get 1, the rule they were signed with; new rows default to 2.
        migrations.AddField(
            model_name="note",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="note",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.RunPython(_run(GUARD), _run(UNGUARD)),
    ]
