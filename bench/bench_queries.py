"""Latency of every named dashboard query on DuckDB and PostgreSQL, at 1 and 5 years of marts.

Generates synthetic gold marts with the row counts the store would really hold (each mart's grain
from spark_jobs/gold/tables.py: items × regions × survey days for the item series, 3 rows per
region-day for the top-3 marts, in-season items only for the season mart, eco items per week …;
see testkit.synthetic.COVERAGE) straight into a DuckDB file and a PostgreSQL database
(a throw-away local server unless --dsn is given), prints rows and load time per mart, runs each
named query once to warm up and then ``--repeats`` times per backend and prints p50 (median) /
p95 next to the original project's figures (PostgreSQL ≈ 0.1 s, Athena ≈ 1.5 s per query).

    python bench/bench_queries.py --years 1 5 --items 300 --regions 25 --repeats 20
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard.db.duckdb_backend import DuckDBConnection  # noqa: E402
from dashboard.db.postgres_backend import PostgresConnection  # noqa: E402
from dashboard.db.queries import DEFAULT_SQL_DIR, QueryCatalog  # noqa: E402
from dashboard.db.sqlbind import placeholders  # noqa: E402
from spark_jobs.gold.tables import TABLES  # noqa: E402
from spark_jobs.serving.duckdb_store import DuckDBStore  # noqa: E402
from spark_jobs.serving.meta import MetaRow  # noqa: E402
from spark_jobs.serving.postgres_store import PostgresStore  # noqa: E402
from spark_jobs.serving.publish import new_publish_id  # noqa: E402
from spark_jobs.serving.source import MartData  # noqa: E402
from testkit.synthetic import (  # noqa: E402
    arrow_schema,
    make_items,
    make_regions,
    survey_days,
    synth_batches,
)

ORIGINAL = {"postgres": 0.1, "athena": 1.5}
END = date(2026, 11, 27)


class CountingReader:
    """Wrap a batch iterator as a pyarrow RecordBatchReader and count rows as they stream."""

    def __init__(self, spec, days, regions, items):
        import pyarrow as pa

        self.rows = 0

        def gen():
            for b in synth_batches(spec, days, regions, items, days_per_batch=10):
                self.rows += b.num_rows
                yield b

        self.reader = pa.RecordBatchReader.from_batches(arrow_schema(spec), gen())


def load(store, days, regions, items) -> tuple[int, float]:
    """Publish every synthetic mart into ``store``; return (rows, seconds incl. generation)."""
    started = time.perf_counter()
    readers = {spec.name: CountingReader(spec, days, regions, items) for spec in TABLES}
    marts = [MartData(name, r.reader, 0) for name, r in readers.items()]  # type: ignore[arg-type]
    pid = new_publish_id()
    from datetime import UTC, datetime

    meta = [MetaRow(m.name, 0, datetime.now(UTC), "bench", pid, None) for m in marts]
    store.publish(marts, meta)
    secs = time.perf_counter() - started
    print(
        "  rows per mart: " + ", ".join(f"{n} {r.rows:,}" for n, r in readers.items()),
        file=sys.stderr,
        flush=True,
    )
    return sum(r.rows for r in readers.values()), secs


def sample_params(days, regions, items) -> dict[str, object]:
    last = days[-1]
    it = items[0]
    return {
        "res_dt": last,
        "date": last,
        "as_of_dt": last,
        "end_dt": last,
        "to_dt": last,
        "start_dt": last - timedelta(days=90),
        "from_dt": last - timedelta(days=90),
        "week_start_dt": last - timedelta(days=last.weekday()),
        "country_cd": regions[1][0],
        "region_cd": regions[1][0],
        "country_cds": [r[0] for r in regions[1:4]],
        "region_cds": [r[0] for r in regions[1:4]],
        "item_cd": it.item_cd,
        "kind_cd": it.kind_cd,
        "rank_cd": it.rank_cd,
        "eco_rank_cd": "07",
        "category_cd": it.category_cd,
        "item_cds": [i.item_cd for i in items[:5]],
        "category_cds": [it.category_cd],
        "channel_cd": "large_retail",
        "basket_cd": "weekly",
        "signal_cd": "cheap",
        "signal_cds": ["cheap", "normal"],
        "store_type_nm": "대형마트",
        "item_q": "1",
        "limit": 50,
        "top_n": 10,
        "n": 10,
        "days": 30,
        "weeks": 8,
        "months": 12,
        "years": 5,
    }


def time_queries(conn, names, params, repeats) -> dict[str, tuple[float, float, int]]:
    out = {}
    for name in names:
        p = {k: params[k] for k in placeholders(conn.catalog.sql(name))}
        rows = len(conn.run(name, p))  # warm-up (plan caches, OS page cache)
        samples = []
        for _ in range(repeats):
            t = time.perf_counter()
            conn.run(name, p)
            samples.append(time.perf_counter() - t)
        samples.sort()
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        out[name] = (statistics.median(samples), p95, rows)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, nargs="+", default=[1, 5])
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--regions", type=int, default=25)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument(
        "--backends", nargs="+", default=["duckdb", "postgres"], choices=["duckdb", "postgres"]
    )
    ap.add_argument("--dsn", help="PostgreSQL to use (default: start a throw-away local server)")
    ap.add_argument(
        "--duckdb-memory-limit",
        default="6GB",
        help="DuckDB memory_limit while publishing (5 years of marts sort beyond RAM otherwise)",
    )
    ap.add_argument("--sql-dir", default=None, help="named queries (default dashboard/sql)")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--out", type=Path, help="write the figures as JSON here")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="time an existing DuckDB file in --workdir instead of regenerating",
    )
    args = ap.parse_args(argv)
    signal.signal(
        signal.SIGTERM, lambda *_: sys.exit(143)
    )  # run the finally: stop the PostgreSQL server

    catalog = QueryCatalog(args.sql_dir or DEFAULT_SQL_DIR)
    names = catalog.names() or QueryCatalog(REPO / "tests" / "fixtures" / "sql").names()
    if not catalog.names():
        catalog = QueryCatalog(REPO / "tests" / "fixtures" / "sql")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="jangbogi-bench-"))
    server = None
    dsn = args.dsn
    if "postgres" in args.backends and not dsn:
        from tests.pg import start_server

        server = start_server()
        dsn = server.dsn
    items, regions = make_items(args.items), make_regions(args.regions)
    results: dict[tuple[str, int], dict[str, tuple[float, float, int]]] = {}
    loads: list[str] = []
    try:
        for years in args.years:
            days = survey_days(END - timedelta(days=365 * years - 1), END)
            params = sample_params(days, regions, items)
            for backend in args.backends:
                if backend == "duckdb":
                    path = work / f"bench_{years}y.duckdb"
                    if args.reuse and path.exists():
                        rows, secs = -1, 0.0
                    else:
                        store = DuckDBStore(path, memory_limit=args.duckdb_memory_limit)
                        rows, secs = load(store, days, regions, items)
                    conn = DuckDBConnection(path, catalog)
                else:
                    schema = f"bench_{years}y_{uuid.uuid4().hex[:6]}"
                    rows, secs = load(PostgresStore(dsn, schema=schema), days, regions, items)
                    conn = PostgresConnection(
                        dsn, catalog, schema=schema, statement_timeout_ms=120_000
                    )
                line = (
                    f"{backend} {years}y: {rows:,} rows into {len(TABLES)} marts in {secs:.0f} s"
                    + (f" ({rows / secs:,.0f} rows/s incl. generation)" if secs else "")
                )
                loads.append(line)
                print(f"[load] {line}", file=sys.stderr, flush=True)
                try:
                    results[(backend, years)] = time_queries(conn, names, params, args.repeats)
                finally:
                    conn.close()
    finally:
        if server:
            server.stop()

    cols = [(b, y) for y in args.years for b in args.backends]
    head = (
        "query".ljust(30)
        + "".join(f"{b} {y}y p50/p95 ms".rjust(24) for b, y in cols)
        + "  orig PG  orig Athena"
    )
    print(head)
    print("-" * len(head))
    for name in names:
        cells = "".join(
            f"{results[c][name][0] * 1000:9.1f} /{results[c][name][1] * 1000:8.1f}".rjust(24)
            for c in cols
        )
        print(
            name.ljust(30)
            + cells
            + f"  {ORIGINAL['postgres'] * 1000:5.0f} ms  {ORIGINAL['athena'] * 1000:6.0f} ms"
        )
    print(
        f"(items {args.items}, regions {args.regions}, survey days = weekdays, repeats {args.repeats}; p50 = median)"
    )
    for line in loads:
        print(f"load: {line}")
    if args.out:
        figures = {
            f"{b} {y}y": {
                n: {"p50_ms": r[0] * 1000, "p95_ms": r[1] * 1000, "rows": r[2]}
                for n, r in results[(b, y)].items()
            }
            for b, y in cols
        }
        doc = {"items": args.items, "regions": args.regions, "repeats": args.repeats,
               "years": args.years, "loads": loads, "queries": figures}  # fmt: skip
        args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
