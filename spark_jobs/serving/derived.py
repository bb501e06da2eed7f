"""Serving tables derived from the marts at publish time, for reads too costly to run per page view.

``known_codes`` (dashboard/sql/known_codes.sql: every region and item code in the whole history
of seven marts) has to read every row of those marts: over a second at five years of marts on
DuckDB and tens of seconds on PostgreSQL. The serving stores therefore run that very query once
per publish, on the marts just published, and keep its rows in ``serving_known_codes``; the
dashboard's DuckDB and PostgreSQL backends read that table instead
(dashboard/sql/serving/known_codes.sql), Trino and Athena still run the query on the lake. The
table is built in the same atomic publish as the marts it is derived from, so it always matches
them; when a mart it reads is missing from the store it is not built (and a stale one is
dropped), so the dashboard gets the same error the query itself would give.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# the dashboard's named queries (read as files: spark_jobs imports nothing from dashboard)
DASHBOARD_SQL_DIR = Path(__file__).resolve().parents[2] / "dashboard" / "sql"


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


DERIVED: tuple[DerivedTable, ...] = (DerivedTable("serving_known_codes", "known_codes"),)
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
    """Return ``sql`` (DuckDB dialect) written for ``dialect`` with tables renamed per ``rename``."""
    from sqlglot import exp

    tree = _parse(sql)
    for table in tree.find_all(exp.Table):
        if table.name in rename:
            table.set("this", exp.to_identifier(rename[table.name], quoted=True))
    return tree.sql(dialect=dialect, comments=False)
