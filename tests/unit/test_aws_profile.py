"""The ``aws`` profile: Glue as Spark's metastore, Athena for the dashboard (moto), RDS serving."""

from __future__ import annotations

import re
from pathlib import Path

import boto3
import pandas as pd
import pytest
import yaml
from moto import mock_aws
from moto.athena.models import QueryResults, athena_backends
from moto.core import DEFAULT_ACCOUNT_ID

from dashboard.db import connect
from dashboard.db.athena_backend import VERSION_SQL
from spark_jobs.config import load_profile
from spark_jobs.session import GLUE_CLIENT_FACTORY, spark_conf

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
REGION = "ap-northeast-2"
_AWS_VARS = (
    "AWS_REGION",
    "GLUE_CATALOG_ID",
    "GLUE_ENDPOINT",
    "GLUE_CLIENT_JARS",
    "JANGBOGI_S3_ROOT",
    "JANGBOGI_SERVING_DSN",
    "ATHENA_WORKGROUP",
    "ATHENA_S3_STAGING_DIR",
    "SPARK_MASTER",
)


@pytest.fixture
def clean_env(monkeypatch):
    for var in _AWS_VARS:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_glue_metastore_settings_by_default(clean_env):
    conf = spark_conf(load_profile("aws"))
    assert conf["spark.hadoop.hive.metastore.client.factory.class"] == GLUE_CLIENT_FACTORY
    assert GLUE_CLIENT_FACTORY == (
        "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
    )
    assert conf["spark.hadoop.aws.region"] == REGION
    assert conf["spark.sql.catalogImplementation"] == "hive"
    assert conf["spark.sql.warehouse.dir"] == "s3://jangbogi-lake/warehouse"
    assert conf["spark.master"] == "yarn"
    # No catalog id or endpoint unless set: the caller's account and the regional endpoint.
    assert "spark.hadoop.hive.metastore.glue.catalogid" not in conf
    assert "spark.hadoop.aws.glue.endpoint" not in conf
    # Nothing of the other metastores leaks in.
    assert not [k for k in conf if "javax.jdo" in k or "metastore.uris" in k or "derby" in k]
    assert "derby" not in conf.get("spark.driver.extraJavaOptions", "")
    assert [Path(j).name for j in conf["spark.jars"].split(",")] == [
        "delta-spark_4.2_2.13-4.4.0.jar",
        "delta-storage-4.4.0.jar",
    ]


def test_glue_settings_follow_the_environment(clean_env):
    clean_env.setenv("AWS_REGION", "us-east-1")
    clean_env.setenv("GLUE_CATALOG_ID", "123456789012")
    clean_env.setenv("GLUE_ENDPOINT", "http://127.0.0.1:5000")
    clean_env.setenv("GLUE_CLIENT_JARS", "/opt/glue/aws-glue-datacatalog-hive3-client.jar")
    clean_env.setenv("JANGBOGI_S3_ROOT", "s3://other-lake")
    conf = spark_conf(load_profile("aws"))
    assert conf["spark.hadoop.aws.region"] == "us-east-1"
    assert conf["spark.hadoop.hive.metastore.glue.catalogid"] == "123456789012"
    assert conf["spark.hadoop.aws.glue.endpoint"] == "http://127.0.0.1:5000"
    assert conf["spark.jars"].endswith(",/opt/glue/aws-glue-datacatalog-hive3-client.jar")
    assert conf["spark.sql.warehouse.dir"] == "s3://other-lake/warehouse"


def test_other_profiles_get_no_glue_settings(clean_env):
    for name in ("local", "stack"):
        conf = spark_conf(load_profile(name))
        assert not [k for k in conf if "glue" in k or "client.factory" in k], name


def _keys(node, prefix=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{prefix}{key}"
            yield from _keys(value, f"{prefix}{key}.")


def test_aws_profile_file_holds_no_secret():
    text = (ROOT / "conf" / "aws.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    dsn = data["serving"]["dsn"]
    assert dsn.startswith("${JANGBOGI_SERVING_DSN:-postgresql://jangbogi@")  # no ":password@"
    assert "sslmode=require" in dsn
    secret_keys = [
        k for k in _keys(data) if any(w in k.lower() for w in ("password", "secret", "key_id"))
    ]
    assert secret_keys == []
    assert not re.search(r"://[^/@\s:]+:[^@\s]+@", text)  # no user:password@ anywhere


def test_rds_serving_dsn_comes_from_the_environment(clean_env):
    profile = load_profile("aws")
    assert profile.get("serving.kind") == "postgres"
    assert profile.get("serving.dsn") == (
        "postgresql://jangbogi@localhost:5432/jangbogi?sslmode=require"
    )
    dsn = (
        "postgresql://jangbogi@jangbogi-serving.abc.ap-northeast-2.rds.amazonaws.com:5432/jangbogi"
    )
    clean_env.setenv("JANGBOGI_SERVING_DSN", dsn)
    profile = load_profile("aws")
    conn = connect(profile, "postgres")
    assert conn.backend == "postgres" and conn.dsn == dsn


@pytest.fixture
def athena(clean_env):
    for var, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "ATHENA_WORKGROUP": "jangbogi",
        "ATHENA_S3_STAGING_DIR": "s3://jangbogi-athena-results/dashboard/",
    }.items():
        clean_env.setenv(var, value)
    with mock_aws():
        boto3.client("s3", region_name=REGION).create_bucket(
            Bucket="jangbogi-athena-results",
            CreateBucketConfiguration={"LocationConstraint": REGION},
        )
        boto3.client("athena", region_name=REGION).create_work_group(
            Name="jangbogi", Configuration={}
        )
        yield athena_backends[DEFAULT_ACCOUNT_ID][REGION]


def _queue(backend, columns, rows):
    header = {"Data": [{"VarCharValue": name} for name, _ in columns]}
    body = [{"Data": [{} if v is None else {"VarCharValue": v} for v in row]} for row in rows]
    info = [{"Name": name, "Label": name, "Type": typ} for name, typ in columns]
    backend.query_results_queue.append(QueryResults(rows=[header, *body], column_info=info))


def test_athena_named_query_round_trip_on_moto(athena):
    conn = connect(load_profile("aws"))
    assert conn.backend == "athena"
    conn.poll_interval_s = 0
    cols = [
        ("item_cd", "varchar"),
        ("price", "double"),
        ("percentile", "double"),
        ("res_dt", "date"),
    ]
    _queue(
        athena, cols, [["211", "3500.0", "0.1", "2026-11-27"], ["212", None, "0.9", "2026-11-27"]]
    )

    df = conn.run("buy_signal", {"country_cd": "1101' OR '1'='1"})

    client = boto3.client("athena", region_name=REGION)
    (qid,) = client.list_query_executions(WorkGroup="jangbogi")["QueryExecutionIds"]
    sent = client.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
    bound = conn.prepare("buy_signal", {"country_cd": "1101' OR '1'='1"})
    assert sent["Query"] == bound.sql and "?" in sent["Query"] and "1101" not in sent["Query"]
    assert sent["ExecutionParameters"] == ["'1101'' OR ''1''=''1'"] * sent["Query"].count("?")
    assert sent["QueryExecutionContext"] == {"Database": "kamis_gold", "Catalog": "AwsDataCatalog"}
    assert sent["WorkGroup"] == "jangbogi"
    # Athena (and moto) write the result as <output location><query id>.csv.
    assert sent["ResultConfiguration"]["OutputLocation"].startswith(
        "s3://jangbogi-athena-results/dashboard/"
    )
    assert list(df.columns) == ["item_cd", "price", "percentile", "res_dt"]
    assert df["item_cd"].tolist() == ["211", "212"]
    assert df["price"].iloc[0] == 3500.0 and pd.isna(df["price"].iloc[1])
    assert df["res_dt"].tolist() == [pd.Timestamp("2026-11-27")] * 2


def test_athena_data_version_is_cached_for_its_ttl(athena):
    conn = connect(load_profile("aws"))
    conn.poll_interval_s = 0
    clock = [0.0]
    conn._clock = lambda: clock[0]
    _queue(athena, [("data_version", "varchar")], [["v1"]])
    _queue(athena, [("data_version", "varchar")], [["v2"]])
    assert conn.data_version() == "v1"
    clock[0] = conn.version_ttl_s - 1
    assert conn.data_version() == "v1"
    clock[0] = conn.version_ttl_s + 1
    assert conn.data_version() == "v2"
    client = boto3.client("athena", region_name=REGION)
    ids = client.list_query_executions(WorkGroup="jangbogi")["QueryExecutionIds"]
    queries = {
        client.get_query_execution(QueryExecutionId=q)["QueryExecution"]["Query"] for q in ids
    }
    assert len(ids) == 2 and queries == {VERSION_SQL}
