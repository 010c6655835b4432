"""Writing many rows fast: PostgreSQL ``COPY``, SQLite ``executemany``, from plain tuples.

``Model.objects.bulk_create`` builds a model instance per row and prepares every field of it,
about 30 µs a row: half a minute for the million persons of a county. Imports have already
validated their rows, so they write plain tuples here, in the database's fastest way, inside the
caller's transaction. Columns the caller leaves out get the model field's default, and values
are prepared once per column kind (dates, times, JSON, UUIDs) the way Django would store them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

Prepare = Callable[[Any], Any] | None


class BulkInsert:
    """An INSERT of ``columns`` into ``model``'s table, reusable for many batches."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        fields = {f.name: f for f in model._meta.concrete_fields}
        self.model = model
        self.given = [fields[name] for name in columns]
        self.defaults = [
            f for f in model._meta.concrete_fields if f.name not in columns and not f.primary_key
        ]
        self.default_values = tuple(self._prepare_one(f, self._default(f)) for f in self.defaults)
        self.prepare: list[Prepare] = [self._preparer(f) for f in self.given]
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.names = [str(f.column) for f in self.given] + [str(f.column) for f in self.defaults]
        self.column_list = ", ".join(connection.ops.quote_name(n) for n in self.names)

    @staticmethod
    def _default(field: models.Field[Any, Any]) -> Any:
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            from django.utils import timezone

            return timezone.now()
        return field.get_default()

    @staticmethod
    def _prepare_one(field: models.Field[Any, Any], value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    @staticmethod
    def _preparer(field: models.Field[Any, Any]) -> Prepare:
        """How a column's Python value becomes the value to send; None when it is sent as is."""
        kind = field.get_internal_type()
        if kind in {"CharField", "TextField", "IntegerField", "BigIntegerField", "BooleanField"}:
            return None
        if kind in {"PositiveSmallIntegerField", "PositiveIntegerField", "SmallIntegerField"}:
            return None
        if kind == "ForeignKey":
            return None  # callers pass the primary key (an int)
        if kind == "DateField" and connection.vendor == "sqlite":
            return lambda value: None if value is None else value.isoformat()
        if kind == "DateField":
            return None
        return lambda value: field.get_db_prep_save(value, connection)

    def rows(self, rows: Iterable[Sequence[Any]]) -> Iterable[tuple[Any, ...]]:
        prepare = [(i, p) for i, p in enumerate(self.prepare) if p is not None]
        tail = self.default_values
        if not prepare:
            for row in rows:
                yield (*row, *tail)
            return
        # Imports repeat values down a column (the same timestamp, request id, actor): the
        # prepared form of the previous value is reused when the value is the same object.
        last: list[tuple[Any, Any]] = [(object(), None)] * len(prepare)
        for row in rows:
            values = list(row)
            for slot, (index, function) in enumerate(prepare):
                value = values[index]
                seen, prepared = last[slot]
                if value is not seen:
                    prepared = function(value)
                    last[slot] = (value, prepared)
                values[index] = prepared
            yield (*values, *tail)

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        """Insert the rows (in the caller's transaction); returns how many."""
        count = 0
        raw = connection.connection
        if raw is None:
            connection.ensure_connection()
            raw = connection.connection
        if connection.vendor == "postgresql":
            sql = f"COPY {self.table} ({self.column_list}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in self.rows(rows):
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["?"] * len(self.names))
        # Table and column names come from the model, quoted; values are parameters.
        sql = f"INSERT INTO {self.table} ({self.column_list}) VALUES ({placeholders})"  # noqa: S608
        prepared = list(self.rows(rows))
        raw.executemany(sql, prepared)
        return len(prepared)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """One-off form of ``BulkInsert(model, columns).write(rows)``."""
    return BulkInsert(model, columns).write(rows)


def update_column(
    model: type[models.Model], column: str, pairs: Sequence[tuple[Any, Any]], batch: int = 500
) -> int:
    """Set one column of many rows: ``pairs`` of (primary key, value), one statement per batch
    (``bulk_update`` builds a CASE per row in Python; this sends the pairs as a VALUES list)."""
    if not pairs:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    field = model._meta.get_field(column)
    assert isinstance(field, models.Field)
    target = connection.ops.quote_name(str(field.column))
    pk = connection.ops.quote_name(str(model._meta.pk.column) if model._meta.pk else "id")
    done = 0
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), batch):
            chunk = pairs[start : start + batch]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            # Table and column names come from the model, quoted; values are parameters.
            sql = (
                f"WITH v(k, x) AS (VALUES {values}) "  # noqa: S608
                f"UPDATE {table} SET {target} = (SELECT x FROM v WHERE v.k = {table}.{pk}) "
                f"WHERE {pk} IN (SELECT k FROM v)"
            )
            cursor.execute(sql, [value for pair in chunk for value in pair])
            done += cursor.rowcount
    return done
