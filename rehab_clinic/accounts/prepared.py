"""A lookup that every request runs, with its SQL worked out once per process.

Building a queryset and compiling it to SQL costs the ORM about a millisecond for the user's
lookup (the clinic joined, three `EXISTS` for the second factor), on every signed-in request and
always to the same SQL but for the id. `PreparedLookup` compiles the queryset once per database,
with a stand-in value where the id goes, and afterwards runs that SQL with the id in its place,
turning the row into model instances as Django's own iterator does (the same converters, the same
`select_related` population, the same annotations).

Only for querysets whose SQL does not depend on the value looked up (a filter on a key), the
value standing wherever `STAND_IN` stood. `PreparedCount` does the same for a queryset's
`count()` (the portal menu's unread messages, on every patient page).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections, models
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=models.Model)

# Stands in for the id while the SQL is compiled; no row has it (ids are positive).
STAND_IN = -7_319_024_561


def _stand_in_positions(params: Any) -> list[int]:
    positions = [n for n, value in enumerate(params) if value == STAND_IN]
    if not positions:
        raise ValueError("The stand-in value does not appear in the query")
    return positions


def _params_for(params: list[Any], positions: list[int], value: int) -> list[Any]:
    given = list(params)
    for position in positions:
        given[position] = value
    return given


class _Compiled:
    def __init__(self, queryset: models.QuerySet[Any], using: str) -> None:
        compiler = queryset.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        self.positions = _stand_in_positions(params)
        self.params = list(params)
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        # Django 5.2's signature; the stubs already follow a later one.
        self.populators = get_related_populators(klass_info, select, using)  # type: ignore[call-arg]
        self.annotations = list(compiler.annotation_col_map.items())
        expressions = [column[0] for column in select[0 : compiler.col_count]]
        self.converters = list(compiler.get_converters(expressions).items())


class PreparedLookup(Generic[M]):
    """`build(STAND_IN)` → the queryset; `all(value)` → its rows for `value` (`first`: the first
    one, or None)."""

    def __init__(self, build: Callable[[int], models.QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def first(self, value: int, using: str = "default") -> M | None:
        return next(iter(self.all(value, using)), None)

    def all(self, value: int, using: str = "default") -> list[M]:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled[key] = _Compiled(self._build(STAND_IN), using)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, _params_for(compiled.params, compiled.positions, value))
            rows = cursor.fetchall()
        return [self._instance(compiled, list(row), using, connection) for row in rows]

    @staticmethod
    def _instance(compiled: _Compiled, row: list[Any], using: str, connection: Any) -> M:
        for position, (converters, expression) in compiled.converters:
            cell = row[position]
            for converter in converters:
                cell = converter(cell, expression, connection)
            row[position] = cell
        obj: M = compiled.model.from_db(
            using, compiled.init_list, row[compiled.start : compiled.end]
        )
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations:
            setattr(obj, name, row[position])
        return obj


class PreparedCount:
    """`build(STAND_IN)` → a queryset; `count(value)` → its `count()` for `value`: the rows'
    keys selected by the compiled SQL, counted around it."""

    def __init__(self, build: Callable[[int], models.QuerySet[Any]]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, str], tuple[str, list[Any], list[int]]] = {}
        self._lock = threading.Lock()

    def count(self, value: int, using: str = "default") -> int:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                keys = self._build(STAND_IN).order_by().values("pk")
                sql, params = keys.query.get_compiler(using=using).as_sql()
                # Only the ORM's own compiled SQL goes in; the values stay parameters.
                counted = f"SELECT COUNT(*) FROM ({sql}) counted_rows"  # noqa: S608
                compiled = (counted, list(params), _stand_in_positions(params))
                self._compiled[key] = compiled
        sql, params, positions = compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, _params_for(params, positions, value))
            return int(cursor.fetchone()[0])
