"""The dashboard's 운영 view: freshness per source from the serving store, last runs from the lake."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.integration
APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def _history(home: Path) -> None:
    from deltalake import write_deltalake

    d = date(2026, 11, 29)
    rows = pd.DataFrame(
        {
            "run_id": ["a", "b"],
            "job": ["raw.product_info", "gold.mart_buy_signal"],
            "start_dt": [d, d],
            "end_dt": [d, d],
            "status": ["success", "failed"],
            "rows_written": [3, None],
            "seconds": [12.5, 3.0],
            "peak_rss_mb": [900.0, 950.0],
            "error": [None, "RuntimeError('x')"],
            "orchestrator_run": ["master_pipeline/r/raw.product_info/1", None],
            "started_at": [datetime(2026, 11, 30, 1, 0), datetime(2026, 11, 30, 1, 5)],
            "finished_at": [datetime(2026, 11, 30, 1, 1), datetime(2026, 11, 30, 1, 6)],
        }
    )
    table = pa.Table.from_pandas(rows, preserve_index=False)
    write_deltalake(str(home / "var/warehouse/kamis_ops.db/job_run_history"), table)


def test_ops_view_shows_freshness_and_last_runs(serving_env, tmp_path, monkeypatch):
    monkeypatch.setenv("JANGBOGI_HOME", str(tmp_path))
    _history(tmp_path)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.sidebar.toggle(key="ops_view").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.subheader] == ["자료별 신선도", "최근 실행"]
    frames = [d.value for d in at.dataframe]
    status = next(f for f in frames if "source_nm" in f.columns)
    assert len(status) > 0 and "lag_days" in status.columns
    runs = next(f for f in frames if "job" in f.columns)
    assert list(runs["job"]) == ["gold.mart_buy_signal", "raw.product_info"]  # newest first
    assert {m.label: m.value for m in at.metric}["실패"] == "1"
    assert not at.tabs, "the shopper tabs give way to the ops view"


def test_ops_view_without_history_says_so(serving_env, tmp_path, monkeypatch):
    monkeypatch.setenv("JANGBOGI_HOME", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.sidebar.toggle(key="ops_view").set_value(True).run()
    assert not at.exception
    assert any("실행 기록이 없어요" in i.value for i in at.info)
