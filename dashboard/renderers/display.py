"""Streamlit-native renderers: KPI tiles, formatted tables and card lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dashboard.renderers import formats
from dashboard.renderers.base import formatted, prepare

if TYPE_CHECKING:
    from dashboard.specs.model import Chart, Dataset

TONE_COLORS = {"good": "green", "bad": "red", "neutral": "gray", "info": "blue"}


@dataclass(frozen=True)
class Kpi:
    """One KPI tile: Korean label, formatted value and an optional formatted delta."""

    label: str
    value: str
    delta: str | None = None


@dataclass(frozen=True)
class Card:
    """One card: a headline, a value line, a caption, a badge and a tone (good / bad / neutral)."""

    title: str
    value: str = ""
    caption: str = ""
    badge: str = ""
    tone: str = "neutral"
    details_title: str = ""
    details: tuple[str, ...] = ()


class KpiRenderer:
    """The first row's metrics as KPI tiles; ``options.deltas`` maps a metric to its delta metric."""

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> list[Kpi]:
        """Return one :class:`Kpi` per chart metric from the first row."""
        data = prepare(chart, dataset, df)
        row = data.iloc[0].to_dict()
        deltas = chart.options.get("deltas") or {}
        out = []
        for name in chart.metrics:
            metric = dataset.metrics[name]
            unit = None
            col = dataset.columns.get(metric.column) if metric.column else None
            if col is not None and col.unit_column:
                unit = row.get(col.unit_column)
            delta = None
            if name in deltas and not formats.is_missing(row.get(deltas[name])):
                delta = formats.value(row.get(deltas[name]), dataset.fmt(deltas[name]))
            out.append(
                Kpi(
                    label=metric.label,
                    value=formats.value(row.get(name), metric.fmt, unit),
                    delta=delta,
                )
            )
        return out

    def show(self, built: list[Kpi], chart: Chart) -> None:
        """Draw the tiles side by side, ``options.columns`` a row (all by default).

        A price rise shows red (inverse colours suit a shopper). Prices with units ("28,900원/10개")
        need two tiles a row: four a row cut them off beside the sidebar. Phones stack the tiles.
        """
        per_row = int(chart.options.get("columns", len(built)))
        for start in range(0, len(built), per_row):
            row = built[start : start + per_row]
            for col, kpi in zip(st.columns(per_row), row, strict=False):
                with col:
                    st.metric(
                        kpi.label, kpi.value, delta=kpi.delta, delta_color="inverse", border=True
                    )


class TableRenderer:
    """Selected columns with Korean headers and display formats (prices with their units)."""

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> pd.DataFrame:
        """Return a frame of formatted strings whose headers are the columns' Korean labels."""
        data = prepare(chart, dataset, df)
        columns = chart.options["columns"]
        return pd.DataFrame({dataset.label(c): formatted(dataset, data, c) for c in columns})

    def show(self, built: pd.DataFrame, chart: Chart) -> None:
        """Draw the table full width without the index."""
        st.dataframe(built, hide_index=True, width="stretch")


class CardListRenderer:
    """One card per row from templates (``{col}``, ``{col:price}``, ``{col|이/가}``).

    ``options.details_column`` names a column of text lists shown as bullets under the card (with
    ``options.details_title`` above them) on the rows where the list is not empty.
    """

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> list[Card]:
        """Return one :class:`Card` per row (after the chart's row limit)."""
        opts = chart.options
        data = prepare(chart, dataset, df)
        tones = opts.get("tones") or {}
        cards = []
        for row in data.to_dict("records"):
            tone = opts.get("tone", "neutral")
            if opts.get("tone_column"):
                tone = tones.get(str(row.get(opts["tone_column"])), tone)
            raw = row.get(opts["details_column"]) if opts.get("details_column") else None
            details = tuple(str(d) for d in raw) if isinstance(raw, list | tuple) else ()
            cards.append(
                Card(
                    title=formats.fill(opts["title"], row),
                    value=formats.fill(opts.get("value", ""), row),
                    caption=formats.fill(opts.get("caption", ""), row),
                    badge=formats.fill(opts.get("badge", ""), row),
                    tone=tone,
                    details_title=formats.fill(opts.get("details_title", ""), row)
                    if details
                    else "",
                    details=details,
                )
            )
        return cards

    def show(self, built: list[Card], chart: Chart) -> None:
        """Draw the cards in a grid of ``options.columns`` per row."""
        per_row = int(chart.options.get("columns", 3))
        for start in range(0, len(built), per_row):
            cols = st.columns(per_row)
            for col, card in zip(cols, built[start : start + per_row], strict=False):
                with col, st.container(border=True):
                    color = TONE_COLORS.get(card.tone, "gray")
                    badge = f":{color}-badge[{card.badge}] " if card.badge else ""
                    st.markdown(f"{badge}**{card.title}**")
                    if card.value:
                        st.markdown(f"### :{color}[{card.value}]")
                    if card.caption:
                        st.caption(card.caption)
                    if card.details:
                        st.markdown(
                            (f"**{card.details_title}**\n" if card.details_title else "")
                            + "\n".join(f"- {line}" for line in card.details)
                        )
