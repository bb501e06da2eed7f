"""Named-query translation: placeholders per driver, IN lists, dialects, errors, caching."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.db.base import MissingParameterError, QueryError
from dashboard.db.sqlbind import bind, compile_sql, placeholders, plain_value

pytestmark = pytest.mark.unit

SQL = "SELECT item_nm, price FROM mart_buy_signal WHERE country_cd = :country_cd AND res_dt = :res_dt AND item_cd IN (:item_cds) ORDER BY price"
D = dt.date(2026, 11, 27)


def test_placeholders_in_first_use_order():
    assert placeholders(SQL) == ("country_cd", "res_dt", "item_cds")
    assert placeholders("SELECT 1 WHERE :a = 1 OR :b = 2 OR :a = 3") == ("a", "b")


@pytest.mark.parametrize(
    ("dialect", "fragment", "params"),
    [
        (
            "duckdb",
            "country_cd = $country_cd AND res_dt = $res_dt AND item_cd IN ($item_cds__0, $item_cds__1)",
            {"country_cd": "1101", "res_dt": D, "item_cds__0": "211", "item_cds__1": "212"},
        ),
        (
            "postgres",
            "country_cd = %(country_cd)s AND res_dt = %(res_dt)s AND item_cd IN (%(item_cds__0)s, %(item_cds__1)s)",
            {"country_cd": "1101", "res_dt": D, "item_cds__0": "211", "item_cds__1": "212"},
        ),
        ("trino", "country_cd = ? AND res_dt = ? AND item_cd IN (?, ?)", ["1101", D, "211", "212"]),
        (
            "athena",
            "country_cd = ? AND res_dt = ? AND item_cd IN (?, ?)",
            ["1101", D, "211", "212"],
        ),
    ],
)
def test_each_driver_gets_its_placeholders_and_values_separately(dialect, fragment, params):
    evil = "1101' OR '1'='1"
    bound = bind(
        SQL, {"country_cd": "1101", "res_dt": D, "item_cds": ["211", "212"], "unused": 1}, dialect
    )
    assert fragment in bound.sql
    assert bound.params == params
    # the value never reaches the text
    assert evil not in bind(SQL, {"country_cd": evil, "res_dt": D, "item_cds": [evil]}, dialect).sql


def test_positional_order_follows_the_text_with_repeats():
    bound = bind(
        "SELECT 1 FROM t WHERE a = :x AND b = :y AND c = :x", {"x": 1, "y": "two"}, "trino"
    )
    assert bound.sql == "SELECT 1 FROM t WHERE a = ? AND b = ? AND c = ?"
    assert bound.params == [1, "two", 1]


def test_dialect_differences_are_translated():
    sql = "SELECT strftime(res_dt, '%Y-%m') AS ym, ROUND(avg(price), 1) AS p FROM t WHERE res_dt > CAST(:d AS DATE) - INTERVAL 7 DAY AND nm LIKE '%' || :q || '%' GROUP BY ym"
    pg = bind(sql, {"d": D, "q": "배"}, "postgres").sql
    assert "TO_CHAR(res_dt, 'YYYY-MM')" in pg
    assert "INTERVAL '7 DAY'" in pg
    # literal % doubled for psycopg2's pyformat; placeholders untouched
    assert "LIKE '%%' || %(q)s || '%%'" in pg
    trino = bind(sql, {"d": D, "q": "배"}, "trino").sql
    assert "DATE_FORMAT(res_dt, '%Y-%m')" in trino and "CAST(? AS VARCHAR)" in trino
    duck = bind(sql, {"d": D, "q": "배"}, "duckdb").sql
    assert "ROUND(CAST(AVG(price) AS DECIMAL(38, 9)), 1)" in duck


def test_empty_list_matches_nothing_and_not_in_empty_matches_all():
    assert "WHERE FALSE" in bind("SELECT 1 FROM t WHERE a IN (:xs)", {"xs": []}, "postgres").sql
    assert (
        "WHERE NOT FALSE" in bind("SELECT 1 FROM t WHERE NOT a IN (:xs)", {"xs": ()}, "duckdb").sql
    )


def test_sets_bind_in_a_stable_order():
    assert bind("SELECT 1 FROM t WHERE a IN (:xs)", {"xs": {"b", "a"}}, "trino").params == [
        "a",
        "b",
    ]


def test_missing_parameter_names_them():
    with pytest.raises(MissingParameterError, match=r"'buy_signal'.*res_dt, item_cds"):
        bind(SQL, {"country_cd": "1101"}, "duckdb", "buy_signal")


@pytest.mark.parametrize(
    ("sql", "params", "message"),
    [
        ("SELECT 1 FROM t WHERE a = :xs", {"xs": [1, 2]}, "must stand alone"),
        ("SELECT 1 FROM t WHERE a = ?", {}, "named"),
        ("SELECT 1; DROP TABLE t", {}, "exactly one statement"),
        ("SELEC nonsense FROM", {}, "parse"),
    ],
)
def test_bad_queries_are_clear_errors(sql, params, message):
    with pytest.raises(QueryError, match=message):
        bind(sql, params, "postgres")


def test_unknown_dialect():
    with pytest.raises(QueryError, match="dialect"):
        compile_sql("SELECT 1", "oracle")


def test_translations_are_cached_per_list_length():
    compile_sql.cache_clear()
    for _ in range(3):
        bind(SQL, {"country_cd": "1", "res_dt": D, "item_cds": ["a"]}, "postgres")
    bind(SQL, {"country_cd": "1", "res_dt": D, "item_cds": ["a", "b"]}, "postgres")
    info = compile_sql.cache_info()
    assert (info.hits, info.misses) == (2, 2)


def test_plain_values():
    assert plain_value(np.int64(3)) == 3 and type(plain_value(np.int64(3))) is int
    assert plain_value(pd.Timestamp("2026-11-27")) == D
    assert plain_value(pd.Timestamp("2026-11-27 10:00")) == dt.datetime(2026, 11, 27, 10, 0)
    assert plain_value("x") == "x"
