"""One-row reads and writes for the busiest page, with their SQL built once from the models.

Django compiles every query afresh, and on a question page that compiling costs more than the
database does (see bench/questionnaire_pages.py and docs/adr/0011). The recorder's draft is read and
written on every page, so those two statements are built once per database connection type from the
models' own metadata (they follow every migration: no column is named by hand) and their values go
through exactly the converters the ORM applies (`from_db_value`, the backend's type converters,
`get_db_prep_save`). Anything else uses the ORM.
"""

import functools
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import ModelIterable


@dataclass(frozen=True)
class _Column:
    field: Field
    expression: Any  # the Col the ORM would select, handed to converters as the ORM does
    converters: tuple


def _columns(model: type[Model], alias: str, connection) -> list[_Column]:
    columns = []
    for field in model._meta.concrete_fields:
        expression = field.get_col(alias)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        columns.append(_Column(field, expression, tuple(converters)))
    return columns


def _instance(model: type[Model], using: str, columns: list[_Column], values, connection) -> Model:
    converted = []
    for column, value in zip(columns, values, strict=True):
        for converter in column.converters:
            value = converter(value, column.expression, connection)
        converted.append(value)
    return model.from_db(using, [column.field.attname for column in columns], converted)


class PreparedGet:
    """`model.objects.select_related(*related).get(**{key: value})`, or None when there is no such row.

    `key` must be a unique field; `related` (optional) a foreign key, or several, each of which may be
    null, or the reverse side of a one-to-one field (a row that may be missing).
    """

    def __init__(self, model: type[Model], key: str, related: str | tuple[str, ...] | None = None):
        self.model, self.key = model, model._meta.get_field(key)
        self.related = (related,) if isinstance(related, str) else tuple(related or ())
        self.targets = [model._meta.get_field(name).related_model for name in self.related]
        self._statements: dict[
            tuple[str, str], tuple[str, list[_Column], list[tuple[list[_Column], int]]]
        ] = {}

    def _statement(self, using: str):
        connection = connections[using]
        cache_key = (using, connection.vendor)
        if cache_key not in self._statements:
            quote = connection.ops.quote_name
            table = self.model._meta.db_table
            own = _columns(self.model, table, connection)
            selected = [f"{quote(table)}.{quote(c.field.column)}" for c in own]
            join, others = "", []
            for number, (name, target) in enumerate(zip(self.related, self.targets, strict=True)):
                relation = self.model._meta.get_field(name)
                alias = "related" if number == 0 else f"related{number}"
                other = _columns(target, alias, connection)
                target_pk = next(i for i, column in enumerate(other) if column.field.primary_key)
                others.append((other, target_pk))
                selected += [f"{quote(alias)}.{quote(c.field.column)}" for c in other]
                if relation.concrete:  # a foreign key of this model
                    theirs, ours = quote(target._meta.pk.column), quote(relation.column)
                else:  # the other model's one-to-one field pointing here
                    theirs, ours = quote(relation.field.column), quote(relation.field.target_field.column)
                join += (
                    f" LEFT OUTER JOIN {quote(target._meta.db_table)} {quote(alias)}"
                    f" ON {quote(alias)}.{theirs} = {quote(table)}.{ours}"
                )
            # Names come from the models' metadata, quoted by the backend; values are parameters.
            sql = (
                f"SELECT {', '.join(selected)} FROM {quote(table)}{join}"  # noqa: S608
                f" WHERE {quote(table)}.{quote(self.key.column)} = %s"
            )
            self._statements[cache_key] = (sql, own, others)
        return self._statements[cache_key]

    def __call__(self, value, using: str = DEFAULT_DB_ALIAS) -> Model | None:
        connection = connections[using]
        sql, own, others = self._statement(using)
        rows = fetch_prepared(sql, [self.key.get_db_prep_value(value, connection)], using=using, binary=False)
        if not rows:
            return None
        row = rows[0]
        instance = _instance(self.model, using, own, row[: len(own)], connection)
        start = len(own)
        for name, target, (other, target_pk) in zip(self.related, self.targets, others, strict=True):
            values = row[start : start + len(other)]
            start += len(other)
            found = values[target_pk] is not None  # a LEFT JOIN that matched nothing gives nulls
            related = _instance(target, using, other, values, connection) if found else None
            relation = self.model._meta.get_field(name)
            if relation.concrete:
                setattr(instance, name, related)
            else:  # cached both ways as select_related does; a missing row reads as DoesNotExist
                relation.set_cached_value(instance, related)
                if related is not None:
                    relation.field.set_cached_value(related, instance)
        return instance


class PreparedUpdate:
    """`model.objects.filter(pk=instance.pk).update(...)` of the named fields, from the instance."""

    def __init__(self, model: type[Model], fields: list[str]):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self._statements: dict[tuple[str, str], str] = {}

    def _statement(self, using: str) -> str:
        connection = connections[using]
        cache_key = (using, connection.vendor)
        if cache_key not in self._statements:
            quote = connection.ops.quote_name
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in self.fields)
            # Names come from the models' metadata, quoted by the backend; values are parameters.
            self._statements[cache_key] = (
                f"UPDATE {quote(self.model._meta.db_table)} SET {assignments}"  # noqa: S608
                f" WHERE {quote(self.model._meta.pk.column)} = %s"
            )
        return self._statements[cache_key]

    def __call__(self, instance: Model, using: str = DEFAULT_DB_ALIAS) -> int:
        """Runs the UPDATE; returns how many rows it changed (0 if the row has gone)."""
        connection = connections[using]
        values = [
            field.get_db_prep_save(getattr(instance, field.attname), connection) for field in self.fields
        ]
        values.append(self.model._meta.pk.get_db_prep_value(instance.pk, connection))
        return execute_prepared(self._statement(using), values, using=using)


class PreparedList:
    """`list(make(key))`, with the query set's SQL compiled once per key and database.

    `make` must build, from a hashable `key` alone, a query set of whole rows of one model (no
    `select_related`, annotations, `defer`/`only` or `values`): its SQL and parameters are kept (up to
    `keep` keys, then forgotten together) and run again, and each row goes through the converters the
    ORM applies into an instance as `from_db` makes it. The rows themselves are read every time.
    """

    def __init__(self, make: Callable[[Hashable], QuerySet], keep: int = 4096):
        self.make, self.keep = make, keep
        self._statements: dict[tuple, tuple[type[Model], str, tuple, list[_Column]]] = {}

    def _statement(self, key: Hashable, using: str):
        connection = connections[using]
        cache_key = (using, connection.vendor, key)
        found = self._statements.get(cache_key)
        if found is None:
            queryset = self.make(key).using(using)
            model, query = queryset.model, queryset.query
            compiler = query.get_compiler(using)
            sql, params = compiler.as_sql()
            fields = [getattr(expression, "target", None) for expression, _, _ in compiler.select]
            if (
                queryset._iterable_class is not ModelIterable
                or compiler.klass_info.get("related_klass_infos")
                or query.annotation_select
                or fields != list(model._meta.concrete_fields)
            ):
                raise ValueError("PreparedList reads whole rows of one model only")
            columns = []
            for expression, _, _ in compiler.select:
                converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                    connection
                )
                columns.append(_Column(expression.target, expression, tuple(converters)))
            if len(self._statements) >= self.keep:
                self._statements.clear()
            found = self._statements[cache_key] = (model, sql, tuple(params), columns)
        return found

    def __call__(self, key: Hashable, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        connection = connections[using]
        model, sql, params, columns = self._statement(key, using)
        rows = fetch_prepared(sql, params, using=using, binary=False)
        return [_instance(model, using, columns, row, connection) for row in rows]


def _run_prepared(sql: str, params, using: str, binary: bool, read) -> Any:
    """Runs `sql` on PostgreSQL as a prepared statement (planned once per connection, when the settings
    allow prepared statements: lfpse/settings/base.py) and returns `read(cursor)`. Errors are Django's,
    the connection's execute wrappers see the statement and a debug connection logs it, as through
    `connection.cursor()`. Elsewhere (SQLite) an ordinary cursor runs it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return read(cursor)
    import psycopg

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    result = []

    def execute(sql, params, many, context):
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True, binary=binary)
            result.append(read(cursor))

    executor = execute
    for wrapper in reversed(connection.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    started = time.monotonic()
    executor(sql, params, False, {"connection": connection, "cursor": None})
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return result[0]


def fetch_prepared(
    sql: str, params: list | tuple = (), *, using: str = DEFAULT_DB_ALIAS, binary: bool = True
) -> list[tuple]:
    """The rows of a hand-written SELECT (`%s` placeholders), as a prepared statement. With `binary`,
    PostgreSQL sends the values in their binary form (vectors as bytes, not hex text to decode); the
    Python values are the same for the types the hand-written reads select (no json, no timestamps),
    so readers of whole model rows, whose converters expect Django's text forms, pass False."""
    return _run_prepared(sql, params, using, binary, lambda cursor: cursor.fetchall())


def execute_prepared(sql: str, params: list | tuple = (), *, using: str = DEFAULT_DB_ALIAS) -> int:
    """A hand-written UPDATE or DELETE as a prepared statement; how many rows it changed."""
    return _run_prepared(sql, params, using, False, lambda cursor: cursor.rowcount)
