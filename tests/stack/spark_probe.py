"""What Spark sees through the standalone metastore, written to a folder for the stack test.

Run as its own process (``python tests/stack/spark_probe.py OUT``, ``JANGBOGI_ENV=stack``) so the
test's pytest process never holds a SparkSession of another profile. Writes ``catalog.json``
(databases and their tables, as Spark's catalog lists them) and one Parquet file per table of
``kamis_gold`` read with ``spark.table`` (timestamps in UTC). It first creates the job run
history table, as the first spark-submit of a deployment does, so that the test's two concurrent
spark-submits append to an existing table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(out: Path) -> int:
    """Write the catalog listing and the gold marts to ``out``."""
    from spark_jobs.lake import ensure_table
    from spark_jobs.ops.run_history import JOB_RUN_HISTORY
    from spark_jobs.session import build_session

    out.mkdir(parents=True, exist_ok=True)
    spark = build_session(
        app_name="jangbogi:stack-probe",
        overrides={"spark.sql.session.timeZone": "UTC"},
        create_databases=False,
    )
    try:
        ensure_table(spark, JOB_RUN_HISTORY)
        catalog = {}
        for db in spark.catalog.listDatabases():
            catalog[db.name] = sorted(t.name for t in spark.catalog.listTables(db.name))
        (out / "catalog.json").write_text(json.dumps(catalog, indent=1), encoding="utf-8")
        for name in catalog.get("kamis_gold", []):
            spark.table(f"kamis_gold.{name}").toPandas().to_parquet(out / f"{name}.parquet")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
