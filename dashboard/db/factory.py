"""``connect(profile)``: the backend the profile names (``dashboard.backend``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.db.base import DatabaseConnection
from dashboard.db.queries import DEFAULT_SQL_DIR, QueryCatalog

if TYPE_CHECKING:
    from spark_jobs.config import Profile

BACKENDS = ("duckdb", "postgres", "trino", "athena")


def connect(profile: Profile, backend: str | None = None) -> DatabaseConnection:
    """Return a connection for ``backend`` (default ``dashboard.backend``, then ``duckdb``).

    Settings: duckdb ``serving.path``; postgres ``serving.dsn`` (``serving.schema``,
    ``dashboard.statement_timeout_ms``); trino ``query_engine.host/port/user/catalog/schema``;
    athena ``query_engine.region/workgroup/s3_staging_dir/database``. ``dashboard.sql_dir``
    overrides the folder of named queries.

    Raises:
        ValueError: Unknown backend or a missing setting.
    """
    name = backend or profile.get("dashboard.backend") or "duckdb"
    sql_dir = (
        profile.path("dashboard.sql_dir") if profile.get("dashboard.sql_dir") else DEFAULT_SQL_DIR
    )
    catalog = QueryCatalog(sql_dir)
    if name == "duckdb":
        from dashboard.db.duckdb_backend import DuckDBConnection

        return DuckDBConnection(profile.path("serving.path"), catalog)
    if name == "postgres":
        from dashboard.db.postgres_backend import PostgresConnection

        dsn = profile.get("serving.dsn")
        if not dsn:
            raise ValueError(f"profile {profile.name!r}: backend postgres needs serving.dsn")
        return PostgresConnection(
            dsn,
            catalog,
            schema=profile.get("serving.schema", "public"),
            statement_timeout_ms=int(profile.get("dashboard.statement_timeout_ms", 15_000)),
        )
    if name == "trino":
        from dashboard.db.trino_backend import TrinoConnection

        qe = profile.get("query_engine", {}) or {}
        return TrinoConnection(
            host=qe.get("host", "localhost"),
            port=int(qe.get("port", 8080)),
            user=qe.get("user", "jangbogi"),
            catalog=qe.get("catalog", "delta"),
            schema=qe.get("schema", "kamis_gold"),
            http_scheme=qe.get("http_scheme", "http"),
            queries=catalog,
        )
    if name == "athena":
        from dashboard.db.athena_backend import AthenaConnection

        qe = profile.get("query_engine", {}) or {}
        return AthenaConnection(
            region=qe.get("region"),
            workgroup=qe.get("workgroup", "primary"),
            output_location=qe.get("s3_staging_dir"),
            database=qe.get("database", "kamis_gold"),
            catalog=qe.get("catalog", "AwsDataCatalog"),
            queries=catalog,
        )
    raise ValueError(f"unknown dashboard backend {name!r} (one of {', '.join(BACKENDS)})")
