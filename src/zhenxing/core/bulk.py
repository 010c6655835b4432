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

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], *, ready: Sequence[str] = ()
    ) -> None:
        """``ready`` names columns whose values the caller sends already prepared for the
        database (``prepared``): a million rows then skip a step per row and column."""
        fields = {f.name: f for f in model._meta.concrete_fields}
        self.model = model
        self.given = [fields[name] for name in columns]
        self.defaults = [
            f for f in model._meta.concrete_fields if f.name not in columns and not f.primary_key
        ]
        self.default_values = tuple(self._prepare_one(f, self._default(f)) for f in self.defaults)
        self.prepare: list[Prepare] = [
            None if f.name in ready else self._preparer(f) for f in self.given
        ]
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.names = [str(f.column) for f in self.given] + [str(f.column) for f in self.defaults]
        self.column_list = ", ".join(connection.ops.quote_name(n) for n in self.names)

    def prepared(self, column: str, value: Any) -> Any:
        """``value`` as this insert would send it in ``column``, for a ``ready`` column."""
        field = self.model._meta.get_field(column)
        assert isinstance(field, models.Field)
        preparer = self._preparer(field)
        return value if preparer is None else preparer(value)

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
        if kind == "DateField":
            # An ISO date string is sent as it is (SQLite stores it; COPY parses it).
            return lambda value: value if value is None or type(value) is str else value.isoformat()
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
        """Insert the rows (in the caller's transaction); returns how many.

        ``rows`` may be a generator, but one that never queries the database: on PostgreSQL the
        connection is busy with the COPY while the rows are read, and a query would wait on it
        forever."""
        # The driver's errors as Django's (IntegrityError …), as through a Django cursor.
        with connection.wrap_database_errors:
            return self._write(rows)

    def _write(self, rows: Iterable[Sequence[Any]]) -> int:
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

    def write_returning_ids(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        """Insert the rows and return their new primary keys, in order, without a query per
        row or a lookup afterwards.

        PostgreSQL: the keys are drawn from the table's sequence first and sent with the rows.
        SQLite: Django's primary keys are AUTOINCREMENT and the caller's transaction holds the
        only write lock, so the rows get consecutive keys ending at ``last_insert_rowid()``;
        a range count proves it before the keys are used.
        """
        with connection.wrap_database_errors:
            return self._write_returning_ids(rows)

    def _write_returning_ids(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        if not rows:
            return []
        raw = connection.connection
        if raw is None:
            connection.ensure_connection()
            raw = connection.connection
        if not connection.in_atomic_block:
            raise RuntimeError("write_returning_ids needs the caller's transaction")
        pk = connection.ops.quote_name(
            str(self.model._meta.pk.column) if self.model._meta.pk else "id"
        )
        n = len(rows)
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.model._meta.db_table, str(self.model._meta.pk.column), n],
                )
                ids = [row[0] for row in cursor.fetchall()]
                sql = f"COPY {self.table} ({pk}, {self.column_list}) FROM STDIN"
                with cursor.copy(sql) as copy:
                    for key, row in zip(ids, self.rows(rows), strict=True):
                        copy.write_row((key, *row))
            return ids
        self._write(rows)
        (last,) = raw.execute("SELECT last_insert_rowid()").fetchone()
        first = last - n + 1
        (count,) = raw.execute(
            f"SELECT COUNT(*) FROM {self.table} WHERE {pk} BETWEEN ? AND ?",  # noqa: S608
            (first, last),
        ).fetchone()
        if count != n:
            raise RuntimeError("rows were not given consecutive keys")
        return list(range(first, last + 1))


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
            # UPDATE … FROM joins the pairs (PostgreSQL, SQLite ≥ 3.33) rather than running a
            # subquery per row.
            sql = (
                f"UPDATE {table} SET {target} = v.x "  # noqa: S608
                f"FROM (SELECT column1 AS k, column2 AS x FROM (VALUES {values}) AS pairs) AS v "
                f"WHERE {table}.{pk} = v.k"
            )
            cursor.execute(sql, [value for pair in chunk for value in pair])
            done += cursor.rowcount
    return done
