"""One renderer per viz type: altair for charts, pydeck for maps, Streamlit for KPIs, tables and cards."""

from __future__ import annotations

from dashboard.renderers.base import Renderer
from dashboard.renderers.charts import BarRenderer, DonutRenderer, LineRenderer
from dashboard.renderers.display import CardListRenderer, KpiRenderer, TableRenderer
from dashboard.renderers.maps import ColumnMapRenderer, RegionMapRenderer

RENDERERS: dict[str, Renderer] = {
    "kpi": KpiRenderer(),
    "line": LineRenderer(),
    "bar": BarRenderer(),
    "donut": DonutRenderer(),
    "map_region": RegionMapRenderer(),
    "map_column": ColumnMapRenderer(),
    "table": TableRenderer(),
    "card_list": CardListRenderer(),
}


def renderer(viz_type: str) -> Renderer:
    """Return the renderer of a viz type (KeyError names the known ones)."""
    if viz_type not in RENDERERS:
        raise KeyError(f"no renderer for viz_type {viz_type!r}; known: {sorted(RENDERERS)}")
    return RENDERERS[viz_type]
