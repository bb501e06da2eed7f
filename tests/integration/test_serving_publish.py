"""Publishing gold marts from Delta to DuckDB and PostgreSQL: round trip, atomic swap, schema changes."""

from __future__ import annotations

import math
import os
import re
import shutil
import threading
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import psycopg2
import pyarrow as pa
import pytest
from deltalake import DeltaTable, write_deltalake

from spark_jobs.gold.tables import (
    MART_BUY_SIGNAL,
    MART_PRICE_REGION_COUNT,
    MART_UPDATE_STATUS,
    TABLES,
)
from spark_jobs.serving.duckdb_store import current_file
from spark_jobs.serving.publish import publish_all
from spark_jobs.serving.source import mart_uri
from testkit.synthetic import arrow_schema, make_items, make_regions, synth_mart
from tests.integration.conftest import serving_profile, write_gold_lake

pytestmark = pytest.mark.integration
ALL_MARTS = [t.name for t in TABLES]


def _copy_lake(gold_lake: tuple[Path, dict[str, int]], dest: Path) -> Path:
    shutil.copytree(gold_lake[0] / "warehouse", dest / "warehouse")
    return dest


def _schema() -> str:
    return "t_" + uuid.uuid4().hex[:10]


def _pg(dsn: str, schema: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(f"SET search_path TO {schema}")
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def _duck(profile, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(current_file(profile.path("serving.path"))), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _lake_rows(warehouse: Path, mart: str) -> list[dict]:
    table = DeltaTable(mart_uri(str(warehouse), mart)).to_pyarrow_table()
    return table.sort_by(
        [(c, "ascending") for c in ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd")]
    ).to_pylist()


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12)
    return a == b


def test_duckdb_publish_round_trips_every_mart(gold_lake, tmp_path):
    root = _copy_lake(gold_lake, tmp_path)
    profile = serving_profile(root, "duckdb")
    summary = publish_all(profile)

    assert summary.missing == ()
    assert summary.rows == gold_lake[1]
    for mart, n in gold_lake[1].items():
        assert _duck(profile, f"SELECT count(*) FROM {mart}") == [(n,)]
    # values, not just counts: every column of mart_buy_signal as in the lake
    cols = MART_BUY_SIGNAL.columns
    served = _duck(
        profile,
        f"SELECT {', '.join(cols)} FROM mart_buy_signal ORDER BY res_dt, country_cd, item_cd, kind_cd, rank_cd",
    )
    lake = _lake_rows(root / "warehouse", "mart_buy_signal")
    assert len(served) == len(lake) > 0
    for got, want in zip(served, lake, strict=True):
        assert all(_same(g, want[c]) for g, c in zip(got, cols, strict=True)), (got, want)
    meta = dict(_duck(profile, "SELECT mart, rows FROM serving_meta"))
    assert meta == gold_lake[1]
    assert "게시 완료" in str(summary) and "published" in str(summary)


def test_postgres_publish_round_trips_every_mart(gold_lake, tmp_path, pg_dsn):
    root = _copy_lake(gold_lake, tmp_path)
    schema = _schema()
    profile = serving_profile(root, "postgres", pg_dsn).with_overrides({"serving.schema": schema})
    summary = publish_all(profile)

    assert summary.rows == gold_lake[1]
    for mart, n in gold_lake[1].items():
        assert _pg(pg_dsn, schema, f"SELECT count(*) FROM {mart}") == [(n,)]
    cols = MART_BUY_SIGNAL.columns
    served = _pg(
        pg_dsn,
        schema,
        f"SELECT {', '.join(cols)} FROM mart_buy_signal ORDER BY res_dt, country_cd, item_cd, kind_cd, rank_cd",
    )
    lake = _lake_rows(root / "warehouse", "mart_buy_signal")
    assert len(served) == len(lake) > 0
    for got, want in zip(served, lake, strict=True):
        assert all(_same(g, want[c]) for g, c in zip(got, cols, strict=True)), (got, want)
    indexes = {
        r[0]
        for r in _pg(
            pg_dsn, schema, "SELECT indexname FROM pg_indexes WHERE schemaname = %s", (schema,)
        )
    }
    assert {
        "ix_mart_buy_signal_dt",
        "ix_mart_buy_signal_region",
        "ix_mart_buy_signal_item",
        "ix_mart_eco_premium_item",
    } <= indexes
    assert not any("__new" in ix for ix in indexes)
    assert "password" not in summary.target


def _edge_rows() -> pa.Table:
    """Strings that break naive CSV/SQL (quotes, commas, newlines, Korean, '' vs NULL) and NULL doubles."""
    # start from a contract-conforming row (whatever columns the mart has today), then override
    base = synth_mart(
        MART_BUY_SIGNAL, [date(2026, 11, 27)], make_regions(2)[1:], make_items(1)
    ).to_pylist()[0]
    base |= {
        "res_dt": date(2026, 11, 27),
        "country_cd": "1101",
        "country_nm": "서울",
        "category_cd": "200",
        "category_nm": "채소류",
        "kind_cd": "01",
        "kind_nm": "일반",
        "rank_cd": "04",
        "unit": "1kg",
        "price": 3500.0,
        "percentile": 12.5,
        "price_index": 95.1,
        "trend_pct": -3.2,
        "signal_cd": "cheap",
        "signal_nm": "싸요",
        "reason_txt": "1년 중 하위 12.5%",
    }
    rows = [
        {**base, "item_cd": "211", "item_nm": "배추", "rank_nm": "상품"},
        {**base, "item_cd": "212", "item_nm": '양배추, "국산"', "rank_nm": ""},
        {
            **base,
            "item_cd": "213",
            "item_nm": None,
            "rank_nm": "it's\nmulti-line",
            "price_index": None,
            "trend_pct": None,
        },
        {
            **base,
            "item_cd": "214",
            "item_nm": "'; DROP TABLE mart_buy_signal; --",
            "rank_nm": "\\N",
            "reason_txt": "a\tb",
        },
    ]
    return pa.Table.from_pylist(rows, schema=arrow_schema(MART_BUY_SIGNAL))


@pytest.mark.parametrize("kind", ["duckdb", "postgres"])
def test_edge_values_survive_exactly(kind, tmp_path, pg_dsn):
    table = _edge_rows()
    write_deltalake(mart_uri(str(tmp_path / "warehouse"), "mart_buy_signal"), table)
    schema = _schema()
    profile = serving_profile(tmp_path, kind, pg_dsn).with_overrides({"serving.schema": schema})
    summary = publish_all(profile)

    assert summary.rows == {"mart_buy_signal": 4}
    assert set(summary.missing) == set(ALL_MARTS) - {"mart_buy_signal"}
    sql = "SELECT item_cd, item_nm, rank_nm, price_index, trend_pct, reason_txt FROM mart_buy_signal ORDER BY item_cd"
    got = _duck(profile, sql) if kind == "duckdb" else _pg(pg_dsn, schema, sql)
    want = [
        (
            r["item_cd"],
            r["item_nm"],
            r["rank_nm"],
            r["price_index"],
            r["trend_pct"],
            r["reason_txt"],
        )
        for r in table.to_pylist()
    ]
    assert got == want


@pytest.mark.parametrize("kind", ["duckdb", "postgres"])
def test_publish_twice_is_idempotent_and_changes_the_version(kind, gold_lake, tmp_path, pg_dsn):
    root = _copy_lake(gold_lake, tmp_path)
    schema = _schema()
    profile = serving_profile(root, kind, pg_dsn).with_overrides({"serving.schema": schema})
    q = "SELECT count(*), sum(price), min(item_cd) FROM mart_price_trend"
    run = (
        (lambda sql: _duck(profile, sql))
        if kind == "duckdb"
        else (lambda sql: _pg(pg_dsn, schema, sql))
    )

    first = publish_all(profile)
    once = run(q)
    second = publish_all(profile)
    twice = run(q)

    assert once == twice
    assert first.rows == second.rows
    assert first.publish_id != second.publish_id
    assert run("SELECT count(*) FROM serving_meta") == [(len(ALL_MARTS),)]
    assert run("SELECT max(publish_id) FROM serving_meta") == [(second.publish_id,)]
    if kind == "duckdb":  # the previous version file is kept for open readers, older ones removed
        files = sorted(p.name for p in (root / "serving").glob("jangbogi.*.duckdb"))
        assert len(files) == 2
        publish_all(profile)
        assert len(list((root / "serving").glob("jangbogi.*.duckdb"))) == 2


@pytest.mark.parametrize("kind", ["duckdb", "postgres"])
def test_changed_schema_arrives(kind, tmp_path, pg_dsn):
    warehouse = tmp_path / "warehouse"
    write_gold_lake(warehouse, [MART_PRICE_REGION_COUNT.name])
    schema = _schema()
    profile = serving_profile(tmp_path, kind, pg_dsn).with_overrides({"serving.schema": schema})
    publish_all(profile)

    # the mart gains a column and loses one (a contract change between releases)
    old = DeltaTable(mart_uri(str(warehouse), MART_PRICE_REGION_COUNT.name)).to_pyarrow_table()
    new = old.drop_columns(["flat_cnt"]).append_column(
        "up_ratio_pct", pa.array([50.0] * old.num_rows)
    )
    write_deltalake(
        mart_uri(str(warehouse), MART_PRICE_REGION_COUNT.name),
        new,
        mode="overwrite",
        schema_mode="overwrite",
    )
    publish_all(profile)

    sql_cols = (
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'mart_price_region_count'"
        + ("" if kind == "duckdb" else f" AND table_schema = '{schema}'")
    )
    run = (
        (lambda sql: _duck(profile, sql))
        if kind == "duckdb"
        else (lambda sql: _pg(pg_dsn, schema, sql))
    )
    cols = {r[0] for r in run(sql_cols)}
    assert "up_ratio_pct" in cols and "flat_cnt" not in cols
    assert run("SELECT count(*), min(up_ratio_pct) FROM mart_price_region_count") == [
        (old.num_rows, 50.0)
    ]


@pytest.mark.parametrize("kind", ["duckdb", "postgres"])
def test_missing_marts_are_reported_and_old_copies_kept(kind, gold_lake, tmp_path, pg_dsn):
    root = _copy_lake(gold_lake, tmp_path)
    schema = _schema()
    profile = serving_profile(root, kind, pg_dsn).with_overrides({"serving.schema": schema})
    publish_all(profile)
    shutil.rmtree(root / "warehouse" / "kamis_gold.db" / "mart_volatility")

    summary = publish_all(profile)

    assert summary.missing == ("mart_volatility",)
    assert "mart_volatility" in str(summary) and "아직 없음" in str(summary)
    run = (
        (lambda sql: _duck(profile, sql))
        if kind == "duckdb"
        else (lambda sql: _pg(pg_dsn, schema, sql))
    )
    assert run("SELECT count(*) FROM mart_volatility") == [(gold_lake[1]["mart_volatility"],)]
    meta = dict(run("SELECT mart, publish_id FROM serving_meta"))
    assert meta["mart_volatility"] != summary.publish_id
    assert meta["mart_buy_signal"] == summary.publish_id


def test_empty_lake_publishes_nothing(tmp_path):
    summary = publish_all(serving_profile(tmp_path, "duckdb"))
    assert summary.rows == {} and set(summary.missing) == set(ALL_MARTS)
    assert not (tmp_path / "serving" / "jangbogi.duckdb").exists()


def _reader_loop(read_counts, stop: threading.Event, seen: list, errors: list) -> None:
    while not stop.is_set():
        try:
            seen.append(read_counts())
        except Exception as e:  # pragma: no cover - reported by the assertion below
            errors.append(repr(e))


@pytest.mark.parametrize("kind", ["duckdb", "postgres"])
def test_concurrent_reader_never_sees_a_partial_publish(kind, tmp_path, pg_dsn):
    """Version A has 1 row per mart-day, version B different counts: a reader must see A or B whole."""
    warehouse = tmp_path / "warehouse"
    marts = ["mart_buy_signal", "mart_price_trend", "mart_price_region_count", "mart_volatility"]
    write_gold_lake(warehouse, marts, seed=1)
    schema = _schema()
    profile = serving_profile(tmp_path, kind, pg_dsn).with_overrides({"serving.schema": schema})
    first = publish_all(profile)
    state_a = (*tuple(first.rows[m] for m in marts), first.publish_id)

    # version B: drop the first week from every mart (different row counts everywhere)
    for m in marts:
        t = DeltaTable(mart_uri(str(warehouse), m)).to_pyarrow_table()
        keep = pa.compute.greater_equal(t["res_dt"], pa.scalar(date(2026, 11, 9), pa.date32()))
        write_deltalake(mart_uri(str(warehouse), m), t.filter(keep), mode="overwrite")

    union = " UNION ALL ".join(f"SELECT '{m}' AS m, count(*) AS n FROM {m}" for m in marts)
    sql = f"SELECT m, n FROM ({union}) UNION ALL SELECT 'meta', 0 FROM serving_meta WHERE false"
    version_sql = "SELECT max(publish_id) FROM serving_meta"

    if kind == "duckdb":

        def read_counts() -> tuple:
            con = duckdb.connect(str(current_file(profile.path("serving.path"))), read_only=True)
            try:
                counts = dict(con.execute(sql).fetchall())
                return (*(counts[m] for m in marts), con.execute(version_sql).fetchone()[0])
            finally:
                con.close()
    else:
        conn = psycopg2.connect(pg_dsn)
        conn.autocommit = True

        def read_counts() -> tuple:
            with conn.cursor() as cur:
                cur.execute(f"SET search_path TO {schema}")
                # one statement = one snapshot: counts and version are read together
                cur.execute(
                    f"SELECT m, n FROM ({union}) x UNION ALL SELECT 'v:' || max(publish_id), 0 FROM serving_meta"
                )
                rows = cur.fetchall()
            counts = {m: n for m, n in rows if not m.startswith("v:")}
            version = next(m[2:] for m, _ in rows if m.startswith("v:"))
            return (*(counts[m] for m in marts), version)

    stop, seen, errors = threading.Event(), [], []
    reader = threading.Thread(target=_reader_loop, args=(read_counts, stop, seen, errors))
    reader.start()
    try:
        second = publish_all(profile)
        third = publish_all(profile)
    finally:
        stop.set()
        reader.join(timeout=60)
    seen.append(read_counts())
    if kind == "postgres":
        conn.close()

    state_b = {
        (*tuple(second.rows[m] for m in marts), v) for v in (second.publish_id, third.publish_id)
    }
    assert errors == []
    assert len(seen) > 3
    assert set(seen) <= {state_a} | state_b, set(seen) - ({state_a} | state_b)
    assert seen[-1] == (*tuple(third.rows[m] for m in marts), third.publish_id)


def _status_table(day: date, version: str) -> pa.Table:
    """A one-row mart_update_status: the smallest mart that names its own data version."""
    row = {
        "source_nm": "dailyPriceByCategoryList",
        "table_nm": "kamis_raw.daily_price_by_category",
        "latest_dt": day,
        "row_cnt": 100,
        "region_cnt": 4,
        "lag_days": 0,
        "as_of_dt": day,
        "data_version": version,
        "updated_at": datetime(day.year, day.month, day.day, 6, 0),
        "source_version": version,
    }
    return pa.Table.from_pylist([row], schema=arrow_schema(MART_UPDATE_STATUS))


def test_a_month_of_daily_publishes_keeps_one_link_two_files_and_one_lock(tmp_path, monkeypatch):
    """30 daily `jangbogi publish` runs of the default (relative) serving.path, dashboard reading.

    Each run loads the profile afresh, as a new process would; resolving serving.path through the
    link once it exists used to name each version after the previous one, until the 7th publish
    failed with "File name too long".
    """
    from dashboard.db.factory import connect
    from spark_jobs.config import load_profile

    monkeypatch.setenv("JANGBOGI_HOME", str(tmp_path))
    monkeypatch.delenv("JANGBOGI_ENV", raising=False)
    link = tmp_path / "var" / "serving" / "jangbogi.duckdb"
    lock = link.with_name("jangbogi.duckdb.lock")
    assert load_profile("local").path("serving.path") == str(link)  # relative in conf/local.yaml
    uri = mart_uri(str(tmp_path / "var" / "warehouse"), MART_UPDATE_STATUS.name)
    version_name = re.compile(r"^jangbogi\.\d{8}T\d{6}-\d{6}Z-[0-9a-f]{8}\.duckdb$")

    def publish_day(n: int):
        day = date(2026, 11, 1) + timedelta(days=n)
        write_deltalake(uri, _status_table(day, f"v{n:02d}"), mode="overwrite")
        return day, publish_all(load_profile("local"))

    day, first = publish_day(0)
    lock_inode = lock.stat().st_ino
    # readers open on the first version: a raw connection and the dashboard's backend
    held = duckdb.connect(str(current_file(link)), read_only=True)
    app = connect(load_profile("local"))
    try:
        assert app.data_version().startswith(first.publish_id + "@")
        for n in range(1, 30):
            day, summary = publish_day(n)
            assert summary.target == str(link)
            # the dashboard follows the swap at its next query and sees this publish's rows
            status = app.run("update_status")
            assert status["latest_dt"].tolist() == [pd.Timestamp(day)], n
            assert status["data_version"].tolist() == [f"v{n:02d}"], n
            assert app.data_version().startswith(summary.publish_id + "@"), n
            # the long-held reader still reads the first version, undisturbed
            assert held.execute("SELECT data_version FROM mart_update_status").fetchall() == [
                ("v00",)
            ]
            # one lock file, the same one every time: publishers stay serialised
            assert sorted(p.name for p in link.parent.glob("*.lock")) == [lock.name], n
            assert lock.stat().st_ino == lock_inode, n
    finally:
        held.close()
        app.close()

    assert link.is_symlink()
    target = os.readlink(link)
    assert "/" not in target and version_name.match(target), target  # one hop, bounded name
    assert not (link.parent / target).is_symlink() and (link.parent / target).is_file()
    assert target == f"jangbogi.{summary.publish_id.replace('.', '-')}.duckdb"
    versions = sorted(p.name for p in link.parent.glob("jangbogi.*.duckdb"))
    assert target in versions and len(versions) <= 2, versions
    assert all(version_name.match(v) for v in versions), versions
    links = [p.name for p in link.parent.iterdir() if p.is_symlink()]
    assert links == ["jangbogi.duckdb"], links
    with duckdb.connect(str(link), read_only=True) as con:
        assert con.execute("SELECT max(publish_id) FROM serving_meta").fetchone() == (
            summary.publish_id,
        )


def test_a_store_broken_by_chained_links_heals_in_two_publishes(tmp_path):
    """A store left by the old path bug: link → link → file with grown names; publishing repairs it."""
    warehouse = tmp_path / "warehouse"
    write_gold_lake(warehouse, [MART_UPDATE_STATUS.name])
    serving = tmp_path / "serving"
    serving.mkdir()
    grown = (
        serving
        / "jangbogi.20261101T060000-000000Z-aaaaaaaa.20261102T060000-000000Z-bbbbbbbb.duckdb"
    )
    duckdb.connect(str(grown)).close()
    middle = serving / "jangbogi.20261101T060000-000000Z-aaaaaaaa.duckdb"
    middle.symlink_to(grown.name)
    (serving / "jangbogi.duckdb").symlink_to(middle.name)
    (serving / "jangbogi.20261101T060000-000000Z-aaaaaaaa.duckdb.lock").write_text("")
    profile = serving_profile(tmp_path, "duckdb")

    first = publish_all(profile)
    names = {p.name for p in serving.glob("jangbogi.*.duckdb")}
    assert middle.name not in names  # a version name that is a link is stale
    assert grown.name in names  # the file readers had open is kept one more round
    second = publish_all(profile)

    link = serving / "jangbogi.duckdb"
    files = sorted(p.name for p in serving.glob("jangbogi.*.duckdb"))
    assert files == sorted(
        f"jangbogi.{s.publish_id.replace('.', '-')}.duckdb" for s in (first, second)
    )
    assert os.readlink(link) == f"jangbogi.{second.publish_id.replace('.', '-')}.duckdb"
    assert [p.name for p in serving.glob("*.lock")] == ["jangbogi.duckdb.lock"]
