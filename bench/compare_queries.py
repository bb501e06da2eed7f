"""Do two folders of named queries return the same rows on a serving store? (old SQL vs new SQL)

Runs every named query of ``--new`` (through the backend, so the serving variants in
``<new>/serving`` are used) and the same-named query of ``--old`` on one DuckDB store and,
optionally, one PostgreSQL schema, with the benchmark's parameters and a dozen more (four regions
including 0000 × four items), and compares the frames exactly: columns, dtypes, values and row
order (a query without a top-level ORDER BY compares sorted).

    git worktree add /tmp/old 75cd400  # the old dashboard/sql
    python bench/compare_queries.py --old /tmp/old/dashboard/sql --duckdb /tmp/b/bench_1y.duckdb \\
        [--dsn postgresql://… --schema bench_1y_abc123] --years 1 --items 300 --regions 25
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_queries import END, sample_params  # noqa: E402

from dashboard.db.duckdb_backend import DuckDBConnection  # noqa: E402
from dashboard.db.postgres_backend import PostgresConnection  # noqa: E402
from dashboard.db.queries import DEFAULT_SQL_DIR, QueryCatalog  # noqa: E402
from dashboard.db.sqlbind import placeholders  # noqa: E402
from testkit.synthetic import make_items, make_regions, survey_days  # noqa: E402


def _unordered(sql: str) -> bool:
    return "ORDER BY" not in sql.upper().rsplit(")", 1)[-1]


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(list(df.columns), kind="mergesort").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True, help="the old dashboard/sql")
    ap.add_argument("--new", default=str(DEFAULT_SQL_DIR))
    ap.add_argument("--duckdb", help="a DuckDB serving store (bench_<N>y.duckdb)")
    ap.add_argument("--dsn")
    ap.add_argument("--schema", default="public")
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--regions", type=int, default=25)
    ap.add_argument("--only", nargs="*", help="query names (default: all)")
    args = ap.parse_args(argv)

    days = survey_days(END - timedelta(days=365 * args.years - 1), END)
    regions, items = make_regions(args.regions), make_items(args.items)
    base = sample_params(days, regions, items)
    variants = [base] + [
        {
            **base,
            "country_cd": r[0],
            "region_cd": r[0],
            "item_cd": it.item_cd,
            "kind_cd": it.kind_cd,
            "rank_cd": it.rank_cd,
            "category_cd": it.category_cd,
        }
        for r in regions[:4]
        for it in items[:: max(1, len(items) // 3)]
    ]
    old, new = QueryCatalog(args.old), QueryCatalog(args.new)
    if old.names() != new.names():
        print(f"query names differ: {sorted(set(old.names()) ^ set(new.names()))}")
        return 1
    backends = []
    if args.duckdb:
        backends.append(("duckdb", lambda c: DuckDBConnection(args.duckdb, c)))
    if args.dsn:
        backends.append(("postgres", lambda c: PostgresConnection(args.dsn, c, schema=args.schema)))
    differences = 0
    for label, connect in backends:
        a, b = connect(old), connect(new)
        try:
            for name in args.only or new.names():
                keys = placeholders(new.sql(name))
                if set(keys) != set(placeholders(old.sql(name))):
                    print(f"{label} {name}: parameters differ")
                    differences += 1
                    continue
                rows = 0
                for v in variants if keys else [base]:
                    p = {k: v[k] for k in keys}
                    x, y = a.run(name, p), b.run(name, p)
                    if _unordered(new.sql(name)):
                        x, y = _sorted(x), _sorted(y)
                    try:
                        assert list(x.columns) == list(y.columns), "columns"
                        pd.testing.assert_frame_equal(x, y, check_exact=True)
                    except AssertionError as e:
                        differences += 1
                        print(f"DIFF {label} {name} {p}: {str(e)[:300]}")
                    rows += len(x)
                print(f"{label:8s} {name:30s} same ({rows} rows over the parameter sets)")
        finally:
            a.close()
            b.close()
    print(f"differences: {differences}")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
