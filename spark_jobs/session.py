"""The one SparkSession builder: profile + overrides → Spark with Delta and a Hive metastore."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_jobs.config import Profile, load_profile
from spark_jobs.jars import S3_JARS, JarCacheError, cached_jar_paths, s3_classpath, spark_jars
from spark_jobs.jvm import launch_env
from spark_jobs.s3 import is_s3, s3a_conf

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DATABASES = ("kamis_raw", "kamis_silver", "kamis_gold")


def testing() -> bool:
    """Return True under the test suite (``SPARK_TESTING=1``)."""
    return os.environ.get("SPARK_TESTING") == "1"


def submitted() -> bool:
    """Return True when this Python was started by spark-submit (its JVM is already running)."""
    return bool(os.environ.get("PYSPARK_GATEWAY_PORT"))


def spark_conf(profile: Profile, app_name: str | None = None) -> dict[str, str]:
    """Return the Spark settings a profile implies (pure; used by the builder and by tests).

    Args:
        profile: The loaded profile.
        app_name: Overrides ``spark.app_name``.
    """
    warehouse = profile.path("storage.warehouse")
    conf: dict[str, str] = {
        "spark.app.name": app_name or profile.get("spark.app_name", "jangbogi"),
        "spark.master": str(profile.get("spark.master", "local[2]")),
        "spark.jars": spark_jars(),
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.warehouse.dir": warehouse,
        "spark.sql.shuffle.partitions": str(profile.get("spark.shuffle_partitions", 4)),
        "spark.sql.session.timeZone": "Asia/Seoul",
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        "spark.driver.memory": str(profile.get("spark.driver_memory", "2g")),
        "spark.ui.showConsoleProgress": "false",
        "spark.databricks.delta.snapshotPartitions": "2",
        "spark.sql.adaptive.enabled": "true",
        # New Delta tables keep partition values in the path only (see lake.ensure_table).
        "spark.databricks.delta.properties.defaults.writePartitionColumnsToParquet": "false",
        # Python workers must be this interpreter (with pandas/pyarrow), not whatever python3 is on PATH.
        "spark.pyspark.python": os.environ.get("PYSPARK_PYTHON") or sys.executable,
    }
    try:  # S3A (hadoop-aws + AWS SDK) on the JVM class path, as spark-defaults.conf puts it
        s3 = s3_classpath()
        conf["spark.driver.extraClassPath"] = conf["spark.executor.extraClassPath"] = s3
    except JarCacheError:
        s3 = ""
    if is_s3(warehouse):  # S3A settings
        if not s3:
            cached_jar_paths(jars=S3_JARS)  # a clear error when set-up has not fetched them
        conf.update(s3a_conf())
    kind = profile.get("metastore.kind", "derby")
    if kind == "derby":
        derby_dir = Path(profile.path("metastore.derby_dir"))
        conf["spark.hadoop.javax.jdo.option.ConnectionURL"] = (
            f"jdbc:derby:;databaseName={derby_dir / 'metastore_db'};create=true"
        )
        conf["spark.driver.extraJavaOptions"] = f"-Dderby.system.home={derby_dir}"
    elif kind == "thrift":
        conf["spark.hadoop.hive.metastore.uris"] = str(profile.get("metastore.uri"))
    elif kind == "jdbc":
        conf["spark.hadoop.javax.jdo.option.ConnectionURL"] = str(profile.get("metastore.url"))
        conf["spark.hadoop.javax.jdo.option.ConnectionDriverName"] = str(
            profile.get("metastore.driver", "org.postgresql.Driver")
        )
        conf["spark.hadoop.javax.jdo.option.ConnectionUserName"] = str(
            profile.get("metastore.user", "")
        )
        conf["spark.hadoop.javax.jdo.option.ConnectionPassword"] = os.environ.get(
            "JANGBOGI_METASTORE_PASSWORD", str(profile.get("metastore.password", ""))
        )
        conf["spark.hadoop.datanucleus.schema.autoCreateTables"] = "true"
        conf["spark.hadoop.datanucleus.schema.autoCreateColumns"] = "true"
        conf["spark.hadoop.datanucleus.schema.autoCreateConstraints"] = "false"
        conf["spark.hadoop.hive.metastore.schema.verification"] = "false"
        extra = profile.get("metastore.jars")
        if extra:
            conf["spark.jars"] += "," + str(extra)
    elif kind == "glue":
        conf.update(_glue_conf(profile))
        if profile.get("metastore.jars"):
            conf["spark.jars"] += "," + str(profile.get("metastore.jars"))
    if testing():
        conf["spark.ui.enabled"] = "false"
        conf["spark.sql.shuffle.partitions"] = str(profile.get("spark.test_shuffle_partitions", 2))
        conf["spark.default.parallelism"] = "2"
        conf["spark.databricks.delta.snapshotPartitions"] = "1"
    for key, value in (profile.get("spark.conf") or {}).items():
        conf[str(key) if str(key).startswith("spark.") else f"spark.hadoop.{key}"] = str(value)
    return conf


GLUE_CLIENT_FACTORY = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"


def _glue_conf(profile: Profile) -> dict[str, str]:
    """Return the settings that make Spark's Hive client use the AWS Glue Data Catalog.

    Assumes the Glue Hive client jars are on the classpath: EMR's Spark carries them; elsewhere
    ``metastore.jars`` names them. Keys are those of the AWS Glue Data Catalog client for Hive.
    """
    conf = {"spark.hadoop.hive.metastore.client.factory.class": GLUE_CLIENT_FACTORY}
    optional = {
        "metastore.region": "spark.hadoop.aws.region",
        "metastore.catalog_id": "spark.hadoop.hive.metastore.glue.catalogid",
        "metastore.endpoint": "spark.hadoop.aws.glue.endpoint",
    }
    for setting, key in optional.items():
        value = profile.get(setting)
        if value not in (None, ""):
            conf[key] = str(value)
    return conf


def build_session(
    profile: Profile | str | None = None,
    app_name: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    create_databases: bool = True,
) -> SparkSession:
    """Build (or return the active) SparkSession for a profile.

    Args:
        profile: A Profile, a profile name, or None for ``$JANGBOGI_ENV``/``local``.
        app_name: Spark application name.
        overrides: Extra Spark settings (``spark.*`` keys) applied last.
        create_databases: Create ``kamis_raw``/``kamis_silver``/``kamis_gold`` if missing.

    Returns:
        A Hive-enabled SparkSession with the Delta extensions, reading jars only from the cache.
    """
    from pyspark.sql import SparkSession

    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    conf = spark_conf(profile, app_name)
    if submitted():
        # Under spark-submit its --master decides (Airflow's Spark connection: local[*] in
        # `local`, spark://… in `stack`); a builder setting would silently override it.
        conf.pop("spark.master")
    conf.update({k: str(v) for k, v in (overrides or {}).items()})
    if profile.get("metastore.kind", "derby") == "derby":
        Path(profile.path("metastore.derby_dir")).mkdir(parents=True, exist_ok=True)
    # PySpark picks its worker interpreter from PYSPARK_PYTHON only (default: python3 on PATH,
    # which may lack pandas/pyarrow); pin it to the interpreter that builds the session.
    os.environ.setdefault("PYSPARK_PYTHON", conf["spark.pyspark.python"])
    builder = SparkSession.builder
    for key, value in conf.items():
        builder = builder.config(key, value)
    # A JVM this builder starts uses set-up's class-data-sharing archive (spark_jobs.jvm); the
    # variables are set for that launch only, not for the processes this one starts later.
    jvm_env = {} if submitted() else launch_env()
    saved = {k: os.environ.get(k) for k in jvm_env}
    os.environ.update(jvm_env)
    try:
        spark = builder.enableHiveSupport().getOrCreate()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    spark.sparkContext.setLogLevel(os.environ.get("JANGBOGI_SPARK_LOG_LEVEL", "WARN"))
    _quiet_known_noise(spark)
    if create_databases:
        ensure_databases(spark, profile)
    return spark


# Loggers that report expected, harmless events at WARN/ERROR with stack traces: Hive cannot store
# a Delta table's schema "in a Hive compatible way" (Spark then stores it its own way), a
# database created by another job a moment earlier, Hive's unused-setting chatter.
_NOISY_LOGGERS = {
    "org.apache.hadoop.hive.metastore.HiveAlterHandler": "OFF",
    "org.apache.spark.sql.hive.HiveExternalCatalog": "ERROR",
    "org.apache.spark.sql.execution.datasources.v2.CreateNamespaceExec": "ERROR",
    "org.apache.hadoop.hive.conf.HiveConf": "ERROR",
    "org.apache.hadoop.hive.ql.session.SessionState": "ERROR",
}


def _quiet_known_noise(spark: SparkSession) -> None:
    """Silence the loggers in ``_NOISY_LOGGERS`` (best effort: log4j2 may be swapped out)."""
    try:
        jvm = spark.sparkContext._jvm  # type: ignore[attr-defined]
        configurator = jvm.org.apache.logging.log4j.core.config.Configurator
        level = jvm.org.apache.logging.log4j.Level
        for name, lvl in _NOISY_LOGGERS.items():
            configurator.setLevel(name, level.toLevel(lvl))
    except Exception:  # logging tweaks must never stop a job
        pass


def ensure_databases(spark: SparkSession, profile: Profile) -> None:
    """Create the three lake databases under the warehouse if they do not exist."""
    warehouse = profile.path("storage.warehouse")
    for db in DATABASES:
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {db} LOCATION '{warehouse}/{db}.db'")
