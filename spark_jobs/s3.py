"""S3 storage: what Spark (S3A) and delta-rs need when the warehouse is an ``s3a://`` URI.

Any profile can keep its lake on S3 by pointing ``storage.warehouse`` at ``s3a://bucket/path``
(``JANGBOGI_WAREHOUSE`` in ``local`` and ``stack``); the S3A jars are on the class path of every
Spark JVM (set-up's ``spark-defaults.conf``). Credentials come from the usual AWS variables
(``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, S3A's default provider chain); an
S3-compatible server (MinIO, moto) is named by ``JANGBOGI_S3_ENDPOINT`` and is addressed
path-style.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENDPOINT_VAR = "JANGBOGI_S3_ENDPOINT"
DEFAULT_REGION = "us-east-1"


def is_s3(uri: str) -> bool:
    """Return True for an ``s3a://`` or ``s3://`` URI."""
    return uri.startswith(("s3a://", "s3://"))


def region(env: Mapping[str, str] = os.environ) -> str:
    """Return the AWS region (``AWS_REGION``, ``AWS_DEFAULT_REGION``, else us-east-1)."""
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def s3a_conf(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Return the Spark settings of S3A for the current environment (endpoint, region, style)."""
    conf = {"spark.hadoop.fs.s3a.endpoint.region": region(env)}
    endpoint = env.get(ENDPOINT_VAR, "").strip()
    if endpoint:
        conf["spark.hadoop.fs.s3a.endpoint"] = endpoint
        conf["spark.hadoop.fs.s3a.path.style.access"] = "true"
        conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] = str(
            endpoint.startswith("https://")
        ).lower()
    return conf


def delta_rs_options(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Return delta-rs storage options for the current environment (the serving publish's reads)."""
    options = {"AWS_REGION": region(env)}
    endpoint = env.get(ENDPOINT_VAR, "").strip()
    if endpoint:
        options["AWS_ENDPOINT_URL"] = endpoint
        options["AWS_VIRTUAL_HOSTED_STYLE_REQUEST"] = "false"
        if endpoint.startswith("http://"):
            options["AWS_ALLOW_HTTP"] = "true"
    return options
