"""The lake on S3: s3a:// against a local S3-compatible server (moto's), path-style.

The same pipeline day as the local reference, with ``JANGBOGI_WAREHOUSE=s3a://…`` and
``JANGBOGI_S3_ENDPOINT`` naming moto's server: every Delta table must land in the bucket (and
none on the local disk), hold the same rows as the local run, and the serving publish must read
the gold marts from S3 with delta-rs.
"""

from __future__ import annotations

import subprocess

import boto3
import duckdb
import pytest
from deltalake import DeltaTable

from tests.cluster.conftest import REPO, VENV_BIN, job_env, pipeline_day
from tests.lake_digest import delta_digests, frame_digest
from tests.pg import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800)]

BUCKET = "jangbogi-lake-test"
CREDS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    env = {
        **CREDS,
        "AWS_REGION": "us-east-1",
        "JANGBOGI_S3_ENDPOINT": endpoint,
        "JANGBOGI_WAREHOUSE": f"s3a://{BUCKET}/warehouse",
    }
    try:
        yield client, env
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3_lake(s3, tmp_path_factory):
    _, env = s3
    home = tmp_path_factory.mktemp("lake-s3")
    seconds = pipeline_day(home, env=env)
    proc = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "spark_jobs.cli", "publish"],
        env=job_env(home, env), cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    print(f"\npipeline day on S3: {seconds:.1f} s")
    return home


def _s3_tables(client) -> list[str]:
    """Return ``db.db/table`` for every Delta log in the bucket."""
    keys = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return sorted({k.split("/_delta_log/")[0].removeprefix("warehouse/") for k in keys
                   if "/_delta_log/" in k})  # fmt: skip


def test_every_table_is_in_the_bucket_and_none_on_disk(s3, s3_lake, local_lake):
    client, _ = s3
    local = sorted(
        f"{p.parent.parent.name}/{p.parent.name}"
        for p in (local_lake / "var" / "warehouse").glob("*.db/*/_delta_log")
    )
    assert _s3_tables(client) == local
    assert not list((s3_lake / "var").glob("warehouse/*.db/*/_delta_log"))


def test_s3_tables_equal_the_local_run(s3, s3_lake, local_lake):
    client, env = s3
    from spark_jobs.s3 import delta_rs_options

    options = {**delta_rs_options(env), **CREDS}
    reference = delta_digests(local_lake / "var" / "warehouse")
    got = {}
    for path in _s3_tables(client):
        db, table = path.split("/")
        if db == "kamis_ops.db":
            continue
        df = DeltaTable(f"s3://{BUCKET}/warehouse/{path}", storage_options=options).to_pandas()
        got[f"{db[:-3]}.{table}"] = (len(df), frame_digest(df))
    assert set(got) == set(reference)
    assert {k: (reference[k], got[k]) for k in got if got[k] != reference[k]} == {}


def test_the_publish_read_the_marts_from_s3(s3_lake, local_lake):
    con = duckdb.connect(str(s3_lake / "var" / "serving" / "jangbogi.duckdb"), read_only=True)
    try:
        served = dict(con.execute('SELECT mart, "rows" FROM serving_meta').fetchall())
    finally:
        con.close()
    reference = delta_digests(local_lake / "var" / "warehouse")
    gold = {k.split(".", 1)[1]: v[0] for k, v in reference.items() if k.startswith("kamis_gold.")}
    assert served == gold
    assert served["mart_price_trend"] > 0
