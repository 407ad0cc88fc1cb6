"""Trigram indexes for the case list's name search (icontains) on PostgreSQL.

Django's icontains compiles to UPPER("col"::text) LIKE UPPER('%word%'); these
GIN indexes on the same expressions let PostgreSQL answer it without reading
every citizen. pg_trgm is a trusted extension (PostgreSQL 13+): a database
owner may create it. Other databases (SQLite in development) skip this."""

from django.db import migrations

INDEXES = {
    "applicants_citizen_first_name_trgm": "first_name",
    "applicants_citizen_last_name_trgm": "last_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "applicants_citizen" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("applicants", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
