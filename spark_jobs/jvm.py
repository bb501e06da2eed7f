"""The Spark driver JVM's start: a class-data-sharing archive made once at set-up, and its use.

A cold Spark JVM spends seconds loading and verifying the same ~20,000 classes (Spark, Hive's
metastore client, DataNucleus, Delta) before it does any work, and every job Airflow submits is a
cold JVM. A dynamic CDS archive (``-XX:ArchiveClassesAtExit`` once, ``-XX:SharedArchiveFile``
after) maps those classes already parsed and verified. Set-up builds it (``python -m
spark_jobs.jvm build``) by running a small Delta / Hive / SQL workload, and writes
``launch.json`` beside it; :func:`launch_env` then gives the environment that makes a
``spark-submit`` (or PySpark's own launch) use it.

Why an empty ``SPARK_CONF_DIR``: Spark puts its conf folder on the JVM class path, and a CDS
archive cannot hold a class path with a non-empty folder in it, while ``pyspark/conf`` holds the
``spark-defaults.conf`` set-up writes for hand-typed ``spark-submit``. So launches that use the
archive read a folder that stays empty and get the same settings another way: the session
builder sets them itself, ``spark-submit`` gets ``--properties-file`` (``properties_file`` in
``launch.json``). Any mismatch (another JDK, a changed jar) only turns sharing off
(``-Xshare:auto``): the JVM then starts as it would without the archive.

The JVM checks each jar of the archive's class path by its size and modification time, so a
reinstalled venv (same paths, new files) no longer fits an archive made before it. The archive's
name therefore carries a stamp of the class path's jars (path, size, mtime): set-up makes a new
archive when they changed, and :func:`launch_env` offers none whose stamp is not the jars' now.

An archive fits one Spark home only (its jars' paths are in it), so each Spark home (each
checkout's venv) has its own folder of archives under the cache: two checkouts on one machine
never use or replace each other's.

Only the standard library here: Airflow's DAG library reads ``launch.json`` too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

LAUNCH_FILE = "launch.json"
# -Xshare:auto: a stale or mismatched archive turns sharing off instead of stopping the JVM;
# its cds warnings would otherwise open every job's log.
_USE_FLAGS = "-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"


def spark_home(venv: Path | None = None) -> str | None:
    """Return the real path of the Spark home (PySpark's package folder), or None when none.

    Args:
        venv: Look in this venv (Airflow's tasks submit with the Spark venv's ``spark-submit``);
            default: the PySpark this interpreter would import (found, not imported).
    """
    if venv is not None:
        found = sorted(Path(venv).glob("lib/python*/site-packages/pyspark"))
        return os.path.realpath(found[-1]) if found else None
    import importlib.util

    spec = importlib.util.find_spec("pyspark")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return os.path.realpath(locations[0]) if locations else None


def jvm_dir(home: str | None = None) -> Path:
    """Return the folder of one Spark home's archives and ``launch.json``.

    ``JANGBOGI_JVM_DIR`` overrides it; otherwise ``<cache>/jangbogi/jvm/<hash of the Spark home>``.

    Args:
        home: The Spark home (default: :func:`spark_home`).
    """
    env = os.environ.get("JANGBOGI_JVM_DIR")
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    home = home or spark_home() or "-"
    return Path(base) / "jangbogi" / "jvm" / hashlib.sha256(home.encode()).hexdigest()[:12]


def load_launch(folder: Path | None = None) -> dict | None:
    """Return ``launch.json`` as set-up wrote it, or None when there is none (or it is unreadable)."""
    path = (folder or jvm_dir()) / LAUNCH_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def launch_env(
    environ: Mapping[str, str] | None = None,
    launch: dict | None = None,
    home: str | None = None,
) -> dict[str, str]:
    """Return the variables that make the next Spark JVM start from the archive ({} when none).

    ``JANGBOGI_CDS`` chooses: ``auto`` (the default: sharing when the archive fits), ``off`` (no
    archive) or ``strict`` (``-Xshare:on``: the JVM refuses to start when the archive does not
    fit; the tests use it to show that it does). Nothing is returned when set-up made no
    archive for this kind of launch (``SPARK_TESTING=1`` adds folders to Spark's class path, so
    the test suite has its own archive) or for this Spark home, when the archive file is gone, or
    when ``SPARK_CONF_DIR`` is already set (someone's own Spark settings win).

    Args:
        environ: The environment the JVM would start with (default ``os.environ``).
        launch: ``launch.json``'s content (default: read it from the Spark home's folder).
        home: The Spark home that will start the JVM (default: :func:`spark_home`).
    """
    env = os.environ if environ is None else environ
    mode = env.get("JANGBOGI_CDS", "auto")
    if mode == "off":
        return {}
    home = home or spark_home()
    launch = load_launch(jvm_dir(home)) if launch is None else launch
    if not launch or env.get("SPARK_CONF_DIR") or launch.get("spark_home") != home:
        return {}
    kind = "testing" if env.get("SPARK_TESTING") == "1" else "default"
    archive = (launch.get("archives") or {}).get(kind)
    conf_dir, props = launch.get("conf_dir"), launch.get("properties_file")
    if not all((archive, conf_dir, props)):
        return {}
    if not (Path(archive).is_file() and Path(conf_dir).is_dir() and Path(props).is_file()):
        return {}
    if any(Path(conf_dir).iterdir()):
        return {}  # the archive needs it empty
    if (launch.get("stamps") or {}).get(kind) != class_path_stamp(home, props):
        return {}  # made for other jars (e.g. before the venv was reinstalled): it would not fit
    opts = " ".join(
        p for p in (env.get("SPARK_SUBMIT_OPTS", ""), f"-XX:SharedArchiveFile={archive}") if p
    )
    flags = _USE_FLAGS.replace("-Xshare:auto", "-Xshare:on") if mode == "strict" else _USE_FLAGS
    out = {"SPARK_CONF_DIR": conf_dir, "SPARK_SUBMIT_OPTS": f"{opts} {flags}"}
    if launch.get("java_home") and not env.get("JAVA_HOME"):
        out["JAVA_HOME"] = launch["java_home"]
    return out


def properties_file(launch: dict | None = None, home: str | None = None) -> str | None:
    """Return the ``--properties-file`` that stands in for ``spark-defaults.conf`` (None: none)."""
    launch = load_launch(jvm_dir(home)) if launch is None else launch
    path = (launch or {}).get("properties_file")
    return path if path and Path(path).is_file() else None


def class_path_stamp(home: str, properties: str | Path) -> str:
    """Return a short hash of the class path's jars as the JVM checks them: path, size, mtime.

    The jars are Spark's own (``<home>/jars``) and those the properties file adds (``spark.jars``
    and the driver's ``extraClassPath``). A missing jar counts too (size and mtime ``-1``).

    Args:
        home: The Spark home.
        properties: The ``--properties-file`` of the launch.
    """
    jars = sorted(str(p) for p in (Path(home) / "jars").glob("*.jar"))
    with contextlib.suppress(OSError):
        for line in Path(properties).read_text(encoding="utf-8").splitlines():
            key, _, value = line.strip().partition(" ")
            if key == "spark.jars":
                jars += [p for p in value.strip().split(",") if p]
            elif key == "spark.driver.extraClassPath":
                jars += [p for p in value.strip().split(":") if p]
    h = hashlib.sha256()
    for jar in jars:
        try:
            st = os.stat(jar)
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            size = mtime = -1
        h.update(f"{jar}\0{size}\0{mtime}\n".encode())
    return h.hexdigest()[:12]


def _key(java_home: str, home: str, defaults: str, stamp: str) -> str:
    """Return a short hash of what the archive depends on: the JDK, Spark, settings and jars."""
    import pyspark

    modules = Path(os.path.realpath(java_home)) / "lib" / "modules"  # an updated JDK, same path
    try:
        st = modules.stat()
        jdk = f"{modules}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        jdk = str(modules)
    h = hashlib.sha256()
    for part in (jdk, home, pyspark.__version__, defaults, stamp):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:12]


_WORKLOAD = """
import sys
from spark_jobs.session import build_session
spark = build_session("local", app_name="jangbogi-cds")
spark.sql("CREATE TABLE IF NOT EXISTS kamis_raw.cds_t (res_dt DATE, k STRING, v DOUBLE, j STRING) "
          "USING DELTA PARTITIONED BY (res_dt)")
spark.sql("ALTER TABLE kamis_raw.cds_t ADD CONSTRAINT v_pos CHECK (v >= 0)")
df = spark.range(200).selectExpr("DATE'2026-11-30' - CAST(id % 3 AS INT) AS res_dt",
    "CAST(id % 7 AS STRING) AS k", "CAST(id AS DOUBLE) AS v",
    "to_json(named_struct('a', CAST(id AS STRING), 'b', array(id, id))) AS j")
df.write.format("delta").mode("append").saveAsTable("kamis_raw.cds_t")
w = "res_dt >= DATE'2026-11-30' AND res_dt <= DATE'2026-11-30'"
staged = df.where(w).localCheckpoint()
staged.write.format("delta").mode("overwrite").option("replaceWhere", w).saveAsTable("kamis_raw.cds_t")
t = spark.table("kamis_raw.cds_t")
t.groupBy("k").agg({"v": "avg"}).join(t.select("k", "res_dt").distinct(), "k").collect()
spark.sql("SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v DESC) AS rn, "
          "from_json(j, 'a STRING, b ARRAY<BIGINT>') AS p FROM kamis_raw.cds_t").collect()
import pandas as pd
t.groupBy("k").applyInPandas(lambda g: g[["k"]].head(1), "k STRING").collect()
spark.stop()
"""


def build(testing: bool = False, folder: Path | None = None) -> Path:
    """Build the archive for ordinary launches (or the test suite's), and record it in ``launch.json``.

    Runs the workload above in a fresh JVM that writes the archive when it exits; skipped when
    ``launch.json`` already names an archive for the same JDK, Spark, settings and jars.

    Returns:
        The archive's path.
    """
    from spark_jobs.jars import spark_defaults

    home = spark_home()
    if home is None:
        raise RuntimeError("PySpark is not installed in this interpreter")
    if folder is None and not os.environ.get("JANGBOGI_JVM_DIR"):
        _drop_unkeyed(jvm_dir(home).parent)
    folder = folder or jvm_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    conf_dir = folder / "conf-empty"
    conf_dir.mkdir(exist_ok=True)
    java_home = os.environ.get("JAVA_HOME") or _java_home()
    defaults = spark_defaults("python -m spark_jobs.jvm build, for CDS launches")
    props = folder / "spark-jangbogi.conf"
    kind = "testing" if testing else "default"
    tmp = folder / f".spark-jangbogi.conf.{kind}"
    tmp.write_text(defaults, encoding="utf-8")
    os.replace(tmp, props)
    stamp = class_path_stamp(home, props)
    archive = folder / f"spark-{_key(java_home, home, defaults, stamp)}-{kind}.jsa"
    if not archive.is_file():
        with tempfile.TemporaryDirectory(prefix="jangbogi-cds-") as scratch:
            env = {k: v for k, v in os.environ.items() if k != "SPARK_TESTING"}
            env.update(
                JANGBOGI_HOME=scratch,
                SPARK_CONF_DIR=str(conf_dir),
                JAVA_HOME=java_home,
                SPARK_SUBMIT_OPTS=f"-XX:ArchiveClassesAtExit={archive}.part -Xlog:cds=off "
                "-Xlog:cds+dynamic=off",
                JANGBOGI_SPARK_LOG_LEVEL="ERROR",
            )
            if testing:
                env["SPARK_TESTING"] = "1"
            proc = subprocess.run(
                [sys.executable, "-c", _WORKLOAD],
                env=env,
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if proc.returncode != 0 or not Path(f"{archive}.part").is_file():
                raise RuntimeError(f"building the CDS archive failed:\n{proc.stderr[-3000:]}")
        os.replace(f"{archive}.part", archive)
        for old in folder.glob(f"spark-*-{kind}.jsa"):
            if old != archive:
                old.unlink()
    import fcntl

    with open(folder / ".launch.lock", "w") as lock:  # two builds (default, testing) at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        launch = load_launch(folder) or {}
        launch.update(
            conf_dir=str(conf_dir),
            properties_file=str(props),
            java_home=java_home,
            spark_home=home,
        )
        launch["archives"] = {**(launch.get("archives") or {}), kind: str(archive)}
        launch["stamps"] = {**(launch.get("stamps") or {}), kind: stamp}
        tmp = folder / f".{LAUNCH_FILE}.{kind}"
        tmp.write_text(json.dumps(launch, indent=1), encoding="utf-8")
        os.replace(tmp, folder / LAUNCH_FILE)
    return archive


def _drop_unkeyed(base: Path) -> None:
    """Remove archives of the earlier layout: one folder for every Spark home (~230 MB each)."""
    for name in ("spark-*.jsa", LAUNCH_FILE, "spark-jangbogi.conf"):
        for old in base.glob(name):
            if old.is_file():
                old.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not there, or not empty: not ours to remove
        (base / "conf-empty").rmdir()


def _java_home() -> str:
    """Return the home of the ``java`` on PATH."""
    import shutil

    java = shutil.which("java")
    if not java:
        raise RuntimeError("no java on PATH and no JAVA_HOME")
    return str(Path(os.path.realpath(java)).parents[1])


def main(argv: list[str]) -> None:
    """``python -m spark_jobs.jvm build [--testing]`` | ``env`` (print the launch environment)."""
    if argv[:1] == ["build"]:
        print(build(testing="--testing" in argv))
    elif argv[:1] == ["env"]:
        for k, v in launch_env().items():
            print(f"{k}={v}")
    else:
        raise SystemExit("usage: python -m spark_jobs.jvm build [--testing] | env")


if __name__ == "__main__":
    main(sys.argv[1:])
