"""The table registry: one truth for every lake table's database, name, grain, partitions and schema.

Layer modules (``raw/tables.py``, ``silver/tables.py``, ``gold/tables.py``) declare their tables
with :class:`~spark_jobs.table_spec.TableSpec`; jobs, tests, docs and the dashboard's dataset
specs all read them here. Imports point one way: this module → the layer tables → ``table_spec``.
"""

from __future__ import annotations

from spark_jobs.gold.tables import TABLES as GOLD
from spark_jobs.raw.tables import TABLES as RAW
from spark_jobs.silver.tables import TABLES as SILVER
from spark_jobs.table_spec import LAYERS, TableSpec, _split_ddl, split_ddl

__all__ = ["LAYERS", "TableSpec", "_split_ddl", "all_tables", "split_ddl", "table"]


def all_tables() -> dict[str, TableSpec]:
    """Return every registered table keyed by ``database.name``."""
    out: dict[str, TableSpec] = {}
    for spec in (*RAW, *SILVER, *GOLD):
        if spec.full_name in out:
            raise ValueError(f"table {spec.full_name} registered twice")
        out[spec.full_name] = spec
    return out


def table(name: str) -> TableSpec:
    """Return the spec for ``name`` (``kamis_silver.stg_x`` or just ``stg_x``)."""
    tables = all_tables()
    if name in tables:
        return tables[name]
    matches = [s for s in tables.values() if s.name == name]
    if len(matches) != 1:
        raise KeyError(f"unknown table {name!r}")
    return matches[0]
