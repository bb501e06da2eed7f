"""``jangbogi publish``: copy every gold mart from the lake to the serving store, atomically."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import pyarrow.compute as pc

from spark_jobs.config import ConfigError, Profile
from spark_jobs.gold.tables import MART_UPDATE_STATUS, TABLES
from spark_jobs.s3 import delta_rs_options, is_s3
from spark_jobs.serving.meta import MetaRow
from spark_jobs.serving.source import MartData, read_mart

log = logging.getLogger(__name__)


class ServingStore(Protocol):
    """A serving store: publishes a set of marts and their meta rows as one atomic change."""

    kind: str

    def describe(self) -> str:
        """Return the target (path or DSN without secrets)."""
        ...

    def publish(self, marts: Sequence[MartData], meta: Sequence[MetaRow]) -> None:
        """Replace the given marts and their ``serving_meta`` rows atomically."""
        ...


@dataclass(frozen=True)
class PublishSummary:
    """What a publish did.

    Attributes:
        kind: ``duckdb`` or ``postgres``.
        target: Where (path, or DSN without password).
        rows: Rows published per mart.
        missing: Marts with no Delta table yet (left as they were in the store).
        publish_id: Unique, time-ordered id of this publish (the dashboard's cache key).
        data_version: The lake's data version from ``mart_update_status`` (None when absent).
        seconds: Wall time.
    """

    kind: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    publish_id: str = ""
    data_version: str | None = None
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        """Return the rows published over all marts."""
        return sum(self.rows.values())

    def __str__(self) -> str:
        """Return a short Korean/English summary."""
        lines = [
            f"게시 완료 / published: {len(self.rows)} marts, {self.total_rows:,} rows → "
            f"{self.kind} {self.target} ({self.seconds:.1f} s, version {self.data_version or '-'})"
        ]
        if self.missing:
            lines.append(
                f"아직 없음 / not built yet ({len(self.missing)}): {', '.join(self.missing)}"
            )
        return "\n".join(lines)


def new_publish_id(now: datetime | None = None) -> str:
    """Return a unique id that sorts by time (``20261130T120000.123456Z-1a2b3c4d``)."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S.%f}Z-{uuid.uuid4().hex[:8]}"


def lake_data_version(marts: Sequence[MartData]) -> str | None:
    """Return the data version recorded in ``mart_update_status`` (distinct values joined), if present."""
    status = next((m for m in marts if m.name == MART_UPDATE_STATUS.name), None)
    if (
        status is None
        or status.table.num_rows == 0
        or "data_version" not in status.table.column_names
    ):
        return None
    values = sorted({v for v in pc.unique(status.table["data_version"]).to_pylist() if v})
    return "+".join(values) if values else None


def store_for(profile: Profile) -> ServingStore:
    """Return the serving store the profile names (``serving.kind``: duckdb or postgres).

    Raises:
        ConfigError: Unknown kind or a missing setting.
    """
    kind = profile.get("serving.kind", "duckdb")
    if kind == "duckdb":
        from spark_jobs.serving.duckdb_store import DuckDBStore

        return DuckDBStore(
            profile.path("serving.path"), memory_limit=profile.get("serving.memory_limit")
        )
    if kind == "postgres":
        from spark_jobs.serving.postgres_store import PostgresStore

        dsn = profile.get("serving.dsn")
        if not dsn:
            raise ConfigError(f"profile {profile.name!r}: serving.kind postgres needs serving.dsn")
        return PostgresStore(dsn, schema=profile.get("serving.schema", "public"))
    raise ConfigError(
        f"profile {profile.name!r}: unknown serving.kind {kind!r} (duckdb or postgres)"
    )


def read_marts(
    warehouse: str, names: Sequence[str], storage_options: dict[str, str] | None = None
) -> tuple[list[MartData], list[str]]:
    """Read the named marts from the lake; return (found, missing)."""
    found, missing = [], []
    for name in names:
        data = read_mart(warehouse, name, storage_options)
        if data is None:
            missing.append(name)
        else:
            found.append(data)
    return found, missing


def publish_marts(
    store: ServingStore,
    marts: Sequence[MartData],
    missing: Sequence[str] = (),
    publish_id: str | None = None,
) -> PublishSummary:
    """Publish already-read marts to a store as one atomic change and return the summary."""
    started = time.perf_counter()
    publish_id = publish_id or new_publish_id()
    version = lake_data_version(marts)
    now = datetime.now(UTC)
    meta = [
        MetaRow(m.name, m.table.num_rows, now, version, publish_id, m.delta_version) for m in marts
    ]
    if marts:
        store.publish(marts, meta)
    return PublishSummary(
        kind=store.kind,
        target=store.describe(),
        rows={m.name: m.table.num_rows for m in marts},
        missing=tuple(missing),
        publish_id=publish_id,
        data_version=version,
        seconds=time.perf_counter() - started,
    )


def publish_all(profile: Profile) -> PublishSummary:
    """Publish every gold mart from the profile's lake to its serving store.

    Reads each mart's Delta table at ``<storage.warehouse>/kamis_gold.db/<mart>`` with delta-rs (no
    Spark), then hands them all to the store, which swaps them in atomically: a reader sees the
    previous publish or this one, never a mix. Marts not built yet are listed in the summary and
    left as they were.

    Args:
        profile: The environment profile (``storage.warehouse``, ``serving.*``).

    Returns:
        The summary (its ``str`` is the console line).
    """
    started = time.perf_counter()
    store = store_for(profile)
    warehouse = profile.path("storage.warehouse")
    options = profile.get("storage.delta_storage_options") or None
    if options is None and is_s3(warehouse):
        options = delta_rs_options()
    marts, missing = read_marts(warehouse, [t.name for t in TABLES], options)
    if missing:
        log.warning("marts not built yet (not published): %s", ", ".join(missing))
    summary = publish_marts(store, marts, missing)
    log.info("%s", summary)
    return PublishSummary(**{**summary.__dict__, "seconds": time.perf_counter() - started})
