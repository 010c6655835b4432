"""The persons' search text in a trigram index on PostgreSQL (``pg_trgm``, GIN).

The search box's ``LIKE '%…%'`` cannot use a B-tree; at the city's 1.2 million persons reading
``person_search`` through took a quarter to half a second. A GIN index over the search text's
trigrams answers the same ``LIKE`` (PostgreSQL plans it by itself, no query changes:
https://www.postgresql.org/docs/15/pgtrgm.html#PGTRGM-INDEX). SQLite has its own (0009).

``pg_trgm`` is a trusted extension (PostgreSQL 13 and later): the database's owner may create
it. Where it cannot be created, the migration says so and the search reads the search text
as before; ``docs/operator-guide.md`` says how to add it later.
"""

from django.db import migrations, transaction

INDEX = "registry_person_search_trgm"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 -- no privilege, or contrib not installed
        print(f"\n  pg_trgm is not available ({exc}); the person search scans instead.")
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person "
        "USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_person_search_trigram")]
    operations = [migrations.RunPython(forwards, backwards)]
