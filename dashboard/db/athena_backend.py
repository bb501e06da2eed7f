"""Athena backend: ``start_query_execution`` with ``ExecutionParameters``, poll, fetch the result pages."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from decimal import Decimal

import pandas as pd

from dashboard.db.base import QueryError, normalize_frame
from dashboard.db.named import NamedQueryConnection
from dashboard.db.queries import QueryCatalog
from dashboard.db.sqlbind import BoundQuery

VERSION_SQL = "SELECT max(data_version) AS data_version FROM mart_update_status"
_RUNNING = {"QUEUED", "RUNNING"}
_INTS = {"tinyint", "smallint", "integer", "int", "bigint"}
_FLOATS = {"double", "float", "real"}


def athena_literal(value: object) -> str:
    """Return an Athena execution parameter: a single SQL literal the engine parses on its own.

    Athena takes parameters as literals (``'abc'``, ``12``, ``DATE '2026-11-30'``) and substitutes
    them for ``?`` after parsing the statement, so a value cannot change the statement's shape;
    quotes inside strings are doubled so a string stays one literal.

    Raises:
        QueryError: A type with no literal form (or NaN/inf).
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"cannot bind non-finite float {value!r}")
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.replace(tzinfo=None).isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise QueryError(f"cannot bind a {type(value).__name__} parameter")


def _convert(values: list[str | None], athena_type: str) -> pd.Series:
    t = athena_type.lower()
    s = pd.Series(values, dtype=object)
    if t in _INTS or t in _FLOATS or t.startswith("decimal"):
        return pd.to_numeric(s)
    if t == "boolean":
        return s.map(lambda v: None if v is None else v == "true")
    if t == "date":
        return pd.to_datetime(s).astype("datetime64[ns]")
    if t.startswith("timestamp"):
        return pd.to_datetime(s, utc=True).dt.tz_localize(None).astype("datetime64[ns]")
    return s


class AthenaConnection(NamedQueryConnection):
    """Runs named queries on Athena (database ``kamis_gold`` in the Glue catalog)."""

    backend = "athena"
    dialect = "athena"

    def __init__(
        self,
        client: object | None = None,
        region: str | None = None,
        workgroup: str = "primary",
        output_location: str | None = None,
        database: str = "kamis_gold",
        catalog: str = "AwsDataCatalog",
        queries: QueryCatalog | None = None,
        poll_interval_s: float = 0.5,
        timeout_s: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
        version_ttl_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Use ``client`` (a boto3 Athena client) or create one for ``region``."""
        super().__init__(queries)
        if client is None:
            import boto3

            client = boto3.client("athena", region_name=region)
        self.client = client
        self.workgroup = workgroup
        self.output_location = output_location
        self.database = database
        self.catalog_name = catalog
        self.poll_interval_s = poll_interval_s
        self.timeout_s = timeout_s
        self._sleep = sleep
        self._clock = clock
        self.version_ttl_s = version_ttl_s
        self._version: tuple[float, str] | None = None

    def _start(self, sql: str, params: list[object]) -> str:
        args: dict[str, object] = {
            "QueryString": sql,
            "QueryExecutionContext": {"Database": self.database, "Catalog": self.catalog_name},
            "WorkGroup": self.workgroup,
        }
        if self.output_location:
            args["ResultConfiguration"] = {"OutputLocation": self.output_location}
        if params:
            args["ExecutionParameters"] = [athena_literal(v) for v in params]
        return self.client.start_query_execution(**args)["QueryExecutionId"]  # type: ignore[attr-defined]

    def _wait(self, qid: str) -> None:
        waited = 0.0
        while True:
            status = self.client.get_query_execution(QueryExecutionId=qid)["QueryExecution"][
                "Status"
            ]  # type: ignore[attr-defined]
            state = status["State"]
            if state == "SUCCEEDED":
                return
            if state not in _RUNNING:
                raise QueryError(
                    f"athena query {qid} {state}: {status.get('StateChangeReason', '')}"
                )
            if waited >= self.timeout_s:
                self.client.stop_query_execution(QueryExecutionId=qid)  # type: ignore[attr-defined]
                raise QueryError(
                    f"athena query {qid} still {state} after {self.timeout_s:.0f} s (cancelled)"
                )
            self._sleep(self.poll_interval_s)
            waited += self.poll_interval_s

    def _fetch(self, qid: str) -> pd.DataFrame:
        columns: list[tuple[str, str]] = []
        rows: list[list[str | None]] = []
        token: str | None = None
        first = True
        while True:
            kwargs = {"QueryExecutionId": qid, **({"NextToken": token} if token else {})}
            page = self.client.get_query_results(**kwargs)  # type: ignore[attr-defined]
            if first:
                columns = [
                    (c["Name"], c["Type"])
                    for c in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
                ]
            data = page["ResultSet"]["Rows"]
            if first and data:
                data = data[1:]  # the first row of the first page repeats the column names
            first = False
            rows.extend([d.get("VarCharValue") for d in r["Data"]] for r in data)
            token = page.get("NextToken")
            if not token:
                break
        frame = pd.DataFrame(
            {name: _convert([r[i] for r in rows], typ) for i, (name, typ) in enumerate(columns)}
        )
        return normalize_frame(frame)

    def _query(self, sql: str, params: list[object]) -> pd.DataFrame:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            qid = self._start(sql, params)
            self._wait(qid)
            return self._fetch(qid)
        except (BotoCoreError, ClientError) as e:
            raise QueryError(f"athena: {e}") from e

    def _execute(self, bound: BoundQuery) -> pd.DataFrame:
        return self._query(bound.sql, list(bound.params))  # type: ignore[arg-type]

    def data_version(self) -> str:
        """Return ``max(data_version)`` of ``mart_update_status``, re-read at most every ``version_ttl_s``."""
        now = self._clock()
        if self._version is None or now - self._version[0] >= self.version_ttl_s:
            self._version = (now, str(self._query(VERSION_SQL, []).iat[0, 0]))
        return self._version[1]
