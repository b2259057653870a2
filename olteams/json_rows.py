"""A client's (or a user's) rows of another table read along with its own row, as JSON.

Every statement of a page costs a round trip and PostgreSQL's and psycopg's fixed work per
statement, often more than the rows themselves (issue 15). Where a page reads the client
anyway (``access_client`` with ``annotate``), a few small sets of the client's rows can
come with that row (and the signed-in user's second-factor devices with the user's):
``JsonRows.annotation`` is a correlated subquery that aggregates the rows (with one
``select_related`` relation) into a JSON array of arrays, and
``JsonRows.instances`` makes them model instances as the ORM does: every concrete field,
converted back by its type (dates and timestamps parsed, the rest as JSON gives it), the
related instance cached on the relation.

Only for fields whose JSON form the field converts back exactly: text, numbers, booleans,
dates and timestamps (``timestamptz`` in JSON carries its offset). Other kinds are refused
when the reader is made, not at run time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import Field, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONArray

_SAME = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def _identity(value: Any) -> Any:
    return value


def _converter(field: Field) -> Callable[[Any], Any]:
    kind = field.get_internal_type()
    if kind in _SAME:
        return _identity
    if kind == "DateField":
        return dt.date.fromisoformat
    if kind == "DateTimeField":
        # PostgreSQL writes the session's offset (+00:00): an aware datetime in UTC.
        return dt.datetime.fromisoformat
    raise TypeError(f"{field} ({kind}) has no exact JSON form for json_rows")


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    prefix: str  # "" for the model itself, "worker__" for a related one
    attnames: tuple[str, ...]
    converters: tuple[Callable[[Any], Any], ...]

    @classmethod
    def of(cls, model: type[Model], prefix: str = "") -> _Part:
        fields = model._meta.concrete_fields
        return cls(
            model,
            prefix,
            tuple(f.attname for f in fields),
            tuple(_converter(f) for f in fields),
        )

    def columns(self) -> list[str]:
        return [f"{self.prefix}{name}" for name in self.attnames]

    def build(self, db: str | None, values: Sequence[Any]) -> Model:
        return self.model.from_db(
            db,
            self.attnames,
            [None if v is None else c(v) for c, v in zip(self.converters, values, strict=True)],
        )


class JsonRows:
    """The rows of ``model`` whose ``client_field`` is the outer row (a client, or a user),
    with the related instance of ``related`` (a forward relation, as ``select_related``)
    if given."""

    def __init__(
        self, model: type[Model], *, client_field: str = "client", related: str = ""
    ) -> None:
        self.model = model
        self.client_field = client_field
        self.own = _Part.of(model)
        # A forward relation (ForeignKey, OneToOneField): its field caches the instance.
        field: Any = model._meta.get_field(related) if related else None
        self.related_field = field
        self.related = _Part.of(field.related_model, f"{related}__") if field is not None else None

    def annotation(self, order_by: Sequence[str]) -> Subquery:
        """The correlated subquery: a JSON array of the rows (each an array of the model's
        columns, then the related model's), in ``order_by``; NULL without rows."""
        columns = self.own.columns() + (self.related.columns() if self.related else [])
        key = f"{self.client_field}_id"
        rows: QuerySet[Any] = (
            self.model._default_manager.filter(**{key: OuterRef("pk")})
            .order_by()
            .values(key)
            .annotate(rows=JSONBAgg(JSONArray(*columns), order_by=order_by))
            .values("rows")
        )
        return Subquery(rows)

    def instances(self, db: str | None, rows: Any) -> list[Model]:
        """The annotation's value as instances, in its order."""
        if not rows:
            return []
        width = len(self.own.attnames)
        found = []
        for row in rows:
            obj = self.own.build(db, row[:width])
            if self.related is not None:
                other = row[width:]
                target = None if other[0] is None else self.related.build(db, other)
                self.related_field.set_cached_value(obj, target)
            found.append(obj)
        return found
