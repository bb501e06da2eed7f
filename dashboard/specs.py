"""Superset-shaped dataset and chart specs: load ``datasets/*.yaml`` and ``charts/*.yaml`` and validate them.

A dataset names a gold mart (served under the same name), its columns with Korean labels and
formats, and its metrics (a column reference or an SQL aggregate over the query's rows). A chart
names a viz type, a dataset, a named query (``sql/<query>.sql``), metrics, group-by, filters that
bind the query's ``:params`` to widgets, a time grain, a row limit and presentation options.
Every problem is reported as a :class:`SpecError` that names the file and the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlglot
import sqlglot.expressions as exp
import yaml

from dashboard.renderers.formats import FORMATS, template_columns

DASHBOARD_DIR = Path(__file__).resolve().parent
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
TIME_GRAINS = ("day", "week", "month")
WIDGETS = (
    "region",
    "item",
    "period",
    "season_item",
    "season_region",
    "retail_item",
    "eco_item",
    "eco_region",
    "basket",
)


@dataclass(frozen=True)
class VizRule:
    """What a viz type needs: required options, options naming a column, options holding templates."""

    required: tuple[str, ...] = ()
    column_options: tuple[str, ...] = ()
    list_column_options: tuple[str, ...] = ()
    template_options: tuple[str, ...] = ()
    min_metrics: int = 0
    map: bool = False


VIZ_RULES: dict[str, VizRule] = {
    "kpi": VizRule(min_metrics=1, template_options=("caption",)),
    "line": VizRule(
        required=("x",), column_options=("x", "band_lower", "band_upper"), min_metrics=1
    ),
    "bar": VizRule(
        required=("x",),
        column_options=("x", "color", "opacity"),
        list_column_options=("tooltip_columns",),
        min_metrics=1,
    ),
    "donut": VizRule(column_options=("category",), min_metrics=1),
    "map_region": VizRule(
        required=("region_column", "tooltip"),
        column_options=("region_column",),
        template_options=("tooltip",),
        min_metrics=1,
        map=True,
    ),
    "map_column": VizRule(
        required=("latitude", "longitude", "tooltip"),
        column_options=("latitude", "longitude"),
        template_options=("tooltip",),
        min_metrics=1,
        map=True,
    ),
    "table": VizRule(required=("columns",), list_column_options=("columns",)),
    "card_list": VizRule(
        required=("title",),
        column_options=("tone_column",),
        template_options=("title", "value", "caption", "badge"),
    ),
}


class SpecError(ValueError):
    """A dataset or chart spec is malformed or refers to something that does not exist."""


@dataclass(frozen=True)
class Column:
    """A dataset column: Korean label, display format and (for prices) the column holding the unit."""

    name: str
    label: str
    fmt: str = "text"
    unit_column: str | None = None
    derived: bool = False


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
class Filter:
    """Binds the query parameter ``:param`` to a widget; ``column`` is what it filters."""

    param: str
    widget: str
    column: str


@dataclass(frozen=True)
class Chart:
    """A chart spec."""

    name: str
    viz_type: str
    title: str
    description: str
    dataset: str
    query: str
    metrics: tuple[str, ...]
    groupby: tuple[str, ...]
    filters: tuple[Filter, ...]
    time_grain: str | None
    row_limit: int | None
    viewport: dict[str, float] | None
    options: dict[str, Any]
    empty_text: str
    path: Path

    @property
    def params(self) -> tuple[str, ...]:
        """Return the query parameter names the chart binds."""
        return tuple(f.param for f in self.filters)

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
    """Every validated dataset, chart and query."""

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


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise SpecError(f"{path.name}: not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise SpecError(f"{path.name}: must hold a mapping")
    return data


def _need(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise SpecError(f"{where}: missing required field {key!r}")
    return data[key]


def _fmt(value: Any, where: str) -> str:
    fmt = str(value or "text")
    if fmt not in FORMATS:
        raise SpecError(f"{where}: unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    return fmt


def _mart_columns(table: str) -> list[str] | None:
    """Return the gold mart's columns from the registry, or None when it is not a gold mart."""
    from spark_jobs.gold.tables import TABLES

    for spec in TABLES:
        if spec.name == table:
            return spec.columns
    return None


def parse_dataset(path: Path) -> Dataset:
    """Parse and validate one dataset spec against the gold table registry."""
    data = _read_yaml(path)
    where = f"dataset {path.name}"
    name = str(data.get("name") or path.stem)
    table = str(_need(data, "table", where))
    registry_columns = _mart_columns(table)
    if registry_columns is None:
        raise SpecError(f"{where}: table {table!r} is not a gold mart in spark_jobs/gold/tables.py")
    columns: dict[str, Column] = {}
    for col_name, raw in (_need(data, "columns", where) or {}).items():
        raw = raw or {}
        if not isinstance(raw, dict):
            raise SpecError(f"{where}: column {col_name!r} must be a mapping")
        derived = bool(raw.get("derived", False))
        if not derived and col_name not in registry_columns:
            raise SpecError(f"{where}: column {col_name!r} is not a column of {table}")
        columns[col_name] = Column(
            name=col_name,
            label=str(_need(raw, "label", f"{where} column {col_name!r}")),
            fmt=_fmt(raw.get("format"), f"{where} column {col_name!r}"),
            unit_column=raw.get("unit_column"),
            derived=derived,
        )
    for col in columns.values():
        if col.unit_column and col.unit_column not in columns:
            raise SpecError(
                f"{where}: column {col.name!r} unit_column {col.unit_column!r} is not a dataset column"
            )
    metrics: dict[str, Metric] = {}
    for metric_name, raw in (data.get("metrics") or {}).items():
        raw = raw or {}
        mwhere = f"{where} metric {metric_name!r}"
        column, sql = raw.get("column"), raw.get("sql")
        if bool(column) == bool(sql):
            raise SpecError(f"{mwhere}: give exactly one of 'column' or 'sql'")
        if column and column not in columns:
            raise SpecError(f"{mwhere}: column {column!r} is not a dataset column")
        if sql:
            _check_metric_sql(sql, columns, mwhere)
        default_fmt = columns[column].fmt if column else "float"
        metrics[metric_name] = Metric(
            name=metric_name,
            label=str(_need(raw, "label", mwhere)),
            column=column,
            sql=sql,
            fmt=_fmt(raw.get("format", default_fmt), mwhere),
        )
    return Dataset(
        name=name,
        table=table,
        description=str(data.get("description", "")),
        columns=columns,
        metrics=metrics,
        path=path,
    )


def _check_metric_sql(sql: str, columns: Mapping[str, Column], where: str) -> None:
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError as err:
        raise SpecError(f"{where}: SQL does not parse: {err}") from err
    if not any(isinstance(node, exp.AggFunc) for node in tree.walk()):
        raise SpecError(
            f"{where}: SQL metric {sql!r} must be an aggregate (use 'column' for a plain column)"
        )
    for node in tree.find_all(exp.Column):
        if node.name not in columns:
            raise SpecError(f"{where}: SQL refers to unknown column {node.name!r}")


def query_params(sql: str) -> set[str]:
    """Return the ``:name`` parameters of a query (ignoring ``::type`` casts and string literals)."""
    without_comments = re.sub(r"--[^\n]*", "", sql)
    without_strings = re.sub(r"'(?:[^']|'')*'", "''", without_comments)
    return set(_PARAM.findall(without_strings))


def parse_chart(path: Path, datasets: Mapping[str, Dataset], queries: Mapping[str, str]) -> Chart:
    """Parse and validate one chart spec against the datasets and the named queries."""
    data = _read_yaml(path)
    where = f"chart {path.name}"
    name = str(data.get("name") or path.stem)
    viz_type = str(_need(data, "viz_type", where))
    if viz_type not in VIZ_RULES:
        raise SpecError(f"{where}: unknown viz_type {viz_type!r} (known: {', '.join(VIZ_RULES)})")
    rule = VIZ_RULES[viz_type]
    dataset_name = str(_need(data, "dataset", where))
    if dataset_name not in datasets:
        raise SpecError(
            f"{where}: unknown dataset {dataset_name!r} (known: {', '.join(sorted(datasets))})"
        )
    dataset = datasets[dataset_name]
    query = str(_need(data, "query", where))
    if query not in queries:
        raise SpecError(f"{where}: no query file dashboard/sql/{query}.sql")

    def need_column(col: Any, what: str) -> None:
        if col not in dataset.columns and col not in dataset.metrics:
            raise SpecError(
                f"{where}: {what} {col!r} is not a column or metric of dataset {dataset_name!r}"
            )

    metrics = tuple(data.get("metrics") or ())
    for metric in metrics:
        if metric not in dataset.metrics:
            raise SpecError(
                f"{where}: metric {metric!r} is not a metric of dataset {dataset_name!r}"
            )
    if len(metrics) < rule.min_metrics:
        raise SpecError(f"{where}: viz_type {viz_type} needs at least {rule.min_metrics} metric(s)")
    groupby = tuple(data.get("groupby") or ())
    for col in groupby:
        need_column(col, "groupby column")
    filters = []
    for raw in data.get("filters") or ():
        fwhere = f"{where} filter"
        flt = Filter(
            param=str(_need(raw, "param", fwhere)),
            widget=str(_need(raw, "widget", fwhere)),
            column=str(_need(raw, "column", fwhere)),
        )
        if flt.widget not in WIDGETS:
            raise SpecError(
                f"{where}: filter widget {flt.widget!r} unknown (known: {', '.join(WIDGETS)})"
            )
        need_column(flt.column, "filter column")
        filters.append(flt)
    bound = {f.param for f in filters}
    needed = query_params(queries[query])
    if bound != needed:
        raise SpecError(
            f"{where}: filters bind {sorted(bound)} but sql/{query}.sql uses {sorted(needed)}"
        )
    time_grain = data.get("time_grain")
    if time_grain is not None and time_grain not in TIME_GRAINS:
        raise SpecError(f"{where}: time_grain {time_grain!r} not one of {TIME_GRAINS}")
    row_limit = data.get("row_limit")
    if row_limit is not None and (not isinstance(row_limit, int) or row_limit < 1):
        raise SpecError(f"{where}: row_limit must be a positive integer")
    options = dict(data.get("options") or {})
    for key in rule.required:
        if key not in options:
            raise SpecError(f"{where}: viz_type {viz_type} needs option {key!r}")
    for key in rule.column_options:
        if key in options:
            need_column(options[key], f"option {key}")
    for key in rule.list_column_options:
        for col in options.get(key) or ():
            need_column(col, f"option {key} entry")
    for key in rule.template_options:
        templates = options.get(key)
        for template in [templates] if isinstance(templates, str) else templates or ():
            for col in template_columns(str(template)):
                need_column(col, f"option {key} placeholder")
    viewport = data.get("viewport")
    if rule.map and (
        not isinstance(viewport, dict) or not {"latitude", "longitude", "zoom"} <= set(viewport)
    ):
        raise SpecError(f"{where}: map charts need viewport with latitude, longitude and zoom")
    return Chart(
        name=name,
        viz_type=viz_type,
        title=str(_need(data, "title", where)),
        description=str(data.get("description", "")),
        dataset=dataset_name,
        query=query,
        metrics=metrics,
        groupby=groupby,
        filters=tuple(filters),
        time_grain=time_grain,
        row_limit=row_limit,
        viewport=viewport,
        options=options,
        empty_text=str(data.get("empty_text") or "아직 보여드릴 데이터가 없어요."),
        path=path,
    )


def load_catalog(root: Path = DASHBOARD_DIR) -> Catalog:
    """Load and validate every dataset, query and chart under ``root``.

    Raises:
        SpecError: The first problem found, naming the file and field.
    """
    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "sql").glob("*.sql"))}
    datasets: dict[str, Dataset] = {}
    for path in sorted((root / "datasets").glob("*.yaml")):
        ds = parse_dataset(path)
        if ds.name in datasets:
            raise SpecError(f"dataset {path.name}: name {ds.name!r} used twice")
        datasets[ds.name] = ds
    charts: dict[str, Chart] = {}
    for path in sorted((root / "charts").glob("*.yaml")):
        chart = parse_chart(path, datasets, queries)
        if chart.name in charts:
            raise SpecError(f"chart {path.name}: name {chart.name!r} used twice")
        charts[chart.name] = chart
    return Catalog(datasets=datasets, charts=charts, queries=queries)


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """Return the validated catalog of the installed dashboard (loaded once per process)."""
    return load_catalog()
