"""Spec validation: one YAML mapping in, one model object out, or a SpecError naming file and field.

Datasets are checked against the gold table registry (``spark_jobs/gold/tables.py``); charts
against the datasets and the named queries, whose ``:name`` placeholders are read by the
database layer's own parser (:func:`dashboard.db.sqlbind.placeholders`), so the filters a chart
declares are exactly the parameters its query will be bound with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlglot
import sqlglot.expressions as exp

from dashboard.db.base import QueryError
from dashboard.db.sqlbind import placeholders
from dashboard.renderers.formats import FORMATS, template_columns
from dashboard.specs.model import Chart, Column, Dataset, Metric, SpecError

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
DEFAULT_EMPTY_TEXT = "아직 보여드릴 데이터가 없어요."


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
        required=("x",),
        column_options=("x", "band_lower", "band_upper", "forecast_lower", "forecast_upper"),
        min_metrics=1,
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
        column_options=("tone_column", "details_column"),
        template_options=("title", "value", "caption", "badge", "details_title"),
    ),
}


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


def validate_dataset(data: Mapping[str, Any], path: Path) -> Dataset:
    """Return the dataset spec read from ``path`` as ``data``, checked against the gold registry.

    Raises:
        SpecError: The first problem found, naming the file and field.
    """
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
        # a derived column is computed by the query or the tab, so the mart need not hold it
        if not raw.get("derived", False) and col_name not in registry_columns:
            raise SpecError(f"{where}: column {col_name!r} is not a column of {table}")
        columns[col_name] = Column(
            name=col_name,
            label=str(_need(raw, "label", f"{where} column {col_name!r}")),
            fmt=_fmt(raw.get("format"), f"{where} column {col_name!r}"),
            unit_column=raw.get("unit_column"),
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


def _query_params(query: str, sql: str, where: str) -> set[str]:
    """Return the ``:name`` placeholders of a named query, as the database layer binds them."""
    try:
        return set(placeholders(sql))
    except QueryError as err:
        raise SpecError(f"{where}: sql/{query}.sql: {err}") from err


def validate_chart(
    data: Mapping[str, Any],
    path: Path,
    datasets: Mapping[str, Dataset],
    queries: Mapping[str, str],
) -> Chart:
    """Return the chart spec read from ``path`` as ``data``, checked against datasets and queries.

    Args:
        data: The chart's YAML mapping.
        path: The file it came from (named in every error).
        datasets: Validated datasets by name.
        queries: Named queries, name → SQL text.

    Raises:
        SpecError: The first problem found, naming the file and field.
    """
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
    params: list[str] = []
    for raw in data.get("filters") or ():
        # A filter binds :param to a widget and names the column it filters; the widget and the
        # column are declarations checked here (the tab's component draws the widget itself).
        fwhere = f"{where} filter"
        param = str(_need(raw, "param", fwhere))
        widget = str(_need(raw, "widget", fwhere))
        column = str(_need(raw, "column", fwhere))
        if widget not in WIDGETS:
            raise SpecError(
                f"{where}: filter widget {widget!r} unknown (known: {', '.join(WIDGETS)})"
            )
        need_column(column, "filter column")
        params.append(param)
    bound = set(params)
    needed = _query_params(query, queries[query], where)
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
        params=tuple(params),
        time_grain=time_grain,
        row_limit=row_limit,
        viewport=viewport,
        options=options,
        empty_text=str(data.get("empty_text") or DEFAULT_EMPTY_TEXT),
        path=path,
    )
