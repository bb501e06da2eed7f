"""Show a chart by its spec name: bind widget values, run its query, render it, or say kindly why not."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components.data import run_query
from dashboard.renderers import renderer
from dashboard.specs.loader import catalog

log = logging.getLogger(__name__)
UNAVAILABLE = "아직 준비 중인 자료예요. 데이터가 게시되면 여기에 보여드릴게요."


def fetch(query_name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run a named query for a widget; an unavailable table gives an empty frame (logged).

    A ``country_cd`` / ``item_cd`` the serving store does not know is refused before the query
    runs (a Korean message, an empty frame): unknown codes never reach the database.
    """
    from dashboard.components.codes import UnknownCodeError, check_params, refuse
    from dashboard.db.base import QueryError

    try:
        check_params(params)
    except UnknownCodeError as err:
        refuse(err.kind, err.source, None)
        return pd.DataFrame()
    try:
        return run_query(query_name, params)
    except QueryError as err:
        log.warning("query %s unavailable: %s", query_name, err)
        return pd.DataFrame()


def show_chart(
    name: str,
    values: Mapping[str, Any] | None = None,
    transform: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    title: bool = True,
) -> pd.DataFrame:
    """Render chart ``name`` with its query's parameters taken from ``values``; return the rows shown.

    Args:
        name: Chart spec name (``charts/<name>.yaml``).
        values: Widget values keyed by query parameter name.
        transform: Optional step from the query's rows to the chart's rows (e.g. a basket's totals).
        title: Show the chart's title and description above it.
    """
    chart = catalog().chart(name)
    dataset = catalog().dataset_of(chart)
    if title:
        st.subheader(chart.title)
        if chart.description:
            st.caption(chart.description)
    df = fetch(chart.query, chart.bind(values or {}))
    if transform is not None and not df.empty:
        df = transform(df)
    columns = [dataset.metrics[m].column for m in chart.metrics if dataset.metrics[m].column]
    all_null = bool(columns) and all(c in df.columns and df[c].isna().all() for c in columns)
    if df.empty or all_null:
        st.info(chart.empty_text)
        return df
    impl = renderer(chart.viz_type)
    impl.show(impl.build(chart, dataset, df), chart)
    return df
