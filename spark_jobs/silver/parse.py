"""The parse step: rows of one raw table → normalised rows, quarantined bodies/rows, body summary.

Every raw row's ``body`` goes through ``spark_jobs.kamis.parsing.parse_body(action, body,
json.loads(params_json))`` inside Spark (``mapInArrow`` with an explicit schema). What comes out:

* ``rows``: one row per normalised KAMIS row (the action's columns as strings / doubles, codes and
  ISO dates still strings) plus lineage (request_id, action, fetched_at, req_dt, row_no).
* ``quarantine``: bodies that are not KAMIS data (raw ``not_kamis``, parser NOT_KAMIS),
  bad-request / unauthenticated answers, bodies the parser raised on, OK bodies with no rows at
  all, and the parser's ``row_errors``; columns action, request_id, reason, detail, payload, req_dt.
* ``bodies``: one summary per raw row read (request_id, req_dt, raw outcome, parse outcome).

Raw rows whose outcome is ``failed`` (no body) are skipped, not quarantined: the raw layer retries
them, and the quarantine is for data we received but could not use. ``no_data`` and
``not_published`` bodies (result 000 with no price for the day asked, see
``spark_jobs.kamis.parsing``) simply produce no rows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spark_jobs.kamis.rows import (  # re-exported: the parse step's column families
    CATEGORY_FIELDS,
    COUNTY_FIELDS,
    DOUBLE_FIELDS,
    ECO_FIELDS,
    PERIOD_FIELDS,
    PRODUCT_INFO_FIELDS,
)

__all__ = [
    "CATEGORY_FIELDS",
    "COUNTY_FIELDS",
    "DOUBLE_FIELDS",
    "ECO_FIELDS",
    "PERIOD_FIELDS",
    "PRODUCT_INFO_FIELDS",
    "ParseOutput",
    "parse_raw",
    "parse_records",
    "rows_against_raw",
]

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

PAYLOAD_CHARS = 2000

LINEAGE = ("request_id", "action", "fetched_at", "req_dt")
QUARANTINE_COLS = ("action", "request_id", "reason", "detail", "payload", "req_dt")

ParseFn = Callable[[str, str, "dict[str, Any] | None"], Any]


@dataclass(frozen=True)
class ParseOutput:
    """What the parse step returns (see the module docstring)."""

    rows: DataFrame
    quarantine: DataFrame
    bodies: DataFrame
    combined: DataFrame

    def persist(self) -> ParseOutput:
        """Cache the combined frame so rows, quarantine and bodies parse each body once."""
        self.combined.persist()
        return self

    def unpersist(self) -> None:
        """Release the cache taken by :meth:`persist`."""
        self.combined.unpersist()


def _combined_ddl(fields: tuple[str, ...]) -> str:
    cols = [
        "request_id STRING", "action STRING", "fetched_us BIGINT", "req_dt_s STRING",
        "kind STRING", "row_no INT", "raw_outcome STRING", "parse_outcome STRING",
        "reason STRING", "detail STRING", "payload STRING",
    ]  # fmt: skip
    cols += [f"{f} {'DOUBLE' if f in DOUBLE_FIELDS else 'STRING'}" for f in fields]
    return ", ".join(cols)


def _as_string(value: Any) -> str | None:
    """Normalise a contract string value: None/[]/'' → None, numbers → str."""
    if value is None or value == [] or value == {} or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _as_double(value: Any) -> float | None:
    """Normalise a contract price: floats pass, numeric strings are read, anything else raises."""
    if value is None or value == [] or value == "" or value == "-":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    f = float(value) if isinstance(value, int | float) else float(str(value).replace(",", ""))
    return None if math.isnan(f) else f


def _payload(obj: Any) -> str:
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False, default=str)
    return text[:PAYLOAD_CHARS]


def parse_records(
    raw: dict[str, Any], fields: tuple[str, ...], parse_fn: ParseFn
) -> Iterator[dict[str, Any]]:
    """Yield the combined records (kind row / error / body) for one raw row (pure Python).

    Args:
        raw: The raw row: request_id, action, body, params_json, outcome, error_msg.
        fields: The action family's normalised columns.
        parse_fn: ``parse_body``-compatible callable.
    """
    base = {"request_id": raw["request_id"], "action": raw["action"], "raw_outcome": raw["outcome"]}
    body = raw.get("body")

    def error(reason: str, detail: str | None, payload: str | None, row_no: int = -1) -> dict:
        return {
            **base,
            "kind": "error",
            "row_no": row_no,
            "reason": reason,
            "detail": detail,
            "payload": payload,
        }

    def summary(parse_outcome: str) -> dict[str, Any]:
        return {**base, "kind": "body", "row_no": -1, "parse_outcome": parse_outcome}

    if raw["outcome"] == "failed" or body is None:
        yield summary("skipped")
        return
    if raw["outcome"] == "not_kamis":
        yield error("not_kamis", raw.get("error_msg"), _payload(body))
        yield summary("not_kamis")
        return
    try:
        params = json.loads(raw["params_json"]) if raw.get("params_json") else None
        result = parse_fn(raw["action"], body, params)
    except Exception as exc:  # the quarantine records why; one bad body must not stop the job
        yield error(
            "parse_exception", f"{type(exc).__name__}: {exc}"[:PAYLOAD_CHARS], _payload(body)
        )
        yield summary("exception")
        return
    outcome = getattr(result.outcome, "value", str(result.outcome)).lower()
    if outcome in ("no_data", "not_published"):  # nothing for the day asked (yet)
        yield summary(outcome)
        return
    if outcome != "ok":
        detail = (
            f"result_cd={result.result_cd}: {result.reason}" if result.result_cd else result.reason
        )
        yield error(outcome, detail or None, _payload(body))
        yield summary(outcome)
        return
    for index, reason, raw_row in result.row_errors:
        yield error("row_error", reason, _payload(raw_row), row_no=int(index))
    for row_no, row in enumerate(result.rows):
        try:
            values = {
                f: (_as_double if f in DOUBLE_FIELDS else _as_string)(row.get(f)) for f in fields
            }
        except (TypeError, ValueError) as exc:
            yield error("bad_number", str(exc), _payload(row), row_no=row_no)
            continue
        yield {**base, "kind": "row", "row_no": row_no, **values}
    if not result.rows and not result.row_errors:
        yield error("empty_body", "result 000 without rows", _payload(body))
    yield summary("ok")


def _default_parse_fn() -> ParseFn:
    from spark_jobs.kamis.parsing import parse_body

    return parse_body


# The Python worker hands parsed records back to Spark in Arrow batches of at most this many, and
# turns raw rows into Python objects this many at a time. Without the bound one input batch
# (up to 10,000 bodies; a region-less period body holds thousands of rows) became one list of
# dicts: a worker of 755 MB on a full-coverage daily run, measured 2026-12-07.
FLUSH_RECORDS = 10_000
RAW_ROWS_AT_ONCE = 16


def parse_raw(
    raw: DataFrame,
    fields: tuple[str, ...],
    parse_fn: ParseFn | None = None,
    flush_records: int = FLUSH_RECORDS,
) -> ParseOutput:
    """Parse every body of a raw DataFrame (rows of one raw table) inside Spark.

    Args:
        raw: Raw rows (the raw contract's columns; at least request_id, action, params_json,
            outcome, error_msg, body, fetched_at, req_dt).
        fields: The action family's columns, e.g. :data:`CATEGORY_FIELDS`.
        parse_fn: Defaults to ``spark_jobs.kamis.parsing.parse_body`` (tests inject stubs).
        flush_records: Most records per output Arrow batch (bounds a worker's memory).

    Returns:
        The rows / quarantine / body-summary frames (lazy; call ``persist`` to parse once).
    """
    from pyspark.sql import functions as F

    fn = parse_fn or _default_parse_fn()
    ddl = _combined_ddl(fields)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        types = {
            "STRING": pa.string(),
            "BIGINT": pa.int64(),
            "INT": pa.int32(),
            "DOUBLE": pa.float64(),
        }
        schema = pa.schema([(c.split()[0], types[c.split()[1]]) for c in ddl.split(", ")])
        records: list[dict[str, Any]] = []
        for batch in batches:
            for offset in range(0, batch.num_rows, RAW_ROWS_AT_ONCE):
                for raw_row in batch.slice(offset, RAW_ROWS_AT_ONCE).to_pylist():
                    for rec in parse_records(raw_row, fields, fn):
                        rec["fetched_us"] = raw_row["fetched_us"]
                        rec["req_dt_s"] = raw_row["req_dt_s"]
                        records.append(rec)
                        if len(records) >= flush_records:
                            yield pa.RecordBatch.from_pylist(records, schema=schema)
                            records = []
        if records:
            yield pa.RecordBatch.from_pylist(records, schema=schema)

    src = raw.select(
        "request_id",
        "action",
        "params_json",
        "outcome",
        "error_msg",
        "body",
        F.unix_micros("fetched_at").alias("fetched_us"),
        F.col("req_dt").cast("string").alias("req_dt_s"),
    )
    combined = (
        src.mapInArrow(run, ddl)
        .withColumn("fetched_at", F.timestamp_micros("fetched_us"))
        .withColumn("req_dt", F.to_date("req_dt_s"))
        .drop("fetched_us", "req_dt_s")
    )
    rows = combined.where("kind = 'row'").select(*LINEAGE, "row_no", *fields)
    quarantine = combined.where("kind = 'error'").select(*QUARANTINE_COLS)
    bodies = combined.where("kind = 'body'").select(
        "request_id", "action", "req_dt", "raw_outcome", "parse_outcome"
    )
    return ParseOutput(rows, quarantine, bodies, combined)


def rows_against_raw(parsed: ParseOutput) -> Callable[[DataFrame], str | None]:
    """Return the audit check "rows against raw" for a job's parse output.

    Every body that parsed OK must have produced at least one parsed row or one quarantine row;
    the staged table itself is not consulted (de-duplication legitimately drops superseded rows).
    """

    def check(_staged: DataFrame) -> str | None:
        produced = parsed.rows.select("request_id", "req_dt").union(
            parsed.quarantine.select("request_id", "req_dt")
        )
        ok = parsed.bodies.where("parse_outcome = 'ok'").select("request_id", "req_dt")
        lost = ok.join(produced.distinct(), ["request_id", "req_dt"], "left_anti")
        n = lost.count()
        if not n:
            return None
        sample = ", ".join(r.request_id[:12] for r in lost.limit(3).collect())
        return f"rows against raw: {n} ok raw bodies produced neither rows nor quarantine (e.g. {sample})"

    return check
