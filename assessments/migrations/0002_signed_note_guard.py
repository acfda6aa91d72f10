"""Database guard: a signed note, its outcome responses and addenda cannot be updated or deleted.

The application already refuses such changes (services and views); this makes the database refuse
them too, so a bug or a stray script cannot rewrite signed clinical content. Portal release
fields (withheld_*) stay changeable: they are not part of the signed content. PostgreSQL only.
"""

from django.db import migrations

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
    OR NEW.content_hash IS DISTINCT FROM OLD.content_hash) THEN
    RAISE EXCEPTION 'signed note % cannot be changed; add an addendum', OLD.id;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER assessments_note_signed_guard
  BEFORE UPDATE OR DELETE ON assessments_note
  FOR EACH ROW EXECUTE FUNCTION assessments_signed_note_guard();

CREATE OR REPLACE FUNCTION assessments_signed_child_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.note_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM assessments_note WHERE id = NEW.note_id AND signed_at IS NOT NULL) THEN
      RAISE EXCEPTION 'signed note % cannot get new measures', NEW.note_id;
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.note_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM assessments_note WHERE id = OLD.note_id AND signed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'measures of signed note % cannot be changed', OLD.note_id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER assessments_outcome_signed_guard
  BEFORE INSERT OR UPDATE OR DELETE ON assessments_outcomeresponse
  FOR EACH ROW EXECUTE FUNCTION assessments_signed_child_guard();

CREATE OR REPLACE FUNCTION assessments_addendum_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'addenda are permanent';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER assessments_addendum_append_only
  BEFORE UPDATE OR DELETE ON assessments_addendum
  FOR EACH ROW EXECUTE FUNCTION assessments_addendum_guard();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS assessments_addendum_append_only ON assessments_addendum;
DROP FUNCTION IF EXISTS assessments_addendum_guard();
DROP TRIGGER IF EXISTS assessments_outcome_signed_guard ON assessments_outcomeresponse;
DROP FUNCTION IF EXISTS assessments_signed_child_guard();
DROP TRIGGER IF EXISTS assessments_note_signed_guard ON assessments_note;
DROP FUNCTION IF EXISTS assessments_signed_note_guard();
"""


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(_run(GUARD), _run(UNGUARD))]
