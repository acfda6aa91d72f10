"""Fast row writing for the benchmark histories: COPY on PostgreSQL, executemany on SQLite.

The seeder knows every row it writes (it copies rows the services wrote), so it allocates ids
itself, in one block per table, and streams plain tuples. Only `rehab_clinic.demo` uses this.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import queue
import threading
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models

NULL = r"\N"
_CHUNK = 50_000
_READ = 1 << 20  # COPY reads its chunk a megabyte at a time


class JsonText(str):
    """A JSON value already encoded (once per sample row, not once per copy)."""


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def relax_checks() -> None:
    """Inside the seeding transaction on PostgreSQL: no per-row foreign-key triggers, no
    synchronous commit, and lz4 for the write-ahead log's page images and for new TOAST values.
    The rows are copies of rows the database already accepted, with ids this module allocated,
    so the checks would only repeat what is known (the copies are counted and verified by the
    tests). Uncompressed, the seed wrote about 4 GB of WAL, much of it whole pages after the
    checkpoints it caused; lz4 makes those smaller, and compresses the 20,000 program snapshots
    (7 KB of JSON each) in half pglz's time; the columns' settings are untouched. The first two
    need a superuser; anyone else keeps the defaults."""
    if not is_postgresql():
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        settings = ("session_replication_role = replica", "wal_compression = lz4",
                    "default_toast_compression = lz4")  # fmt: skip
        for setting in settings:
            cursor.execute("SAVEPOINT relax_checks")
            try:
                cursor.execute(f"SET LOCAL {setting}")
            except Exception:  # not a superuser (or no lz4): the default stays
                cursor.execute("ROLLBACK TO SAVEPOINT relax_checks")
            else:
                cursor.execute("RELEASE SAVEPOINT relax_checks")


def allocate_ids(model: type[models.Model], count: int) -> int:
    """Reserve `count` consecutive ids for `model` and return the first."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = int(cursor.fetchone()[0])
            if count > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            return first
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _text(value: Any) -> Any:
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def columns_of(model: type[models.Model], *, with_id: bool = True) -> list[str]:
    return [str(f.column) for f in model._meta.concrete_fields if with_id or not f.primary_key]


class _Sender:
    """COPYs the formatted chunks in a thread of its own, in order, while the caller formats
    the next: PostgreSQL parses and stores one chunk on the other core while Python writes the
    next (psycopg2 lets go of the GIL while it waits on the server). The connection is the
    caller's, inside its transaction; the caller runs no query of its own until `close()`."""

    def __init__(self, sql: str) -> None:
        connection.ensure_connection()
        self._sql = sql
        self._raw = connection.connection
        self._chunks: queue.Queue[io.StringIO | None] = queue.Queue(maxsize=2)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="seed-copy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with self._raw.cursor() as cursor:
            while (chunk := self._chunks.get()) is not None:
                if self._failure is None:
                    try:
                        cursor.copy_expert(self._sql, chunk, size=_READ)
                    except BaseException as failure:  # raised again in close()
                        self._failure = failure

    def send(self, chunk: io.StringIO) -> None:
        self._chunks.put(chunk)

    def close(self) -> None:
        self._chunks.put(None)
        self._thread.join()
        if self._failure is not None:
            raise self._failure


class RowWriter:
    """Collects rows for one table and writes them in chunks; `close()` writes the rest.

    Rows are in the backend's form already: `constant()` converts a value once, for every row
    that repeats it; ids (ints) need no conversion, and a missing one is `null`.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.columns = list(columns)
        self.rows: list[Sequence[Any]] = []
        self.lines: list[str] = []  # rows already in COPY's CSV (`add_lines`)
        self.written = 0
        fields = {f.column: f for f in model._meta.concrete_fields}
        self._fields = [fields[c] for c in self.columns]
        self._postgresql = is_postgresql()
        self.null: Any = NULL if self._postgresql else None
        self._sender: _Sender | None = None

    def constant(self, position: int, value: Any) -> Any:
        if self._postgresql:
            return _text(value)
        return self._prep(self._fields[position], value)

    def add(self, row: Sequence[Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= _CHUNK:
            self.flush()

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.add(row)

    @property
    def takes_lines(self) -> bool:
        """Whether rows can come as CSV text (`line`, `add_lines`): on PostgreSQL."""
        return self._postgresql

    def line(self, values: Sequence[Any]) -> str:
        """Values (converted by `constant`) as one CSV line, to build rows from by joining."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(values)
        return buffer.getvalue()

    def add_lines(self, lines: Iterable[str]) -> None:
        self.lines.extend(lines)
        if len(self.lines) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows and not self.lines:
            return
        if self._postgresql:
            self._copy()
        else:
            self._insert()
        self.written += len(self.rows) + len(self.lines)
        self.rows, self.lines = [], []

    def close(self) -> int:
        self.flush()
        if self._sender is not None:
            self._sender.close()
            self._sender = None
        return self.written

    def _copy(self) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows(self.rows)
        buffer.writelines(self.lines)
        buffer.seek(0)
        if self._sender is None:
            names = ", ".join(f'"{c}"' for c in self.columns)
            sql = (
                f"COPY {self.model._meta.db_table} ({names}) FROM STDIN "
                f"WITH (FORMAT csv, NULL '{NULL}')"
            )
            self._sender = _Sender(sql)
        self._sender.send(buffer)

    def _insert(self) -> None:
        names = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        sql = f"INSERT INTO {self.model._meta.db_table} ({names}) VALUES ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, self.rows)

    @staticmethod
    def _prep(field: models.Field[Any, Any], value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, JsonText):
            return str(value)
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        if isinstance(value, str) and isinstance(field, models.UUIDField):
            value = uuid.UUID(value)
        if isinstance(value, str) and isinstance(field, models.DecimalField):
            value = Decimal(value)
        return field.get_db_prep_value(value, connection, prepared=False)
