"""The ``serving_meta`` table: one row per published mart (rows, when, which data version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

META_TABLE = "serving_meta"

META_SCHEMA = pa.schema(
    [
        pa.field("mart", pa.string(), nullable=False),
        pa.field("rows", pa.int64(), nullable=False),
        pa.field("published_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("data_version", pa.string(), nullable=True),
        pa.field("publish_id", pa.string(), nullable=False),
        pa.field("delta_version", pa.int64(), nullable=True),
    ]
)


@dataclass(frozen=True)
class MetaRow:
    """What one publish recorded for one mart.

    Attributes:
        mart: Mart name.
        rows: Rows published.
        published_at: When the publish committed (UTC).
        data_version: The lake's data version (from ``mart_update_status``) at publish time.
        publish_id: Unique, time-ordered id of the publish; the dashboard keys its caches on it.
        delta_version: The mart's Delta table version that was read.
    """

    mart: str
    rows: int
    published_at: datetime
    data_version: str | None
    publish_id: str
    delta_version: int | None


def meta_table(rows: list[MetaRow]) -> pa.Table:
    """Return the rows as an Arrow table with :data:`META_SCHEMA`."""
    return pa.Table.from_pylist([r.__dict__ for r in rows], schema=META_SCHEMA)
