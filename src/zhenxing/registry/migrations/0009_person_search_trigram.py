"""The persons' search text in a trigram index on SQLite (FTS5, ``tokenize='trigram'``).

A search box query is a substring of the search text (a name, its initials, its pinyin), so
``LIKE '%…%'`` cannot use a B-tree: at the city's 1.2 million persons the narrow covering
index (``person_search``) still took 0.2–0.3 s to read through on every search. FTS5's trigram
tokenizer answers the same ``LIKE`` from an inverted index of three-character runs in about a
millisecond (https://sqlite.org/fts5.html#the_trigram_tokenizer).

The FTS table is an external-content table over ``registry_person``: it stores the trigrams
only (``detail='none'``), and triggers keep it in step with every insert, delete and change of
the search text, whatever writes them (the services, the importers' bulk inserts, raw SQL).
``last_insert_rowid()``, which the bulk insert reads, is restored when a trigger ends.

PostgreSQL keeps its own trigram index (``pg_trgm``): see 0010. A SQLite built without FTS5
gets no table, and the search reads ``person_search`` as before (``registry.selectors``).
"""

from django.db import migrations

TABLE = "registry_person"
FTS = "registry_person_trigram"

UP = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        search_text, content='{TABLE}', content_rowid='id', tokenize='trigram', detail='none')""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_text ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
DOWN = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
]


def has_trigram_fts(connection) -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (3.34 and later)."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.zx_probe USING fts5(x, tokenize='trigram')")
        except Exception:  # noqa: BLE001 -- no FTS5, or no trigram tokenizer
            return False
        cursor.execute("DROP TABLE temp.zx_probe")
    return True


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite" or not has_trigram_fts(connection):
        return
    for sql in UP:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in DOWN:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_household_village_number")]
    operations = [migrations.RunPython(forwards, backwards)]
