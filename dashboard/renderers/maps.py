"""pydeck renderers: region polygons coloured by value, and columns at region coordinates.

No basemap and no token: ``map_provider=None`` and the GeoJSON of KAMIS retail regions
(:func:`dashboard.reference.region_geojson`) draws the shapes, so the maps render offline.
Tooltips are Korean lines filled from the spec's templates. The decks travel as compact JSON
and the grey base layer is built once per process, so a rerun only adds the coloured regions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize

from dashboard.reference import region_geojson
from dashboard.renderers import formats
from dashboard.renderers.base import prepare

if TYPE_CHECKING:
    from dashboard.specs.model import Chart, Dataset

REGION_NAME_PROPERTY = "CITY_AB_NM"
BASE_FILL = [225, 225, 225, 160]
BASE_LINE = [150, 150, 150, 200]
CHEAP, MIDDLE, DEAR = (46, 160, 67), (250, 200, 60), (215, 48, 39)
MAX_TOOLTIP_LINES = 6


def color_scale(values: list[float]) -> list[list[int]]:
    """Map values to RGBA on green (lowest) → yellow → red (highest); all-equal values are yellow."""
    numbers = [float(v) for v in values]
    lo, hi = (min(numbers), max(numbers)) if numbers else (0.0, 0.0)
    out = []
    for v in numbers:
        t = 0.5 if hi == lo else (v - lo) / (hi - lo)
        a, b, u = (CHEAP, MIDDLE, t * 2) if t <= 0.5 else (MIDDLE, DEAR, (t - 0.5) * 2)
        out.append([round(a[i] + (b[i] - a[i]) * u) for i in range(3)] + [220])
    return out


def _tooltip(chart: Chart) -> dict[str, Any]:
    lines = chart.options["tooltip"]
    lines = [lines] if isinstance(lines, str) else list(lines)
    html = "<br/>".join(f"<b>{{tt{i}}}</b>" if i == 0 else f"{{tt{i}}}" for i in range(len(lines)))
    return {
        "html": html,
        "style": {"fontSize": "13px", "backgroundColor": "#263238", "color": "white"},
    }


def _tooltip_fields(chart: Chart, row: dict[str, Any]) -> dict[str, str]:
    lines = chart.options["tooltip"]
    lines = [lines] if isinstance(lines, str) else list(lines)
    return {f"tt{i}": formats.fill(line, row) for i, line in enumerate(lines[:MAX_TOOLTIP_LINES])}


class CompactDeck(pdk.Deck):
    """A deck whose JSON (what ``st.pydeck_chart`` sends) has no indentation.

    pydeck indents by two spaces, one coordinate per line: that tripled a GeoJSON layer's bytes.
    """

    def to_json(self) -> str:
        """Return the deck as compact JSON (Hangul as UTF-8, not escaped)."""
        return json.dumps(
            self,
            sort_keys=True,
            default=default_serialize,
            separators=(",", ":"),
            ensure_ascii=False,
        )


@lru_cache(maxsize=1)
def _base_layer() -> pdk.Layer:
    """Return the grey layer of every region (shared by every deck: never changed)."""
    return pdk.Layer(
        "GeoJsonLayer",
        data=region_geojson(),
        id="regions-base",
        stroked=True,
        filled=True,
        get_fill_color=BASE_FILL,
        get_line_color=BASE_LINE,
        line_width_min_pixels=1,
        pickable=False,
    )


def _deck(chart: Chart, layers: list[pdk.Layer]) -> pdk.Deck:
    vp = chart.viewport or {}
    view = pdk.ViewState(
        latitude=vp["latitude"],
        longitude=vp["longitude"],
        zoom=vp["zoom"],
        pitch=vp.get("pitch", 0),
        bearing=vp.get("bearing", 0),
    )
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        map_style=None,
        tooltip=_tooltip(chart),
    )


class RegionMapRenderer:
    """KAMIS regions as polygons coloured by the first metric (green = cheapest)."""

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> pdk.Deck:
        """Return a deck: grey base polygons of every region, coloured polygons for regions with data."""
        data = prepare(chart, dataset, df)
        metric, name_col = chart.metrics[0], chart.options["region_column"]
        data = data.dropna(subset=[metric])
        rows = {str(r[name_col]): r for r in data.to_dict("records")}
        colors = dict(zip(rows, color_scale([r[metric] for r in rows.values()]), strict=True))
        features = []
        for feature in region_geojson()["features"]:
            name = feature["properties"][REGION_NAME_PROPERTY]
            if name not in rows:
                continue
            fields = {
                **_tooltip_fields(chart, rows[name]),
                "fill": colors[name],
                "value": float(rows[name][metric]),
            }
            # a new feature around the shared geometry: the cached shapes are never changed
            features.append(
                {**feature, "properties": {**feature["properties"], **fields}, **fields}
            )
        # Provinces are drawn before the cities inside them so a city's colour stays visible.
        features.sort(key=lambda f: f["properties"].get("CTP_KOR_NM") is None)
        layer = pdk.Layer(
            "GeoJsonLayer",
            data={"type": "FeatureCollection", "features": features},
            id=f"{chart.name}-values",
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[60, 60, 60, 220],
            line_width_min_pixels=1,
            pickable=True,
            auto_highlight=True,
        )
        return _deck(chart, [_base_layer(), layer])

    def show(self, built: pdk.Deck, chart: Chart) -> None:
        """Draw the map with a colour legend."""
        st.pydeck_chart(built, width="stretch", height=chart.options.get("height", 520))
        st.caption(
            chart.options.get(
                "legend",
                "색: 초록 = 저렴해요 → 노랑 = 보통 → 빨강 = 비싸요 · 지역 위에 마우스를 올리면 자세히 보여요",
            )
        )


class ColumnMapRenderer:
    """A 3D column per region at its coordinates: height = first metric, colour = ``color_metric``."""

    def build(self, chart: Chart, dataset: Dataset, df: pd.DataFrame) -> pdk.Deck:
        """Return a deck: grey region shapes and one ColumnLayer column per row."""
        opts = chart.options
        data = prepare(chart, dataset, df)
        metric = chart.metrics[0]
        color_metric = opts.get("color_metric", metric)
        data = data.dropna(subset=[metric, opts["latitude"], opts["longitude"]])
        colors = color_scale(list(data[color_metric]))
        top = float(data[metric].max()) if len(data) else 1.0
        records = []
        for row, color in zip(data.to_dict("records"), colors, strict=True):
            records.append(
                {
                    "longitude": float(row[opts["longitude"]]),
                    "latitude": float(row[opts["latitude"]]),
                    # Heights are relative to the dearest region so cheap and dear items look alike.
                    "elevation": float(row[metric]) / top if top else 0.0,
                    "value": float(row[metric]),
                    "fill": color,
                    **_tooltip_fields(chart, row),
                }
            )
        layer = pdk.Layer(
            "ColumnLayer",
            data=records,
            id=f"{chart.name}-columns",
            get_position=["longitude", "latitude"],
            get_elevation="elevation",
            elevation_scale=opts.get("elevation_scale", 60000),
            radius=opts.get("radius", 9000),
            get_fill_color="fill",
            extruded=True,
            pickable=True,
            auto_highlight=True,
        )
        return _deck(chart, [_base_layer(), layer])

    def show(self, built: pdk.Deck, chart: Chart) -> None:
        """Draw the map with a legend."""
        st.pydeck_chart(built, width="stretch", height=chart.options.get("height", 520))
        st.caption(
            chart.options.get("legend", "기둥 높이 = 가격 · 색: 초록 = 저렴해요 → 빨강 = 비싸요")
        )
