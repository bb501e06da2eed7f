"""Set-up's class-data-sharing archives fit the JVMs that use them: the session builder's and
spark-submit's (Airflow's tasks), in the suite (SPARK_TESTING=1) and outside it.

``JANGBOGI_CDS=strict`` starts each JVM with ``-Xshare:on``: a JVM whose class path does not fit
its archive then refuses to start, so a run that works is one that used the archive.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from spark_jobs import jvm

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SHARED = """
args = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getRuntimeMXBean() \\
    .getInputArguments().toString()
shared = "-Xshare:on" in args and "SharedArchiveFile" in args
"""
# The builder's JVM: start, run one Spark job, say whether it was started from the archive.
BUILDER_APP = (
    """
from spark_jobs.session import build_session
spark = build_session("local", app_name="cds-check", create_databases=False)
n = spark.range(5).count()
"""
    + SHARED
    + """print(f"rows={n} shared={shared}")"""
)
# spark-submit's: Delta (its jars come from the properties file) and Hive's metastore too.
SUBMIT_APP = (
    """
import sys
from spark_jobs.session import build_session
spark = build_session("local", app_name="cds-check")
spark.sql("CREATE TABLE kamis_raw.cds_check (k STRING, v DOUBLE) USING DELTA")
spark.range(5).selectExpr("CAST(id AS STRING) AS k", "CAST(id AS DOUBLE) AS v") \\
    .write.format("delta").mode("append").saveAsTable("kamis_raw.cds_check")
n = spark.table("kamis_raw.cds_check").count()
fmt = spark.sql("DESCRIBE DETAIL kamis_raw.cds_check").collect()[0]["format"]
"""
    + SHARED
    + """print(f"rows={n} format={fmt} shared={shared}")
"""
)


def _env(home: Path, testing: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SPARK_CONF_DIR", "SPARK_TESTING")}
    env.update(JANGBOGI_HOME=str(home), JANGBOGI_CDS="strict", PYTHONPATH=str(REPO))
    if testing:
        env["SPARK_TESTING"] = "1"
    return env


def test_set_up_made_both_archives():
    launch = jvm.load_launch()
    assert launch is not None, "make setup-test builds them (python -m spark_jobs.jvm build)"
    assert set(launch["archives"]) == {"default", "testing"}
    assert launch["spark_home"] == jvm.spark_home()  # this checkout's own, not another's
    assert all(Path(p).is_file() for p in launch["archives"].values())
    assert not any(Path(launch["conf_dir"]).iterdir())


@pytest.mark.parametrize("testing", [True, False], ids=["suite", "ordinary"])
def test_the_session_builder_starts_its_jvm_from_the_archive(tmp_path, testing):
    proc = subprocess.run(
        [sys.executable, "-c", BUILDER_APP],
        env=_env(tmp_path, testing),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rows=5 shared=True" in proc.stdout


def test_spark_submit_starts_from_the_archive_with_the_properties_file(tmp_path):
    """As JobSubmitOperator does: launch_env + --properties-file (Delta's jars, S3A's class path)."""
    env = _env(tmp_path, testing=True)
    cds = jvm.launch_env(env)
    assert cds, "no archive for this launch"
    env.update(cds)
    app = tmp_path / "app.py"
    app.write_text(SUBMIT_APP, encoding="utf-8")
    spark_submit = Path(sys.executable).parent / "spark-submit"
    cmd = [str(spark_submit), "--properties-file", jvm.properties_file(), str(app)]
    proc = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rows=5 format=delta shared=True" in proc.stdout
