"""mart_update_status's partition bookkeeping: file keys by partition and what to read again."""

from __future__ import annotations

import hashlib
from datetime import date

from spark_jobs.partition_cache import partition_keys, plan

D1, D2, D3 = date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)
ROOT = "file:/lake/kamis_raw.db/calls"


def _key(*names: str) -> str:
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:16]


def test_files_are_grouped_by_their_date_folder_and_keyed_by_sorted_names():
    files = [
        f"{ROOT}/req_dt=2025-01-02/part-b.parquet",
        f"{ROOT}/req_dt=2025-01-01/part-a.parquet",
        f"{ROOT}/req_dt=2025-01-02/part-a.parquet",
    ]
    assert partition_keys(files, "req_dt") == {
        D1: _key("part-a.parquet"),
        D2: _key("part-a.parquet", "part-b.parquet"),
    }
    # the order the files are listed in does not matter; one more file does
    assert partition_keys(reversed(files), "req_dt") == partition_keys(files, "req_dt")
    more = partition_keys([*files, f"{ROOT}/req_dt=2025-01-02/part-c.parquet"], "req_dt")
    assert more is not None and more[D2] != _key("part-a.parquet", "part-b.parquet")


def test_escaped_values_are_read_and_untrackable_layouts_say_so():
    assert partition_keys([f"{ROOT}/req_dt=2025%2D01%2D03/x.parquet"], "req_dt") == {
        D3: _key("x.parquet")
    }
    assert partition_keys([f"{ROOT}/x.parquet"], "req_dt") is None  # no partition folder
    assert partition_keys([f"{ROOT}/req_dt=__HIVE_DEFAULT_PARTITION__/x.parquet"], "req_dt") is None
    assert partition_keys([], "req_dt") == {}


def test_plan_keeps_unchanged_partitions_and_reads_new_or_changed_ones():
    current = {D1: "a", D2: "b2", D3: "c"}
    cached = {D1: "a", D2: "b1", date(2024, 12, 31): "gone"}
    assert plan(current, cached, full=False) == ([D1], [D2, D3])
    assert plan(current, cached, full=True) == ([], [D1, D2, D3])
    assert plan({}, cached, full=False) == ([], [])
