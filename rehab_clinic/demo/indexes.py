"""The bulk copies' tables without their secondary indexes while the rows arrive (PostgreSQL).

Keeping a B-tree up to date row by row during COPY cost the seed about half its wall time (seven
indexes on the ticks, nine on the audit events, one of them on a random hash). Building an index
once over the finished table is one sort. `secondary_indexes_deferred` drops every index of the
given tables except the primary keys (and a unique constraint a foreign key depends on), and
creates each again from its own definition, as `pg_get_indexdef` and `pg_get_constraintdef`
print it, so the schema afterwards is the one the migrations made. Everything happens inside
the caller's transaction: if the seed fails, the rollback brings the indexes back too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, models

from rehab_clinic.demo.rowcopy import is_postgresql

# One sort per index: enough memory to sort the largest (3.9 M ticks) without spilling much.
MAINTENANCE_WORK_MEM = "512MB"

# Every index of the tables but the primary keys, with the constraint it backs (if any). A
# unique constraint a foreign key points at cannot be dropped on its own, so it stays; so do
# partial indexes, whose predicate PostgreSQL prints back in another (equivalent) spelling
# (`IN (...)` becomes `= ANY (ARRAY[...])`), which would leave the schema textually changed.
_SECONDARY = """
SELECT t.relname, c.relname, pg_get_indexdef(i.indexrelid), con.conname,
       pg_get_constraintdef(con.oid)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
     AND con.contype IN ('u', 'x')
WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
  AND NOT i.indisprimary AND i.indpred IS NULL
  AND NOT EXISTS (
      SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid
  )
ORDER BY t.relname, c.relname
"""


@dataclass(frozen=True)
class Secondary:
    table: str
    index: str
    definition: str  # CREATE [UNIQUE] INDEX ... as PostgreSQL prints it
    constraint: str | None  # the unique or exclusion constraint the index backs
    constraint_definition: str | None


def secondary_indexes(tables: Sequence[str]) -> list[Secondary]:
    with connection.cursor() as cursor:
        cursor.execute(_SECONDARY, [list(tables)])
        return [Secondary(*row) for row in cursor.fetchall()]


@contextmanager
def _no_pending_checks() -> Iterator[None]:
    """PostgreSQL alters no table with foreign-key checks still deferred on it (rows written
    earlier in the transaction): run them now, and defer them again afterwards, as Django's
    foreign keys are (DEFERRABLE INITIALLY DEFERRED)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _statement(index: Secondary, *, create: bool) -> str:
    quote = connection.ops.quote_name
    if index.constraint is None:
        return index.definition if create else f"DROP INDEX {quote(index.index)}"
    change = f"ADD CONSTRAINT {quote(index.constraint)} {index.constraint_definition}"
    if not create:
        change = f"DROP CONSTRAINT {quote(index.constraint)}"
    return f"ALTER TABLE {quote(index.table)} {change}"


def _run(found: Sequence[Secondary], *, create: bool) -> None:
    with _no_pending_checks(), connection.cursor() as cursor:
        for index in found:
            cursor.execute(_statement(index, create=create))


@contextmanager
def secondary_indexes_deferred(tables: Sequence[type[models.Model]]) -> Iterator[None]:
    """Inside a transaction: the tables' secondary indexes dropped for the block, then rebuilt
    (on PostgreSQL; elsewhere the block just runs)."""
    if not is_postgresql():
        yield
        return
    found = secondary_indexes([model._meta.db_table for model in tables])
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
    _run(found, create=False)
    yield
    _run(found, create=True)
