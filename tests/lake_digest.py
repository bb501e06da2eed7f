"""Order-independent digests of a lake's Delta tables, for "same tables" comparisons."""

from __future__ import annotations

import hashlib
from pathlib import Path

# Stamps of *when* a run happened, not of what it wrote: re-asking a still-empty KAMIS call
# (recheck_days) renews its fetch stamps, and mart_update_status records its build time.
RUN_STAMPS = frozenset({"fetched_at", "elapsed_ms", "attempts", "updated_at"})


def frame_digest(df, ignore: frozenset[str] = RUN_STAMPS) -> str:
    """Return the sha256 of a DataFrame's rows, sorted, without the ``ignore`` columns."""
    cols = sorted(c for c in df.columns if c not in ignore)
    text = df[cols].astype(str).sort_values(cols).to_csv(index=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def delta_digests(warehouse: Path, skip_databases: tuple[str, ...] = ("kamis_ops",)) -> dict:
    """Return ``{db.table: (rows, digest)}`` for every Delta table under ``warehouse``."""
    from deltalake import DeltaTable

    out: dict[str, tuple[int, str]] = {}
    for log in sorted(warehouse.glob("*.db/*/_delta_log")):
        table = log.parent
        db = table.parent.name[:-3]
        if db in skip_databases:  # run history: appends by design
            continue
        df = DeltaTable(str(table)).to_pandas()
        out[f"{db}.{table.name}"] = (len(df), frame_digest(df))
    return out
