"""Integration fixtures: a session-scoped PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pg import PgServer, start_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL 15 server on a free port of 127.0.0.1 for the whole session; stopped at the end."""
    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_dsn(pg_server: PgServer) -> str:
    """The DSN of the session's test database."""
    return pg_server.dsn


# --- a small gold lake (Delta tables written with delta-rs, no Spark) ---------------------------

from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from testkit.synthetic import make_items, make_regions, survey_days  # noqa: E402

GOLD_DAYS = survey_days(date(2026, 11, 2), date(2026, 11, 27))  # 20 weekdays, 4 weeks
GOLD_REGIONS = make_regions(4)  # 0000 전국, 1101 서울, 2100 부산, 2200 대구
GOLD_ITEMS = make_items(6)


def write_gold_lake(
    warehouse: Path, names: list[str] | None = None, seed: int = 0
) -> dict[str, int]:
    """Write synthetic gold marts (all, or ``names``) as Delta tables; return rows per mart."""
    from deltalake import write_deltalake

    from spark_jobs.gold.tables import TABLES
    from spark_jobs.serving.source import mart_uri
    from testkit.synthetic import synth_mart

    rows = {}
    for spec in TABLES:
        if names is not None and spec.name not in names:
            continue
        table = synth_mart(spec, GOLD_DAYS, GOLD_REGIONS, GOLD_ITEMS, seed=seed)
        write_deltalake(
            mart_uri(str(warehouse), spec.name), table, mode="overwrite", schema_mode="overwrite"
        )
        rows[spec.name] = table.num_rows
    return rows


def serving_profile(
    root: Path,
    kind: str,
    dsn: str | None = None,
    sql_dir: Path | None = None,
    backend: str | None = None,
):
    """A local profile whose lake and serving store live under ``root``."""
    from spark_jobs.config import load_profile

    overrides: dict[str, object] = {
        "storage.root": str(root),
        "storage.warehouse": str(root / "warehouse"),
        "serving.kind": kind,
        "serving.path": str(root / "serving" / "jangbogi.duckdb"),
        "dashboard.backend": backend or kind,
    }
    if dsn:
        overrides["serving.dsn"] = dsn
    if sql_dir:
        overrides["dashboard.sql_dir"] = str(sql_dir)
    return load_profile("local", overrides)


@pytest.fixture(scope="session")
def gold_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A lake root with every gold mart written once (synthetic, 20 days × 4 regions × 6 items)."""
    root = tmp_path_factory.mktemp("gold_lake")
    rows = write_gold_lake(root / "warehouse")
    return root, rows
