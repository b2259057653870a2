"""Querysets compiled once per process, run many times with other values.

Some queries run on every page and cost more Python to compose and compile with the ORM
than PostgreSQL spends running them (issue 15): the user's access facts, the header's
counts. Their SQL is the same for every user, day and moment; only the parameters differ.
So the queryset is built once with stand-in values, compiled, and where each stand-in went
in the parameters is noted; a run puts the real values in those places.

A stand-in must be a value no real parameter has (a negative or far too large id, a date
in 1901), of the type the real value has: a parameter is a stand-in's place when it has the
same type and compares equal.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class CompiledQuery:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[str | None, ...]  # per parameter: the stand-in's name, or None (a constant)

    def run(self, alias: str, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row with ``values`` in the stand-ins' places (None: no row)."""
        params = [
            values[slot] if slot is not None else value
            for slot, value in zip(self.slots, self.params, strict=True)
        ]
        with connections[alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchone()


_COMPILED: dict[tuple[Hashable, str], CompiledQuery] = {}


def _slot(value: Any, stand_ins: Mapping[str, Any]) -> str | None:
    for name, stand_in in stand_ins.items():
        if type(value) is type(stand_in) and value == stand_in:
            return name
    return None


def compiled(
    key: Hashable,
    alias: str,
    build: Callable[..., QuerySet[Any]],
    stand_ins: Mapping[str, Any],
    *,
    exactly_once: Iterable[str] = (),
) -> CompiledQuery:
    """``build(**stand_ins)`` compiled for the database ``alias``, once per ``key``. Every
    stand-in must reach the parameters (those in ``exactly_once`` exactly once), else the
    query would silently run with a stand-in: then RuntimeError."""
    found = _COMPILED.get((key, alias))
    if found is None:
        sql, params = build(**stand_ins).query.get_compiler(alias).as_sql()
        slots = tuple(_slot(value, stand_ins) for value in params)
        once = set(exactly_once)
        if any(slots.count(name) != 1 if name in once else name not in slots for name in stand_ins):
            raise RuntimeError(f"the compiled query {key!r} lost a parameter: {slots}")
        found = CompiledQuery(sql=sql, params=tuple(params), slots=slots)
        _COMPILED[(key, alias)] = found
    return found
