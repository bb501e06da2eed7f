"""Tab · 운영 (operations): freshness per source and the last job runs.

Freshness comes from the serving store (``mart_update_status``); the run history is the lake's
``kamis_ops.job_run_history`` Delta table, read with delta-rs (never Spark), since it is an
operational log, not a published mart.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.components.chart import fetch
from dashboard.components.data import serving_profile

LAST_RUNS = 30


@st.cache_data(ttl=60, show_spinner=False)
def run_history(warehouse: str, limit: int = LAST_RUNS) -> pd.DataFrame:
    """Return the latest ``limit`` job runs, newest first (empty when none was recorded yet)."""
    path = Path(warehouse) / "kamis_ops.db" / "job_run_history"
    if not (path / "_delta_log").is_dir():
        return pd.DataFrame()
    from deltalake import DeltaTable

    df = DeltaTable(str(path)).to_pandas()
    return df.sort_values("finished_at", ascending=False).head(limit).reset_index(drop=True)


def render() -> None:
    """Draw the tab."""
    st.subheader("자료별 신선도")
    status = fetch("update_status")
    if status.empty:
        st.info("아직 수집 현황이 없어요.")
    else:
        cols = [c for c in ("source_nm", "latest_dt", "lag_days", "row_cnt") if c in status]
        st.dataframe(status[cols], hide_index=True, width="stretch")
    st.subheader("최근 실행")
    try:
        runs = run_history(serving_profile().path("storage.warehouse"))
    except Exception as exc:  # the lake may live where the dashboard cannot read it
        st.info(f"실행 기록을 읽을 수 없어요 ({type(exc).__name__}).")
        return
    if runs.empty:
        st.info(
            "아직 실행 기록이 없어요. Airflow 나 `spark-submit spark_jobs/main.py` 로 작업을 실행해 보세요."
        )
        return
    failed = int((runs["status"] == "failed").sum())
    left, mid, right = st.columns(3)
    left.metric("최근 실행", len(runs))
    mid.metric("실패", failed)
    right.metric("마지막 실행", str(runs["finished_at"].iloc[0])[:19])
    show = ["finished_at", "job", "start_dt", "end_dt", "status", "rows_written", "seconds"]
    show += ["peak_rss_mb", "orchestrator_run"]
    st.dataframe(runs[[c for c in show if c in runs]], hide_index=True, width="stretch")
