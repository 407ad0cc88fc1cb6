"""Queries run on every request, compiled to SQL once per process.

Building a queryset and compiling it (joins, annotations, subqueries) costs
more Python time than the database takes to answer a lookup by primary key.
For the few queries every signed-in request runs, :class:`CompiledOnce`
asks the ORM for the SQL once, with a stand-in for the one parameter that
changes, and afterwards only executes that SQL and turns its rows into model
instances the way the ORM's own iterator does (``select_related`` objects and
annotations included), so what the caller gets is the same.

Only for models outside the municipality boundary (users, sessions): the
scope of a municipality-owned model's queryset is a parameter of the
request, and a statement compiled once would keep the first request's
municipality. Such a model is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import get_related_populators

# A primary key no row has: marks the parameter to replace.
STAND_IN_ID = -739_164_253


class CompiledOnce:
    """``CompiledOnce(lambda pk: Model.objects.select_related(...).filter(pk=pk))``;
    ``.first(pk)`` returns the first instance for that value, or None.
    ``stand_in`` is a value of the parameter's type that no row has."""

    def __init__(self, build: Callable, stand_in=STAND_IN_ID):
        self._build = build
        self._stand_in = stand_in
        self._prepared: dict[str, tuple] = {}

    def _prepare(self, using: str) -> tuple:
        prepared = self._prepared.get(using)
        if prepared is None:
            queryset = self._build(self._stand_in)
            from .models import MunicipalityOwned

            if issubclass(queryset.model, MunicipalityOwned):
                raise TypeError("a municipality-owned model's query depends on the request")
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            params = list(params)
            if params.count(self._stand_in) != 1:
                raise ValueError("the query must use its parameter exactly once")
            klass_info, select = compiler.klass_info, compiler.select
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            prepared = (
                compiler,
                sql,
                params,
                params.index(self._stand_in),
                klass_info["model"],
                [f[0].target.attname for f in select[start:end]],
                (start, end),
                get_related_populators(klass_info, select, using),
                dict(compiler.annotation_col_map),
            )
            self._prepared[using] = prepared
        return prepared

    def first(self, value, using: str = "default"):
        (compiler, sql, params, index, model, init_list, (start, end), populators, annotations) = (
            self._prepare(using)
        )
        params = list(params)
        params[index] = value
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchmany(1)
        for row in compiler.results_iter([rows]):
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            return obj
        return None


class AggregatesOnce:
    """Aggregate queries whose SQL is built by the ORM once per key and per
    process, and afterwards only executed.

    A report's figures are a few aggregate statements with dozens of
    filtered sums: building and compiling them costs the ORM several
    milliseconds of CPU per request — more than PostgreSQL takes to run
    them — while their text changes only with what they are computed for.
    ``figures = REPORT.aggregate(key, build)`` runs ``build()`` (which must
    return ``(queryset, {name: aggregate})``) the first time for ``key``,
    records the one statement the ORM sends and the names of its columns,
    and afterwards executes that statement again, reading fresh rows every
    time: the SQL is reused, never the figures.

    The key must name everything the statement depends on (the day, a
    filter's value); the municipality scope of the request is added to it
    here. Only on PostgreSQL, whose driver returns the same types as the
    ORM's converters (a test holds that); elsewhere the ORM runs every time.
    """

    # Statements kept per process: a few kilobytes each; a report keeps
    # about ten per municipality, filter and day, so 98 municipalities'
    # dashboards and loan books fit. The oldest goes first when it is full.
    MAX_KEYS = 4096

    def __init__(self):
        self._statements: dict = {}

    def _remember(self, key, statement) -> None:
        while len(self._statements) >= self.MAX_KEYS:
            try:
                self._statements.pop(next(iter(self._statements)))
            except (StopIteration, KeyError, RuntimeError):  # emptied by another thread
                break
        self._statements[key] = statement

    def aggregate(self, key, build, using: str = "default") -> dict:
        from .tenancy import current_scope

        connection = connections[using]
        if connection.vendor != "postgresql":
            queryset, aggregates = build()
            return queryset.using(using).aggregate(**aggregates)
        full_key = (using, current_scope(), key)
        statement = self._statements.get(full_key)
        if statement is not None:
            sql, params, names = statement
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
            return dict(zip(names, row, strict=True))
        sent = []

        def record(execute, sql, params, many, context):
            sent.append((sql, params))
            return execute(sql, params, many, context)

        queryset, aggregates = build()
        with connection.execute_wrapper(record):
            result = queryset.using(using).aggregate(**aggregates)
        if len(sent) == 1 and list(result) == list(aggregates):
            sql, params = sent[0]
            self._remember(full_key, (sql, params, list(result)))
        return result

    def rows(self, key, build, using: str = "default") -> list[tuple]:
        """The rows of a ``values_list()`` query (``build()`` returns it),
        its SQL compiled by the ORM once per key, municipality scope and
        process (:meth:`sql`), as tuples. Only on PostgreSQL (elsewhere the
        ORM runs every time), and only for columns the driver returns as the
        ORM would (numbers, text, dates, aware datetimes; no JSON or
        converted fields)."""
        connection = connections[using]
        if connection.vendor != "postgresql":
            return [tuple(row) for row in build().using(using)]

        def compiled():
            try:
                return build().using(using).query.sql_with_params()
            except EmptyResultSet:
                return None, ()

        sql, params = self.sql(("rows", key), compiled, using)
        if sql is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def sql(self, key, build, using: str = "default") -> tuple[str, list]:
        """A statement written over the ORM's SQL (``build()`` returns
        ``(sql, params)``), built once per key, municipality scope and
        process. The key must name everything the text and the parameters
        depend on."""
        from .tenancy import current_scope

        full_key = (using, current_scope(), "sql", key)
        statement = self._statements.get(full_key)
        if statement is None:
            statement = build()
            self._remember(full_key, statement)
        return statement
