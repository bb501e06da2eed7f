from __future__ import annotations

from pathlib import Path

import pytest

from spark_jobs import jars
from spark_jobs.config import ConfigError, load_profile
from spark_jobs.registry import all_tables, table
from spark_jobs.session import spark_conf

pytestmark = pytest.mark.unit


def test_local_is_default_and_paths_resolve_under_home(monkeypatch, tmp_path):
    monkeypatch.delenv("JANGBOGI_ENV", raising=False)
    monkeypatch.setenv("JANGBOGI_HOME", str(tmp_path))
    p = load_profile()
    assert p.name == "local"
    assert p.path("storage.warehouse") == str(tmp_path / "var" / "warehouse")
    assert p.path("serving.path") == str(tmp_path / "var" / "serving" / "jangbogi.duckdb")


def test_paths_keep_a_symlink_at_the_end_but_resolve_the_directory(monkeypatch, tmp_path):
    """serving.path becomes a symlink to a version file after the first publish; it must stay the link."""
    monkeypatch.setenv("JANGBOGI_HOME", str(tmp_path))
    real = tmp_path / "disk"
    (real / "serving").mkdir(parents=True)
    (tmp_path / "var").symlink_to(real)  # a symlinked directory is resolved …
    (real / "serving" / "jangbogi.v1.duckdb").write_bytes(b"")
    (real / "serving" / "jangbogi.duckdb").symlink_to("jangbogi.v1.duckdb")  # … the link is not
    p = load_profile("local")
    assert p.path("serving.path") == str(real / "serving" / "jangbogi.duckdb")
    assert p.path("storage.warehouse") == str(real / "warehouse")
    absolute = p.with_overrides(
        {"serving.path": str(tmp_path / "var" / "serving" / "jangbogi.duckdb")}
    )
    assert absolute.path("serving.path") == str(real / "serving" / "jangbogi.duckdb")


def test_env_var_selects_profile_and_interpolates(monkeypatch):
    monkeypatch.setenv("JANGBOGI_ENV", "stack")
    monkeypatch.setenv("HIVE_METASTORE_URI", "thrift://meta:9083")
    p = load_profile()
    assert p.name == "stack"
    assert p.get("metastore.uri") == "thrift://meta:9083"
    monkeypatch.delenv("HIVE_METASTORE_URI")
    assert load_profile("stack").get("metastore.uri") == "thrift://localhost:9083"


def test_overrides_are_dotted_and_deep():
    p = load_profile("local", {"spark.master": "local[1]", "kamis": {"concurrency": 3}})
    assert p.get("spark.master") == "local[1]"
    assert p.get("kamis.concurrency") == 3
    assert p.get("kamis.timeout_s") == 30  # untouched sibling survives the merge


def test_unknown_profile_names_the_known_ones():
    with pytest.raises(ConfigError, match=r"unknown profile 'nope'.*aws, local, stack"):
        load_profile("nope")


def test_spark_conf_uses_cached_jars_and_no_packages(monkeypatch, tmp_path):
    monkeypatch.setenv("JANGBOGI_HOME", str(tmp_path))
    conf = spark_conf(load_profile("local"))
    assert "spark.jars.packages" not in conf
    names = [Path(j).name for j in conf["spark.jars"].split(",")]
    assert names == ["delta-spark_4.2_2.13-4.4.0.jar", "delta-storage-4.4.0.jar"]
    assert (
        conf["spark.sql.catalog.spark_catalog"] == "org.apache.spark.sql.delta.catalog.DeltaCatalog"
    )
    assert conf["spark.sql.catalogImplementation"] == "hive"
    assert (
        f"databaseName={tmp_path}/var/metastore/metastore_db"
        in conf["spark.hadoop.javax.jdo.option.ConnectionURL"]
    )
    assert conf["spark.ui.enabled"] == "false"  # SPARK_TESTING=1 in conftest


def test_an_s3_warehouse_adds_the_s3a_jars_and_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("JANGBOGI_HOME", str(tmp_path))
    monkeypatch.setenv("JANGBOGI_WAREHOUSE", "s3a://lake/warehouse")
    monkeypatch.setenv("JANGBOGI_S3_ENDPOINT", "http://127.0.0.1:9999")
    monkeypatch.setenv("AWS_REGION", "ap-northeast-2")
    conf = spark_conf(load_profile("local"))
    names = [Path(j).name for j in conf["spark.jars"].split(",")]
    assert names == ["delta-spark_4.2_2.13-4.4.0.jar", "delta-storage-4.4.0.jar"]
    assert conf["spark.sql.warehouse.dir"] == "s3a://lake/warehouse"
    assert conf["spark.hadoop.fs.s3a.endpoint"] == "http://127.0.0.1:9999"
    assert conf["spark.hadoop.fs.s3a.path.style.access"] == "true"
    assert conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] == "false"
    assert conf["spark.hadoop.fs.s3a.endpoint.region"] == "ap-northeast-2"
    monkeypatch.delenv("JANGBOGI_WAREHOUSE")
    assert "spark.hadoop.fs.s3a.endpoint" not in spark_conf(load_profile("local"))


def test_s3_jars_are_cached_and_on_the_spark_class_path():
    paths = jars.cached_jar_paths(verify=True, jars=jars.S3_JARS)
    assert len(paths) == 36 and "hadoop-aws-3.5.0.jar" in {p.name for p in paths}
    import pyspark

    defaults = Path(pyspark.__file__).parent / "conf" / "spark-defaults.conf"
    settings = dict(
        line.split(None, 1)
        for line in defaults.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    for key in ("spark.driver.extraClassPath", "spark.executor.extraClassPath"):
        assert settings[key].strip().split(":") == [str(p) for p in paths], key


def test_set_up_and_the_cds_launches_read_the_same_spark_defaults():
    import pyspark

    from spark_jobs import jvm

    def settings(text: str) -> dict[str, str]:
        return dict(
            line.split(None, 1) for line in text.splitlines() if line and not line.startswith("#")
        )

    written = (Path(pyspark.__file__).parent / "conf" / "spark-defaults.conf").read_text()
    assert settings(written) == settings(jars.spark_defaults("x"))
    assert settings(written)["spark.jars"] == ",".join(map(str, jars.cached_jar_paths()))
    props = jvm.properties_file()
    assert props, "set-up writes the CDS launches' properties file"
    assert settings(Path(props).read_text()) == settings(written)


def test_missing_jar_cache_says_how_to_fix(tmp_path):
    with pytest.raises(jars.JarCacheError, match="make setup"):
        jars.cached_jar_paths(tmp_path)


def test_cached_jars_match_pinned_checksums():
    paths = jars.cached_jar_paths(verify=True)
    assert [p.name for p in paths] == [j.file_name for j in jars.DELTA_JARS]


def test_registry_is_consistent():
    tables = all_tables()
    assert {s.database for s in tables.values()} == {"kamis_raw", "kamis_silver", "kamis_gold"}
    for spec in tables.values():
        cols = spec.columns
        assert len(cols) == len(set(cols)), spec.full_name
        for c in (*spec.grain, *spec.partition_by, *spec.not_null):
            assert c in cols, f"{spec.full_name}: {c} not a column"
        if spec.date_column:
            assert spec.date_column in cols
        assert cols == [c.lower() for c in cols], "columns are lower case"
    assert table("stg_daily_market_price").full_name == "kamis_silver.stg_daily_market_price"
    with pytest.raises(KeyError):
        table("no_such_table")


def test_tables_doc_is_up_to_date():
    from spark_jobs.paths import PACKAGE_DIR
    from spark_jobs.tables_doc import render

    doc = (PACKAGE_DIR.parent / "docs" / "TABLES.md").read_text(encoding="utf-8")
    assert doc == render(), (
        "docs/TABLES.md is stale: python -m spark_jobs.tables_doc > docs/TABLES.md"
    )
