"""Serving tables derived from the marts at publish time, for reads too costly to run per page view.

Some parameterless named queries cost more than a page view may: ``known_codes`` (every region
and item code in the whole history of seven marts) reads every row of those marts, over a second
at five years of marts on DuckDB and tens of seconds on PostgreSQL; ``trend_items`` groups the
last two weeks of ``mart_price_trend`` with six text aggregates; ``retail_price_latest`` sorts
the newest day's 14 400 rows (300 items × 24 regions × 2 channels) by five text keys. Their rows depend on the marts
only, so the serving stores run those very queries once per publish, on the marts just
published, and keep the rows in ``serving_<query>``; the dashboard's DuckDB and PostgreSQL
backends read that table instead (``dashboard/sql/serving/<query>.sql``), Trino and Athena still
run the query on the lake. A query with an ORDER BY gets one more column, ``serving_ord``: the
row's place in that order (``row_number() OVER (ORDER BY …)`` with the query's own sort keys), so
the variant returns the rows in the same order by sorting on one integer.

A derived table is built in the same atomic publish as the marts it reads, so it always matches
them; when one of those marts is missing from the store it is not built (and a stale one is
dropped), so the dashboard gets the same error the query itself would give.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# the dashboard's named queries (read as files: spark_jobs imports nothing from dashboard)
DASHBOARD_SQL_DIR = Path(__file__).resolve().parents[2] / "dashboard" / "sql"
ORDER_COLUMN = "serving_ord"


@dataclass(frozen=True)
class DerivedTable:
    """A serving table holding the rows of a parameterless named query over the marts.

    Attributes:
        name: The serving table (``serving_…``; never a mart name).
        query: The named query (``dashboard/sql/<query>.sql``) whose rows it holds.
    """

    name: str
    query: str

    def query_sql(self, sql_dir: Path = DASHBOARD_SQL_DIR) -> str:
        """Return the named query's text (DuckDB dialect, as the dashboard reads it)."""
        text = (sql_dir / f"{self.query}.sql").read_text(encoding="utf-8")
        return text.strip().rstrip(";").strip()

    def sources(self, sql_dir: Path = DASHBOARD_SQL_DIR) -> set[str]:
        """Return the tables the query reads."""
        return source_tables(self.query_sql(sql_dir))

    def select_sql(
        self,
        dialect: str,
        rename: Mapping[str, str] | None = None,
        sql_dir: Path = DASHBOARD_SQL_DIR,
    ) -> str:
        """Return the query in ``dialect``, reading table ``rename[t]`` wherever it reads ``t``.

        Args:
            dialect: ``duckdb`` or ``postgres``.
            rename: Physical names of the marts (PostgreSQL reads the staged ``<mart>__new``).
            sql_dir: Folder of the named queries.
        """
        return render(self.query_sql(sql_dir), dialect, rename or {})


DERIVED: tuple[DerivedTable, ...] = (
    DerivedTable("serving_known_codes", "known_codes"),
    DerivedTable("serving_trend_items", "trend_items"),
    DerivedTable("serving_retail_price_latest", "retail_price_latest"),
)
DERIVED_NAMES = frozenset(d.name for d in DERIVED)


def _parse(sql: str):  # -> sqlglot.exp.Expression
    import sqlglot

    return sqlglot.parse_one(sql, read="duckdb")


def source_tables(sql: str) -> set[str]:
    """Return the names of the tables a query reads (CTE names left out)."""
    from sqlglot import exp

    tree = _parse(sql)
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table) if t.name not in ctes}


def render(sql: str, dialect: str, rename: Mapping[str, str]) -> str:
    """Return ``sql`` (DuckDB dialect) written for ``dialect`` with tables renamed per ``rename``.

    A top-level ORDER BY becomes the column :data:`ORDER_COLUMN` (``row_number()`` over the same
    sort keys), since a table keeps no row order.

    Raises:
        ValueError: The query is not a single SELECT.
    """
    from sqlglot import exp

    tree = _parse(sql)
    if not isinstance(tree, exp.Select | exp.Union):
        raise ValueError(f"a derived table needs a SELECT, got {type(tree).__name__}")
    for table in tree.find_all(exp.Table):
        if table.name in rename:
            table.set("this", exp.to_identifier(rename[table.name], quoted=True))
    order = tree.args.get("order")
    if order is not None:
        if not isinstance(tree, exp.Select):
            raise ValueError("an ordered derived query must be a plain SELECT")
        tree.set("order", None)
        ordinal = exp.Window(this=exp.RowNumber(), order=order)
        tree = tree.select(exp.alias_(ordinal, ORDER_COLUMN), copy=False)
    return tree.sql(dialect=dialect, comments=False)
