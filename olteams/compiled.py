"""Querysets compiled once per process, run many times with other values.

Some queries run on every page and cost more Python to compose and compile with the ORM
than PostgreSQL spends running them (issue 15): the user's access facts, the header's
counts, the reads of every signed-in request (session, user, second-factor device) and of
the client frame. Their SQL is the same for every user, day and moment; only the parameters
differ. So the queryset is built once with stand-in values, compiled, and where each
stand-in went in the parameters is noted; a run puts the real values in those places.

A stand-in must be a value no real parameter has (a negative or far too large id, a date
in 1901), of the type the real value has: a parameter is a stand-in's place when it has the
same type and compares equal.

They run as prepared statements (``prepared_cursor``): PostgreSQL parses and plans each
once per connection instead of on every request. Parsing and planning the client file's
statements cost PostgreSQL more than running them (~4 of ~9 ms per request).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.models import Model, QuerySet

# orm_query, ModelIterable, get_related_populators: ModelIterable's own helpers, so the
# instances are made exactly as the ORM makes them.
from django.db.models import query as orm_query
from django.db.models.expressions import DatabaseDefault
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
from psycopg.pq import Format

# Django opens its connections with psycopg's preparation off (``prepare_threshold`` None),
# since its cursors bind values on the client and cannot use it. A prepared cursor needs
# it on; the threshold is out of reach so that nothing else is ever prepared implicitly.
_PREPARE_THRESHOLD = 2**31 - 1


# psycopg's Cursor with Django's mixin; the stubs know neither's execute.
_ServerBindingCursor: Any = ServerBindingCursor


class _PreparedCursor(_ServerBindingCursor):
    """Django's server-binding cursor whose every statement is prepared (psycopg keeps the
    connection's most recent ``prepared_max`` statements, 100 by default).

    There is one per connection, for all its prepared statements (``prepared_cursor``),
    and it keeps psycopg's transformer (the loaders and dumpers of the connection's
    adapters, made per type once) from one statement to the next, as psycopg itself does
    for a statement run again. A new cursor and transformer per statement made each
    statement build its loaders anew: ~60 µs of every statement (issue 15)."""

    in_use = False  # handed out by prepared_cursor and not closed since

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        return super().execute(query, params, prepare=True, **kwargs)

    def _start_query(self, query: Any = None) -> Any:
        if getattr(self, "_tx", None) is not None:
            self._last_query = query  # psycopg keeps the transformer for "the same query"
        return super()._start_query(query)

    def close(self) -> None:
        """The end of one statement's use (Django closes its cursors after each): the
        results go, the cursor stays for the connection's next prepared statement."""
        self._reset()
        self.in_use = False


def prepared_cursor(alias: str = "default") -> Any:
    """A cursor of the connection ``alias`` whose statements PostgreSQL parses and plans
    once per connection: values bound on the server (``%s`` and ``%(name)s`` as always),
    wrapped by Django as its own cursors are (query logging and counting, error
    translation), time zone as Django's. For statements of a fixed text run on every
    request; values must have a type PostgreSQL can infer (a cast where it cannot).

    The connection's one prepared cursor, unless it is in use (a block within another's):
    then a cursor of its own."""
    connection: Any = connections[alias]  # _prepare_cursor: Django's own wrapping step
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _PREPARE_THRESHOLD
    cursor = getattr(connection, "_olteams_prepared_cursor", None)
    if cursor is None or cursor.connection is not raw or cursor.closed or cursor.in_use:
        with connection.wrap_database_errors:
            fresh = _PreparedCursor(raw)
            tzloader = raw.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
            if connection.timezone != tzloader.timezone:
                register_tzloader(connection.timezone, fresh)
        if cursor is None or not cursor.in_use:
            connection._olteams_prepared_cursor = fresh
        cursor = fresh
    cursor.in_use = True
    return connection._prepare_cursor(cursor)


@dataclass(frozen=True)
class CompiledQuery:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[str | None, ...]  # per parameter: the stand-in's name, or None (a constant)

    def _params(self, values: Mapping[str, Any]) -> list[Any]:
        """The parameters with ``values`` in the stand-ins' places."""
        return [
            values[slot] if slot is not None else value
            for slot, value in zip(self.slots, self.params, strict=True)
        ]

    def run(self, alias: str, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row with ``values`` in the stand-ins' places (None: no row)."""
        with prepared_cursor(alias) as cursor:
            cursor.execute(self.sql, self._params(values))
            return cursor.fetchone()

    def run_all(self, alias: str, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row with ``values`` in the stand-ins' places."""
        with prepared_cursor(alias) as cursor:
            cursor.execute(self.sql, self._params(values))
            return cursor.fetchall()


@dataclass(frozen=True)
class CompiledObjects:
    """A compiled queryset of model instances: the rows become instances as Django's own
    ``ModelIterable`` makes them (the model's columns, ``select_related`` ones, the
    database converters), without composing and compiling the queryset again."""

    query: CompiledQuery
    from_db: Callable[..., Model]
    init_list: tuple[str, ...]
    start: int
    end: int
    populators: tuple[Any, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...] = field(default=())
    # Annotations: (attribute, column), set on each instance as ModelIterable does.
    annotations: tuple[tuple[str, int], ...] = field(default=())

    def all(self, alias: str, values: Mapping[str, Any]) -> list[Any]:
        rows = self.query.run_all(alias, values)
        if self.converters:
            connection = connections[alias]
            rows = [self._convert(row, connection) for row in rows]
        found = []
        for row in rows:
            obj = self.from_db(alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, pos in self.annotations:
                setattr(obj, name, row[pos])
            found.append(obj)
        return found

    def _convert(self, row: tuple[Any, ...], connection: Any) -> tuple[Any, ...]:
        values = list(row)
        for pos, convs, expression in self.converters:
            value = values[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            values[pos] = value
        return tuple(values)


_COMPILED: dict[tuple[Hashable, str], CompiledQuery] = {}
_COMPILED_OBJECTS: dict[tuple[Hashable, str], CompiledObjects] = {}


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
        found = _with_slots(key, sql, params, stand_ins, exactly_once)
        _COMPILED[(key, alias)] = found
    return found


def compiled_objects(
    key: Hashable,
    alias: str,
    build: Callable[..., QuerySet[Any]],
    stand_ins: Mapping[str, Any],
    *,
    exactly_once: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> CompiledObjects:
    """As ``compiled``, for a queryset of model instances (``select_related``, ``only`` and
    ``annotate`` allowed; no ``extra``, no ``prefetch_related``, no known related objects).
    A stand-in in ``optional`` may be absent from the parameters (a value the query may
    use or not)."""
    found = _COMPILED_OBJECTS.get((key, alias))
    if found is None:
        queryset: Any = build(**stand_ins)  # its private attributes are not in the stubs
        query = queryset.query
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
            or query.extra_select
            or queryset._fetch_mode.track_peers
        ):
            raise ValueError(f"the compiled query {key!r} is not a plain model read")
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        select, klass_info = compiler.select, compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        fetch_mode = queryset._fetch_mode
        converters = compiler.get_converters([s[0] for s in select[0 : compiler.col_count]])
        found = CompiledObjects(
            query=_with_slots(key, sql, params, stand_ins, exactly_once, optional),
            from_db=orm_query._get_from_db(klass_info["model"], fetch_mode),  # type: ignore[attr-defined]
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            start=start,
            end=end,
            populators=tuple(get_related_populators(klass_info, select, alias, fetch_mode)),
            converters=tuple(
                (pos, tuple(convs), expression) for pos, (convs, expression) in converters.items()
            ),
            annotations=tuple(compiler.annotation_col_map.items()),
        )
        _COMPILED_OBJECTS[(key, alias)] = found
    return found


def _with_slots(
    key: Hashable,
    sql: str,
    params: Iterable[Any],
    stand_ins: Mapping[str, Any],
    exactly_once: Iterable[str],
    optional: Iterable[str] = (),
) -> CompiledQuery:
    params = tuple(params)
    slots = tuple(_slot(value, stand_ins) for value in params)
    once, may_lack = set(exactly_once), set(optional)
    if any(
        slots.count(name) != 1 if name in once else name not in slots and name not in may_lack
        for name in stand_ins
    ):
        raise RuntimeError(f"the compiled query {key!r} lost a parameter: {slots}")
    return CompiledQuery(sql=sql, params=params, slots=slots)


def read_objects(
    key: Hashable,
    model: type[Model],
    build: Callable[..., QuerySet[Any]],
    stand_ins: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    exactly_once: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> list[Any]:
    """``build`` compiled with ``compiled_objects`` for the database the routers read
    ``model`` from, run with ``values``."""
    alias = router.db_for_read(model)
    read = compiled_objects(
        (key, model._meta.label),
        alias,
        build,
        stand_ins,
        exactly_once=exactly_once,
        optional=optional,
    )
    return read.all(alias, values)


def read_object(
    key: Hashable,
    model: type[Model],
    build: Callable[..., QuerySet[Any]],
    stand_ins: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    exactly_once: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> Any:
    """The first instance ``read_objects`` gives, or None."""
    found = read_objects(
        key, model, build, stand_ins, values, exactly_once=exactly_once, optional=optional
    )
    return found[0] if found else None


# --- inserts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompiledInsert:
    """The ORM's INSERT of one new instance of a model, with RETURNING of the fields the
    database fills: ``fields`` have a parameter each, in order; ``defaults`` are written as
    the database's default (``db_default``, left at ``DatabaseDefault`` on the instance)."""

    sql: str
    fields: tuple[Any, ...]
    defaults: frozenset[Any]
    returning: tuple[Any, ...]


_INSERTS: dict[tuple[type[Model], str], CompiledInsert] = {}


def _compiled_insert(model: type[Model], alias: str) -> CompiledInsert:
    """Compiled by Django's own insert compiler, from a new instance with every field at its
    default, as ``Model._save_table`` would: all local concrete fields but the auto id."""
    key = (model, alias)
    found = _INSERTS.get(key)
    if found is not None:
        return found
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
    sample = model()
    defaults = {f for f in fields if isinstance(getattr(sample, f.attname), DatabaseDefault)}
    returning = list(meta.db_returning_fields)
    returning += [f for f in defaults if f not in returning]
    query = InsertQuery(model)
    query.insert_values(fields, [sample])
    compiler = query.get_compiler(using=alias)
    compiler.returning_fields = returning
    [(sql, params)] = compiler.as_sql()
    with_parameter = tuple(f for f in fields if f not in defaults)
    if len(params) != len(with_parameter):  # pragma: no cover - Django's compiler changed
        raise ImproperlyConfigured(f"cannot compile the INSERT of {meta.label}: {sql}")
    found = _INSERTS[key] = CompiledInsert(
        sql, with_parameter, frozenset(defaults), tuple(returning)
    )
    return found


def insert_new(instance: Model) -> None:
    """``instance.save()`` of a new instance whose id the database assigns: the same signals,
    values, INSERT and returned fields, the statement compiled once per process and prepared.
    For rows written on every request (the audit event of a page view), where composing and
    compiling the ORM's INSERT cost ~1 ms of Python each time (issue 15). An instance of an
    inherited model, with its id set, or with an expression for a value is saved by the ORM."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    if model._meta.parents or instance.pk is not None:
        instance.save(force_insert=True, using=alias)
        return
    insert = _compiled_insert(model, alias)
    if any(
        hasattr(getattr(instance, f.attname), "resolve_expression") for f in insert.fields
    ) or not all(
        isinstance(getattr(instance, f.attname), DatabaseDefault) for f in insert.defaults
    ):
        instance.save(force_insert=True, using=alias)
        return
    pre_save.send(sender=model, instance=instance, raw=False, using=alias, update_fields=None)
    connection = connections[alias]
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in insert.fields]
    with transaction.mark_for_rollback_on_error(alias), prepared_cursor(alias) as cursor:
        cursor.execute(insert.sql, params)
        row = cursor.fetchone()
    for f, value in zip(insert.returning, row, strict=True):
        setattr(instance, f.attname, value)
    instance._state.adding = False
    instance._state.db = alias
    post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias
    )
