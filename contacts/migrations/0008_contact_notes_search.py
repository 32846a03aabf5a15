"""A GIN index for full-text search of contact notes (contacts.search), on PostgreSQL only: SQLite, the embedded
default, searches without one. The expression must stay the one contacts.search.vector() builds."""

from django.db import migrations

INDEX = "contacts_contact_notes_search"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON contacts_contact "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(notes, '')))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0007_merge_20261130_0010")]

    operations = [migrations.RunPython(create, drop)]
