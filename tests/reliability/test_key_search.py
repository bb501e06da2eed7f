"""Key search: after a run with a recognisable fake cert key and id, neither appears anywhere.

The reference run (``conftest.reference``: ``jangbogi run`` + publish in real-API mode over every
raw and silver job, the key's whole path, and four gold marts; the fake ``KAMIS_CERT_KEY`` /
``KAMIS_CERT_ID`` sent on every call, Spark event logging on) is searched: every string column of every Delta table (raw bodies, params, error messages …),
every VARCHAR column of the serving DuckDB files, and every file of the run — logs, the Derby
metastore, Delta logs, Parquet files, the Spark event logs and the run's stdout/stderr.
The same search is run over planted copies first, so a miss cannot pass for a clean result.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from deltalake import write_deltalake

from tests.reliability import lakecheck as lc

pytestmark = [pytest.mark.integration, pytest.mark.reliability]


def test_the_search_finds_a_planted_key(tmp_path: Path) -> None:
    home = tmp_path / "planted"
    warehouse = home / "var" / "warehouse"
    write_deltalake(
        str(warehouse / "kamis_raw.db" / "leaky"),
        pa.table({"body": [f'{{"p_cert_key":"{lc.FAKE_KEY}"}}', "clean"], "n": [1, 2]}),
    )
    (home / "var" / "serving").mkdir(parents=True)
    con = duckdb.connect(str(home / "var" / "serving" / "jangbogi.x.duckdb"))
    con.execute("CREATE TABLE t (msg VARCHAR)")
    con.execute("INSERT INTO t VALUES (?)", [f"error p_cert_id={lc.FAKE_ID}"])
    con.close()
    log = tmp_path / "run.log"
    log.write_text(f"GET ...?p_cert_key={lc.FAKE_KEY}\n", encoding="utf-8")
    found = lc.find_secrets(home, [log])
    where = {(h.where.split(":")[0].rsplit("/", 1)[-1], h.secret) for h in found["hits"]}
    assert ("kamis_raw.leaky.body", lc.FAKE_KEY) in where  # a Delta string column (Parquet)
    assert ("jangbogi.x.duckdb", lc.FAKE_ID) in where  # a DuckDB VARCHAR column
    assert ("run.log", lc.FAKE_KEY) in where  # a log file


def test_no_cert_key_or_id_anywhere_after_the_reference_run(reference) -> None:
    event_logs = sorted(p for p in reference.event_log_dir.rglob("*") if p.is_file())
    assert event_logs, "Spark wrote no event log"
    assert sum(p.stat().st_size for p in event_logs) > 10_000
    found = lc.find_secrets(reference.home, [reference.log, reference.event_log_dir])
    print(
        f"key search: {found['tables']} Delta tables ({found['string_cells']:,} string cells), "
        f"{found['duckdb_columns']} DuckDB VARCHAR columns, {found['files']} files "
        f"({found['bytes']:,} bytes, {len(event_logs)} Spark event log(s)): "
        f"{len(found['hits'])} hits"
    )
    # every table the run wrote was searched, among them every raw and silver table
    from spark_jobs.registry import all_tables

    written = set(lc.delta_tables(reference.warehouse))
    path = {t.full_name for t in all_tables().values() if t.layer in ("raw", "silver")}
    assert path <= written, sorted(path - written)
    assert found["tables"] == len(written) and found["string_cells"] > 1000
    assert found["hits"] == [], found["hits"]
    # the run really was in real-API mode with the fake credentials on the wire
    from deltalake import DeltaTable

    raw = DeltaTable(
        str(reference.warehouse / "kamis_raw.db" / "daily_price_by_category_list")
    ).to_pyarrow_table(columns=["api_mode", "outcome"])
    assert set(raw["api_mode"].to_pylist()) == {"real"}
    assert "ok" in raw["outcome"].to_pylist()
