"""Load the spec catalog: ``datasets/*.yaml``, ``charts/*.yaml`` and the named queries under a root.

The named queries are read through the database layer's :class:`~dashboard.db.queries.QueryCatalog`
(the same files, read the same way, as the backends run), and every spec is checked by
:mod:`dashboard.specs.validate`; the first problem is raised as a SpecError naming the file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from dashboard.db.base import QueryError
from dashboard.db.queries import QueryCatalog
from dashboard.specs.model import Catalog, Chart, Dataset, SpecError
from dashboard.specs.validate import validate_chart, validate_dataset

DASHBOARD_DIR = Path(__file__).resolve().parents[1]


def read_yaml(path: Path) -> dict[str, Any]:
    """Return a spec file's mapping.

    Raises:
        SpecError: The file is not valid YAML or does not hold a mapping.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise SpecError(f"{path.name}: not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise SpecError(f"{path.name}: must hold a mapping")
    return data


def read_queries(sql_dir: Path) -> dict[str, str]:
    """Return every named query under ``sql_dir`` (name → SQL text, as the backends read it)."""
    queries = QueryCatalog(sql_dir)
    try:
        return {name: queries.sql(name) for name in queries.names()}
    except QueryError as err:
        raise SpecError(f"sql: {err}") from err


def load_catalog(root: Path = DASHBOARD_DIR) -> Catalog:
    """Load and validate every dataset, query and chart under ``root``.

    Raises:
        SpecError: The first problem found, naming the file and field.
    """
    queries = read_queries(root / "sql")
    datasets: dict[str, Dataset] = {}
    for path in sorted((root / "datasets").glob("*.yaml")):
        ds = validate_dataset(read_yaml(path), path)
        if ds.name in datasets:
            raise SpecError(f"dataset {path.name}: name {ds.name!r} used twice")
        datasets[ds.name] = ds
    charts: dict[str, Chart] = {}
    for path in sorted((root / "charts").glob("*.yaml")):
        chart = validate_chart(read_yaml(path), path, datasets, queries)
        if chart.name in charts:
            raise SpecError(f"chart {path.name}: name {chart.name!r} used twice")
        charts[chart.name] = chart
    return Catalog(datasets=datasets, charts=charts, queries=queries)


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """Return the validated catalog of the installed dashboard (loaded once per process)."""
    return load_catalog()
