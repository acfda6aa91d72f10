"""A trigram index for name/alias search on PostgreSQL, and the fixed tag vocabulary.

SQLite (the embedded development default) has no trigram index; a plain scan of a few thousand
short strings is fast there.
"""

from django.db import migrations

from exercises.library import schema

INDEX = "exercises_exercise_search_trgm"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON exercises_exercise "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def add_vocabulary(apps, schema_editor):
    LibraryTag = apps.get_model("exercises", "LibraryTag")
    for kind, words in (
        ("region", schema.REGIONS),
        ("equipment", schema.EQUIPMENT),
        ("injury", schema.INJURIES),
    ):
        for position, (slug, name) in enumerate(words):
            LibraryTag.objects.update_or_create(
                kind=kind, slug=slug, defaults={"name": name, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial")]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(add_vocabulary, migrations.RunPython.noop),
    ]
