"""Raw table contracts: one table per KAMIS source (generated from the source registry), one row per call."""

from __future__ import annotations

from spark_jobs.sources import SOURCES
from spark_jobs.table_spec import TableSpec

RAW_SCHEMA = """
    request_id STRING NOT NULL,
    action STRING NOT NULL,
    params_json STRING NOT NULL,
    window_start_dt DATE,
    window_end_dt DATE,
    http_status INT,
    result_cd STRING,
    outcome STRING NOT NULL,
    error_msg STRING,
    body STRING,
    body_sha256 STRING,
    body_bytes BIGINT,
    returntype STRING,
    api_mode STRING NOT NULL,
    fetched_at TIMESTAMP NOT NULL,
    attempts INT NOT NULL,
    elapsed_ms BIGINT,
    req_dt DATE NOT NULL
"""

_DOCS = {
    "request_id": "sha256 of action + sorted parameters (key/id excluded): the call's identity within req_dt",
    "action": "KAMIS action name, e.g. dailyPriceByCategoryList",
    "params_json": "request parameters as sorted JSON, p_cert_key / p_cert_id removed",
    "window_start_dt": "first date the call asks for (p_regday, or p_startday for period calls)",
    "window_end_dt": "last date the call asks for (p_regday, or p_endday)",
    "http_status": "HTTP status of the last attempt (null when no response arrived)",
    "result_cd": "KAMIS error_code: 000 data, 001 no data, 200 bad parameters, 900 unauthenticated",
    "outcome": "ok | no_data | not_published (000 with no price for a survey day; asked again) | bad_request | unauthenticated | not_kamis | failed",
    "error_msg": "why the call failed (transport error or non-KAMIS body), never containing secrets",
    "body": "response body verbatim except the echoed cert key and id",
    "body_sha256": "sha256 of body as stored",
    "body_bytes": "length of body in bytes (UTF-8)",
    "returntype": "json or xml",
    "api_mode": "real or simulator",
    "fetched_at": "when the last attempt finished",
    "attempts": "number of HTTP attempts made",
    "elapsed_ms": "wall time across attempts",
    "req_dt": "the date the call was made for (daily calls: p_regday; period calls: window end)",
}


def _raw(name: str, description: str) -> TableSpec:
    return TableSpec(
        layer="raw",
        name=name,
        schema=RAW_SCHEMA,
        description=description,
        grain=("req_dt", "request_id"),
        partition_by=("req_dt",),
        not_null=(
            "request_id",
            "action",
            "params_json",
            "outcome",
            "api_mode",
            "fetched_at",
            "attempts",
            "req_dt",
        ),
        checks={"attempts_positive": "attempts >= 1"},
        date_column="req_dt",
        column_docs=_DOCS,
    )


# Source key → its raw table, one per record of the source registry.
BY_SOURCE: dict[str, TableSpec] = {s.key: _raw(s.key, s.table_description) for s in SOURCES}
TABLES: tuple[TableSpec, ...] = tuple(BY_SOURCE.values())
# KAMIS action → raw table that stores it.
ACTION_TABLE: dict[str, TableSpec] = {a: BY_SOURCE[s.key] for s in SOURCES for a in s.actions}

# The tables by name, for code and tests that read one of them.
DAILY_PRICE_BY_CATEGORY = BY_SOURCE["daily_price_by_category_list"]
DAILY_COUNTY = BY_SOURCE["daily_county_list"]
PERIOD_RETAIL_PRODUCT = BY_SOURCE["period_retail_product_list"]
ECO_PRICE = BY_SOURCE["eco_price_list"]
PRODUCT_INFO = BY_SOURCE["product_info"]
