"""Altair renderers: line (with a 평년 band), bar and donut."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.renderers import formats
from dashboard.renderers.base import prepare

if TYPE_CHECKING:
    from dashboard.specs.model import Chart, Dataset

TIME_UNITS = {"day": "yearmonthdate", "week": "yearweek", "month": "yearmonth"}
AXIS_DATE = {"day": "%m/%d", "week": "%m/%d", "month": "%Y-%m"}
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3]]
PALETTE = ["#2e7d32", "#c62828", "#9e9e9e", "#1565c0", "#f9a825", "#6a1b9a"]


def _value_text(
    dataset: Dataset, metric: str, values: pd.Series, units: pd.Series | None
) -> list[str]:
    fmt = dataset.fmt(metric)
    if units is None:
        return [formats.value(v, fmt) for v in values]
    return [formats.value(v, fmt, u) for v, u in zip(values, units, strict=True)]


def _units(dataset: Dataset, metric: str, df: pd.DataFrame) -> pd.Series | None:
    m = dataset.metrics[metric]
    col = dataset.columns.get(m.column) if m.column else None
    if col is not None and col.unit_column and col.unit_column in df.columns:
        return df[col.unit_column]
    return None


class LineRenderer:
    """Metrics as lines over time; an optional shaded band between two columns (the 평년 범위)."""

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> alt.LayerChart:
        """Return a layered altair chart: band (area) under one line per metric."""
        opts = chart.options
        x = opts["x"]
        # a metric the rows do not carry (the forecast where the tab passed none) draws no line
        absent = [dataset.metrics[m].column for m in chart.metrics]
        df = df.assign(**{c: float("nan") for c in absent if c and c not in df.columns})
        data = prepare(chart, dataset, df)
        data[x] = pd.to_datetime(data[x])
        grain = chart.time_grain or "day"
        x_enc = alt.X(
            f"{x}:T",
            timeUnit=TIME_UNITS[grain],
            title=dataset.label(x),
            axis=alt.Axis(format=AXIS_DATE[grain], labelAngle=0),
        )
        frames = []
        for metric in chart.metrics:
            part = pd.DataFrame(
                {
                    x: data[x],
                    "series": dataset.label(metric),
                    "value": data[metric].astype(float),
                    "value_txt": _value_text(
                        dataset, metric, data[metric], _units(dataset, metric, data)
                    ),
                }
            )
            frames.append(part.dropna(subset=["value"]))
        long = pd.concat(frames, ignore_index=True)
        all_colors = opts.get("colors") or PALETTE[: len(chart.metrics)]
        shown = [i for i, f in enumerate(frames) if not f.empty] or [0]
        series = [dataset.label(chart.metrics[i]) for i in shown]
        colors = [all_colors[i % len(all_colors)] for i in shown]
        dashes = [DASHES[i % len(DASHES)] for i in shown]
        y_title = opts.get("y_title", "가격(원)")
        # Two entries a row: four in one row ran past a 390 px phone's chart and were cut off.
        legend = alt.Legend(
            title="구분",
            orient=opts.get("legend_orient", "top"),
            columns=opts.get("legend_columns", 2),
            symbolStrokeWidth=2,
        )
        lines = (
            alt.Chart(long)
            .mark_line(point=opts.get("points", False), strokeWidth=2)
            .encode(
                x=x_enc,
                y=alt.Y(
                    "value:Q",
                    title=y_title,
                    axis=alt.Axis(format=",.0f"),
                    scale=alt.Scale(zero=False),
                ),
                # Colour and dash share one legend (same field, title and legend): a dash
                # channel with legend=None made Vega-Lite drop the merged legend altogether.
                color=alt.Color(
                    "series:N",
                    title="구분",
                    scale=alt.Scale(domain=series, range=colors),
                    sort=series,
                    legend=legend,
                ),
                strokeDash=alt.StrokeDash(
                    "series:N",
                    title="구분",
                    scale=alt.Scale(domain=series, range=dashes),
                    sort=series,
                    legend=legend,
                ),
                tooltip=[
                    alt.Tooltip(f"{x}:T", title=dataset.label(x), format="%Y-%m-%d"),
                    alt.Tooltip("series:N", title="구분"),
                    alt.Tooltip("value_txt:N", title="값"),
                ],
            )
        )
        layers: list[alt.Chart] = []
        bands = [
            (opts.get("band_lower"), opts.get("band_upper"), "band_label", "평년 범위", "#1565c0"),
            # the forecast's 80 % interval after the history (only rows the tab passed in)
            (opts.get("forecast_lower"), opts.get("forecast_upper"), "forecast_label", "80% 예측 범위", "#e53935"),
        ]  # fmt: skip
        for lower, upper, label_key, label, color in bands:
            if not (lower and upper and lower in data and upper in data):
                continue
            if data[[lower, upper]].notna().any().all():
                label = opts.get(label_key, label)
                color = opts.get(label_key.replace("_label", "_color"), color)
                layers.append(
                    self._band(data, x, x_enc, dataset, lower, upper, y_title, label, color)
                )
        layers.append(lines)
        return alt.layer(*layers).properties(height=opts.get("height", 340))

    @staticmethod
    def _band(
        data: pd.DataFrame,
        x: str,
        x_enc: alt.X,
        dataset: Dataset,
        lower: str,
        upper: str,
        y_title: str,
        label: str,
        color: str,
    ) -> alt.Chart:
        """Return a shaded area between columns ``lower`` and ``upper`` with a price-range tooltip."""
        band = data[[x, lower, upper]].dropna().copy()
        band["band_txt"] = [
            f"{formats.price(lo)} ~ {formats.price(hi)}"
            for lo, hi in zip(band[lower], band[upper], strict=True)
        ]
        return (
            alt.Chart(band)
            .mark_area(opacity=0.18, color=color)
            .encode(
                x=x_enc,
                y=alt.Y(f"{lower}:Q", title=y_title),
                y2=alt.Y2(f"{upper}:Q"),
                tooltip=[
                    alt.Tooltip(f"{x}:T", title=dataset.label(x), format="%Y-%m-%d"),
                    alt.Tooltip("band_txt:N", title=label),
                ],
            )
        )

    def show(self, built: alt.LayerChart, chart: Chart) -> None:
        """Draw the chart full width."""
        st.altair_chart(built, width="stretch")
        # the 평년 caption only under a chart that drew the band (no 평년 rows: no band, no caption)
        if chart.options.get("band_lower") and chart.options.get(
            "band_label", "평년 범위"
        ) in _band_labels(built):
            st.caption(
                chart.options.get("band_caption", "음영: 평년 범위(최근 5년 중 최고·최저 해 제외)")
            )


def _band_labels(built: alt.LayerChart) -> set[str]:
    """Return the labels of the shaded bands a built line chart drew (their tooltip titles)."""
    labels: set[str] = set()
    for layer in getattr(built, "layer", []):
        tooltip = layer.encoding.tooltip if layer.encoding is not alt.Undefined else None
        if getattr(layer, "mark", None) != "area" and getattr(layer.mark, "type", None) != "area":
            continue
        for tip in tooltip if isinstance(tooltip, list) else []:
            spec = tip.to_dict()
            if spec.get("field") == "band_txt":  # the range's tooltip (see _band)
                labels.add(str(spec.get("title")))
    return labels


class BarRenderer:
    """One bar per category (``x``) of the first metric, optionally coloured by a column."""

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> alt.Chart:
        """Return an altair bar chart, sorted by value; horizontal when ``options.horizontal``."""
        opts = chart.options
        x, metric = opts["x"], chart.metrics[0]
        data = prepare(chart, dataset, df)
        data["value_txt"] = _value_text(
            dataset, metric, data[metric], _units(dataset, metric, data)
        )
        fmt = dataset.fmt(metric)
        axis_fmt = ",.0f" if fmt in ("price", "int") else ",.1f"
        value_enc = alt.X if opts.get("horizontal") else alt.Y
        cat_enc = alt.Y if opts.get("horizontal") else alt.X
        sort = "-x" if opts.get("horizontal") else "-y"
        if opts.get("sort") == "ascending":
            sort = "x" if opts.get("horizontal") else "y"
        encoding: dict[str, Any] = {
            ("x" if opts.get("horizontal") else "y"): value_enc(
                f"{metric}:Q",
                title=opts.get("value_title", dataset.label(metric)),
                axis=alt.Axis(format=axis_fmt),
            ),
            ("y" if opts.get("horizontal") else "x"): cat_enc(
                f"{x}:N", title=dataset.label(x), sort=sort, axis=alt.Axis(labelAngle=0)
            ),
            "tooltip": [
                alt.Tooltip(f"{x}:N", title=dataset.label(x)),
                alt.Tooltip("value_txt:N", title=dataset.label(metric)),
            ],
        }
        color = opts.get("color")
        if color:
            scale = alt.Scale(range=opts["colors"]) if opts.get("colors") else alt.Undefined
            encoding["color"] = alt.Color(f"{color}:N", title=dataset.label(color), scale=scale)
            encoding["tooltip"].insert(1, alt.Tooltip(f"{color}:N", title=dataset.label(color)))
            if opts.get("grouped", True):
                offset = alt.YOffset if opts.get("horizontal") else alt.XOffset
                encoding["yOffset" if opts.get("horizontal") else "xOffset"] = offset(f"{color}:N")
        else:
            encoding["color"] = alt.value(opts.get("bar_color", "#2e7d32"))
        for col in opts.get("tooltip_columns") or ():
            encoding["tooltip"].append(alt.Tooltip(f"{col}:N", title=dataset.label(col)))
        dim = opts.get("opacity")
        if dim:
            # Full bars for the first value of opacity_domain (e.g. 모든 품목 있음), faint ones else.
            domain = list(opts.get("opacity_domain") or sorted(data[dim].dropna().unique()))
            encoding["opacity"] = alt.Opacity(
                f"{dim}:N",
                title=dataset.label(dim),
                scale=alt.Scale(domain=domain, range=[1.0] + [0.25] * (len(domain) - 1)),
                legend=alt.Legend(orient="top"),
            )
        height = opts.get("height", max(220, 28 * len(data)) if opts.get("horizontal") else 320)
        return alt.Chart(data).mark_bar(cornerRadius=3).encode(**encoding).properties(height=height)

    def show(self, built: alt.Chart, chart: Chart) -> None:
        """Draw the chart full width."""
        st.altair_chart(built, width="stretch")


class DonutRenderer:
    """Shares as a donut: one slice per metric of the first row (wide) or per ``category`` (long)."""

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> alt.LayerChart:
        """Return an altair arc chart with a centre label of the total."""
        opts = chart.options
        data = prepare(chart, dataset, df)
        if opts.get("category"):
            cat, metric = opts["category"], chart.metrics[0]
            slices = pd.DataFrame(
                {"slice": data[cat].astype(str), "value": data[metric].astype(float)}
            )
        else:
            first = data.iloc[0]
            slices = pd.DataFrame(
                {
                    "slice": [dataset.label(m) for m in chart.metrics],
                    "value": [float(first[m]) for m in chart.metrics],
                }
            )
        total = slices["value"].sum()
        slices["share_txt"] = [
            formats.pct(100 * v / total if total else 0, signed=False) for v in slices["value"]
        ]
        slices["value_txt"] = [
            formats.integer(v) + opts.get("value_suffix", "") for v in slices["value"]
        ]
        slices["order"] = range(len(slices))
        domain = list(slices["slice"])
        colors = opts.get("colors") or PALETTE[: len(domain)]
        base = alt.Chart(slices).encode(
            theta=alt.Theta("value:Q", stack=True),
            color=alt.Color(
                "slice:N", title="구분", scale=alt.Scale(domain=domain, range=colors), sort=domain
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("slice:N", title="구분"),
                alt.Tooltip("value_txt:N", title=opts.get("value_title", "개수")),
                alt.Tooltip("share_txt:N", title="비율"),
            ],
        )
        arc = base.mark_arc(innerRadius=opts.get("inner_radius", 60), outerRadius=110)
        centre = (
            alt.Chart(
                pd.DataFrame(
                    {"label": [opts.get("center_label", "합계") + " " + formats.integer(total)]}
                )
            )
            .mark_text(fontSize=15, fontWeight="bold")
            .encode(text="label:N")
        )
        return alt.layer(arc, centre).properties(height=opts.get("height", 260))

    def show(self, built: alt.LayerChart, chart: Chart) -> None:
        """Draw the chart full width."""
        st.altair_chart(built, width="stretch")
