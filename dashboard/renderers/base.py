"""What every renderer shares: the renderer protocol and metric preparation over a query's rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import duckdb
import pandas as pd

from dashboard.renderers import formats

if TYPE_CHECKING:
    from dashboard.specs.model import Chart, Dataset


class Renderer(Protocol):
    """Turns a chart spec and its query result into an object, then shows it in Streamlit."""

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> Any:
        """Return the altair chart / pydeck deck / display model for ``df`` (pure, no Streamlit)."""

    def show(self, built: Any, chart: Chart) -> None:
        """Draw ``built`` in the current Streamlit container."""


def prepare(chart: Chart, dataset: Dataset, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with one column per chart metric, aggregated by ``groupby`` when a metric is SQL.

    Column metrics are copied under the metric's name (rows kept); SQL metrics are evaluated by an
    in-process DuckDB over the query's rows, grouped by the chart's ``groupby`` columns. The chart's
    ``row_limit`` applies last.
    """
    metrics = [dataset.metrics[m] for m in chart.metrics]
    if any(m.sql for m in metrics):
        keys = ", ".join(f'"{c}"' for c in chart.groupby)
        exprs = [f'{m.sql if m.sql else f"first({m.column})"} AS "{m.name}"' for m in metrics]
        select = ", ".join([keys, *exprs] if keys else exprs)
        group = f" GROUP BY {keys} ORDER BY {keys}" if keys else ""
        con = duckdb.connect()
        try:
            con.register("rows", df)
            out = con.execute(f"SELECT {select} FROM rows{group}").df()
        finally:
            con.close()
    else:
        out = df.copy()
        for m in metrics:
            if m.column != m.name:
                out[m.name] = out[m.column]
    if chart.row_limit:
        out = out.head(chart.row_limit)
    return out.reset_index(drop=True)


def formatted(dataset: Dataset, df: pd.DataFrame, name: str) -> pd.Series:
    """Return column ``name`` formatted for display (prices carry their unit column when set)."""
    col = dataset.columns.get(name)
    fmt = dataset.fmt(name)
    if col is not None and col.unit_column and col.unit_column in df.columns:
        return pd.Series(
            [formats.value(v, fmt, u) for v, u in zip(df[name], df[col.unit_column], strict=True)],
            index=df.index,
        )
    return df[name].map(lambda v: formats.value(v, fmt))


def tooltip_text(templates: str | list[str], df: pd.DataFrame) -> list[str]:
    """Fill the tooltip template lines for every row, joined with ``<br/>`` for deck.gl's html tooltip."""
    lines = [templates] if isinstance(templates, str) else list(templates)
    rows = df.to_dict("records")
    return ["<br/>".join(formats.fill(line, row) for line in lines) for row in rows]
