"""Read gold marts from the lake without Spark (delta-rs), as Arrow tables."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

GOLD_DATABASE = "kamis_gold"


@dataclass(frozen=True)
class MartData:
    """One gold mart as read from its Delta table.

    Attributes:
        name: Mart name, e.g. ``mart_buy_signal``.
        table: The table's current snapshot.
        delta_version: The Delta table version that was read.
    """

    name: str
    table: pa.Table
    delta_version: int


def mart_uri(warehouse: str, name: str) -> str:
    """Return the Delta table location of a gold mart (``s3a://`` becomes ``s3://`` for delta-rs)."""
    base = warehouse.rstrip("/")
    if base.startswith("s3a://"):
        base = "s3://" + base[len("s3a://") :]
    return f"{base}/{GOLD_DATABASE}.db/{name}"


def read_mart(
    warehouse: str, name: str, storage_options: dict[str, str] | None = None
) -> MartData | None:
    """Read a mart's current snapshot, or return None when its Delta table does not exist yet.

    Args:
        warehouse: The lake warehouse root (``profile.path('storage.warehouse')``).
        name: Mart name.
        storage_options: delta-rs object store options (S3 endpoint, region …), if any.

    Returns:
        The mart's data, or None when no Delta table is at its location.
    """
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    uri = mart_uri(warehouse, name)
    try:
        dt = DeltaTable(uri, storage_options=storage_options)
    except TableNotFoundError:
        return None
    return MartData(name=name, table=dt.to_pyarrow_table(), delta_version=dt.version())
