"""The spec model: validated datasets and charts and the catalog that holds them (values only).

A dataset names a gold mart (served under the same name), its columns with Korean labels and
formats, and its metrics (a column reference or an SQL aggregate over the query's rows). A chart
names a viz type, a dataset, a named query (``sql/<query>.sql``), metrics, group-by, the query
parameters its filters bind, a time grain, a row limit and presentation options. Objects are
built by :mod:`dashboard.specs.validate` and loaded by :mod:`dashboard.specs.loader`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class SpecError(ValueError):
    """A dataset or chart spec is malformed or refers to something that does not exist."""


@dataclass(frozen=True)
class Column:
    """A dataset column: Korean label, display format and (for prices) the column holding the unit."""

    name: str
    label: str
    fmt: str = "text"
    unit_column: str | None = None


@dataclass(frozen=True)
class Metric:
    """A metric: a column reference or an SQL aggregate expression over the query's rows."""

    name: str
    label: str
    column: str | None = None
    sql: str | None = None
    fmt: str = "float"


@dataclass(frozen=True)
class Dataset:
    """A dataset spec: one served gold mart."""

    name: str
    table: str
    description: str
    columns: dict[str, Column]
    metrics: dict[str, Metric]
    path: Path

    def label(self, name: str) -> str:
        """Return the Korean label of a column or metric (the name itself when unlabelled)."""
        if name in self.metrics:
            return self.metrics[name].label
        col = self.columns.get(name)
        return col.label if col else name

    def fmt(self, name: str) -> str:
        """Return the display format of a column or metric."""
        if name in self.metrics:
            return self.metrics[name].fmt
        col = self.columns.get(name)
        return col.fmt if col else "text"


@dataclass(frozen=True)
class Chart:
    """A chart spec; ``params`` are the query parameters its filters bind, in spec order."""

    name: str
    viz_type: str
    title: str
    description: str
    dataset: str
    query: str
    metrics: tuple[str, ...]
    groupby: tuple[str, ...]
    params: tuple[str, ...]
    time_grain: str | None
    row_limit: int | None
    viewport: dict[str, float] | None
    options: dict[str, Any]
    empty_text: str
    path: Path

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Return the query parameters from widget values keyed by parameter name.

        Raises:
            SpecError: A parameter the chart binds has no value.
        """
        missing = [p for p in self.params if p not in values]
        if missing:
            raise SpecError(f"chart {self.name!r}: no value for query parameter(s) {missing}")
        return {p: values[p] for p in self.params}


@dataclass(frozen=True)
class Catalog:
    """Every validated dataset and chart, and the named queries (name → SQL) they were checked against."""

    datasets: dict[str, Dataset]
    charts: dict[str, Chart]
    queries: dict[str, str] = field(default_factory=dict)

    def chart(self, name: str) -> Chart:
        """Return a chart by name (SpecError when unknown)."""
        if name not in self.charts:
            raise SpecError(f"unknown chart {name!r}; known: {sorted(self.charts)}")
        return self.charts[name]

    def dataset_of(self, chart: Chart) -> Dataset:
        """Return the dataset a chart reads."""
        return self.datasets[chart.dataset]
