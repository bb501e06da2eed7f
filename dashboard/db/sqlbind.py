"""Turn a named query (DuckDB dialect, ``:name`` placeholders) into SQL and bound parameters for a driver.

The query is parsed once with sqlglot; each ``:name`` becomes the driver's placeholder (DuckDB
``$name``, psycopg2 ``%(name)s``, Trino/Athena ``?`` in order), an ``IN (:names)`` with a list
value becomes one placeholder per element, and the tree is written in the target dialect. Values
never enter the SQL text. Translations are cached per (text, dialect, list lengths).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from dashboard.db.base import MissingParameterError, QueryError

SOURCE_DIALECT = "duckdb"
STYLES = {"duckdb": "dollar", "postgres": "pyformat", "trino": "qmark", "athena": "qmark"}
_SENTINEL = re.compile(r"__jbgp(\w+?)jbgp__")


@dataclass(frozen=True)
class BoundQuery:
    """SQL for one driver plus the values to bind: a dict (named styles) or a list (``?``)."""

    sql: str
    params: dict[str, object] | list[object]


def is_list_value(value: object) -> bool:
    """Return True for values that expand an ``IN (:name)`` list (list, tuple, set)."""
    return isinstance(value, list | tuple | set | frozenset)


def _parse(sql: str) -> exp.Expression:
    try:
        trees = sqlglot.parse(sql, read=SOURCE_DIALECT)
    except ParseError as e:
        raise QueryError(f"cannot parse query: {e}") from e
    trees = [t for t in trees if t is not None]
    if len(trees) != 1:
        raise QueryError(f"a named query must be exactly one statement, got {len(trees)}")
    return trees[0]


@lru_cache(maxsize=256)
def placeholders(sql: str) -> tuple[str, ...]:
    """Return the distinct ``:name`` placeholders of a query, in first-use order.

    Raises:
        QueryError: The query does not parse, or uses anonymous ``?`` placeholders.
    """
    names: list[str] = []
    for node in _parse(sql).find_all(exp.Placeholder, bfs=False):
        if not node.this:
            raise QueryError("use named :name placeholders, not ?")
        if node.name not in names:
            names.append(node.name)
    return tuple(names)


@lru_cache(maxsize=1024)
def compile_sql(
    sql: str, dialect: str, list_lengths: tuple[tuple[str, int], ...] = ()
) -> tuple[str, tuple[str, ...]]:
    """Translate a query for ``dialect`` and return (driver SQL, parameter keys in placeholder order).

    Args:
        sql: The named query (DuckDB dialect, ``:name`` placeholders).
        dialect: ``duckdb``, ``postgres``, ``trino`` or ``athena``.
        list_lengths: (name, length) of list parameters; element i binds as key ``name__i``.

    Raises:
        QueryError: Unknown dialect, unparsable SQL, or a list used outside ``IN (…)``.
    """
    if dialect not in STYLES:
        raise QueryError(f"unknown dialect {dialect!r}")
    lengths = dict(list_lengths)
    tree = _parse(sql)
    for node in list(tree.find_all(exp.Placeholder)):
        name = node.name
        if not node.this:
            raise QueryError("use named :name placeholders, not ?")
        if name not in lengths:
            node.replace(exp.Var(this=f"__jbgp{name}jbgp__"))
            continue
        parent = node.parent
        if (
            not isinstance(parent, exp.In)
            or node not in parent.expressions
            or len(parent.expressions) != 1
        ):
            raise QueryError(f"list parameter :{name} must stand alone in IN (:{name})")
        n = lengths[name]
        if n == 0:
            parent.replace(exp.false())  # x IN () matches nothing; NOT x IN () then matches all
        else:
            parent.set("expressions", [exp.Var(this=f"__jbgp{name}__{i}jbgp__") for i in range(n)])
    if dialect == "duckdb":
        # PostgreSQL rounds NUMERIC (sqlglot casts there), DuckDB the binary double: 12.35 → 12.4 vs
        # 12.3. Round a decimal in DuckDB too, so every backend shows the same (schoolbook) digits.
        for node in list(tree.find_all(exp.Round)):
            if node.args.get("decimals") is not None:
                node.set("this", exp.cast(node.this.copy(), exp.DataType.build("DECIMAL(38, 9)")))
    text = tree.sql(dialect=dialect, comments=False)
    style = STYLES[dialect]
    keys: list[str] = []

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        keys.append(key)
        return {"dollar": f"${key}", "pyformat": f"%({key})s", "qmark": "?"}[style]

    if style == "pyformat":
        text = text.replace("%", "%%")
    return _SENTINEL.sub(sub, text), tuple(keys)


def plain_value(value: object) -> object:
    """Return a driver-friendly Python value (numpy scalars → Python, pandas Timestamp → datetime/date)."""
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return value.item()  # type: ignore[attr-defined]
    if type(value).__name__ == "Timestamp" and hasattr(value, "to_pydatetime"):
        ts = value.to_pydatetime()  # type: ignore[attr-defined]
        return ts.date() if ts == dt.datetime.combine(ts.date(), dt.time(), ts.tzinfo) else ts
    return value


def bind(
    sql: str, params: Mapping[str, object], dialect: str, query_name: str = "query"
) -> BoundQuery:
    """Prepare ``sql`` for ``dialect`` with ``params`` bound in the driver's style.

    Raises:
        MissingParameterError: A placeholder has no value.
        QueryError: A list value for a placeholder that is not ``IN (:name)``, or bad SQL.
    """
    needed = placeholders(sql)
    missing = [n for n in needed if n not in params]
    if missing:
        raise MissingParameterError(
            f"query {query_name!r} needs parameter(s): {', '.join(missing)}"
        )
    list_lengths = tuple(sorted((n, len(params[n])) for n in needed if is_list_value(params[n])))  # type: ignore[arg-type]
    text, keys = compile_sql(sql, dialect, list_lengths)
    values: dict[str, object] = {}
    for n in needed:
        v = params[n]
        if is_list_value(v):
            items = sorted(v, key=str) if isinstance(v, set | frozenset) else list(v)  # type: ignore[arg-type]
            for i, item in enumerate(items):
                values[f"{n}__{i}"] = plain_value(item)
        else:
            values[n] = plain_value(v)
    if STYLES[dialect] == "qmark":
        return BoundQuery(text, [values[k] for k in keys])
    return BoundQuery(text, {k: values[k] for k in dict.fromkeys(keys)})
