"""Serving-store variants of named queries (dashboard/sql/serving) and the serving indexes' date column."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.db.athena_backend import AthenaConnection
from dashboard.db.duckdb_backend import DuckDBConnection
from dashboard.db.postgres_backend import PostgresConnection
from dashboard.db.queries import DEFAULT_SQL_DIR, SERVING_VARIANT, QueryCatalog
from dashboard.db.sqlbind import compile_sql, placeholders
from dashboard.db.trino_backend import TrinoConnection
from spark_jobs.gold.tables import MART_BUY_TIMING, MART_PRICE_TREND, MART_UPDATE_STATUS, TABLES
from spark_jobs.serving.ddl import date_column, index_specs, sort_columns
from spark_jobs.serving.derived import DERIVED, ORDER_COLUMN

pytestmark = pytest.mark.unit
VARIANTS = sorted(p.stem for p in (DEFAULT_SQL_DIR / SERVING_VARIANT).glob("*.sql"))


def test_a_variant_file_replaces_the_shared_one_only_where_it_exists(tmp_path: Path) -> None:
    (tmp_path / "serving").mkdir()
    (tmp_path / "a.sql").write_text("SELECT 1 AS x;\n")
    (tmp_path / "b.sql").write_text("SELECT 2 AS x\n")
    (tmp_path / "serving" / "a.sql").write_text("SELECT 3 AS x\n")
    (tmp_path / "serving" / "c.sql").write_text("SELECT 4 AS x\n")  # no shared query: unknown
    cat = QueryCatalog(tmp_path)
    assert cat.names() == ["a", "b"]
    assert cat.sql("a") == "SELECT 1 AS x"
    assert cat.sql("a", "serving") == "SELECT 3 AS x"
    assert cat.sql("b", "serving") == "SELECT 2 AS x"
    with pytest.raises(LookupError):
        cat.sql("c", "serving")
    with pytest.raises(LookupError):
        cat.sql("a", "../x")


def test_only_the_serving_stores_read_the_variants() -> None:
    assert DuckDBConnection.sql_variant == PostgresConnection.sql_variant == SERVING_VARIANT
    assert TrinoConnection.sql_variant is None and AthenaConnection.sql_variant is None


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize("dialect", ["duckdb", "postgres"])
def test_every_variant_stands_for_a_shared_query_with_the_same_parameters(
    name: str, dialect: str
) -> None:
    cat = QueryCatalog()
    assert name in cat.names()
    assert placeholders(cat.sql(name, SERVING_VARIANT)) == placeholders(cat.sql(name))
    compile_sql(cat.sql(name, SERVING_VARIANT), dialect)


@pytest.mark.parametrize("derived", DERIVED, ids=lambda d: d.name)
def test_each_derived_table_has_a_variant_that_reads_it(derived) -> None:
    assert sorted(d.query for d in DERIVED) == VARIANTS
    assert derived.name == f"serving_{derived.query}"
    assert derived.name in QueryCatalog().sql(derived.query, SERVING_VARIANT)
    assert placeholders(derived.query_sql()) == ()  # its rows depend on the marts only
    assert derived.sources() <= {t.name for t in TABLES}
    assert derived.query_sql() == QueryCatalog().sql(derived.query)


def test_an_ordered_query_keeps_its_order_as_a_column() -> None:
    trend = next(d for d in DERIVED if d.query == "trend_items")
    sql = trend.select_sql("duckdb")
    assert (
        f"ROW_NUMBER() OVER (ORDER BY MAX(category_cd), item_cd, kind_cd, rank_cd, country_cd) AS {ORDER_COLUMN}"
        in sql
    )
    assert "ORDER BY serving_ord" in QueryCatalog().sql("trend_items", SERVING_VARIANT)


def test_a_leading_as_of_dt_is_the_date_column_of_the_forecast_marts() -> None:
    assert date_column(MART_BUY_TIMING.columns) == "as_of_dt"  # before its res_dt
    assert sort_columns(MART_BUY_TIMING.columns) == ("as_of_dt", "country_cd")
    region = {ix.suffix: ix.columns for ix in index_specs(MART_BUY_TIMING.columns)}["region"]
    assert region == ("country_cd", "as_of_dt")
    assert date_column(MART_PRICE_TREND.columns) == "res_dt"
    assert date_column(MART_UPDATE_STATUS.columns) is None  # as_of_dt, but not leading
    for spec in TABLES:  # the serving date column is the mart's incremental date column
        assert date_column(spec.columns) == spec.date_column, spec.name
