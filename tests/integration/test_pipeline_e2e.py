"""End to end: simulator → raw → silver → gold → serving over 36 days, through the CLI.

The marts are checked against figures recomputed here, independently of the pipeline's own
parser and transforms: straight from the raw bodies with ``json`` and pandas.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import nbformat
import pandas as pd
import pytest
from deltalake import DeltaTable
from nbclient import NotebookClient

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
START, END = date(2026, 10, 26), date(2026, 11, 30)  # 36 days, Monday to Monday
SCOPE = {
    "kamis.scope.regions": "1101,2100",
    "kamis.scope.categories": "200,400",
    "kamis.scope.items": "211,245,411",
}


def _num(text: object) -> float | None:
    """A KAMIS price string → number ('-', '', '0', [] and None are no price)."""
    if not isinstance(text, str):
        return None
    t = text.replace(",", "").strip()
    if t in ("", "-", "0"):
        return None
    return float(t)


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("e2e")
    env = dict(os.environ, JANGBOGI_HOME=str(home), JANGBOGI_ENV="local", SPARK_TESTING="1")
    opts = [a for k, v in SCOPE.items() for a in ("--opt", f"{k}={v}")]
    cmd = [
        sys.executable,
        "-m",
        "spark_jobs.cli",
        "run",
        "--start",
        str(START),
        "--end",
        str(END),
        *opts,
    ]
    proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-5000:]
    (home / "run.log").write_text(proc.stderr, encoding="utf-8")
    return home


def _table(home: Path, db: str, name: str) -> pd.DataFrame:
    return DeltaTable(str(home / "var" / "warehouse" / f"{db}.db" / name)).to_pandas()


def _raw(home: Path, name: str) -> pd.DataFrame:
    raw = _table(home, "kamis_raw", name)
    return raw[raw["outcome"] == "ok"]


def _category_prices(home: Path) -> pd.DataFrame:
    rows = []
    for body, params in _raw(home, "daily_price_by_category_list")[
        ["body", "params_json"]
    ].itertuples(index=False):
        p = json.loads(params)
        items = json.loads(body)["data"]["item"]
        for it in items if isinstance(items, list) else [items]:
            rows.append(
                {
                    "res_dt": date.fromisoformat(p["p_regday"]),
                    "cls": p.get("p_product_cls_code", "02"),
                    "country_cd": p.get("p_country_code") or "0000",
                    "key": (it["item_code"], it["kind_code"], it["rank_code"]),
                    "price": _num(it["dpr1"]),
                }
            )
    df = pd.DataFrame(rows)
    return df[(df["cls"] == "01") & df["price"].notna()]


def _round1(x: float) -> float:
    """Round half away from zero to 1 decimal, as Spark's ``round`` does (−6.25 → −6.3).

    pandas rounds half to even (−6.25 → −6.2), which would disagree with the mart on exact ties.
    """
    return float(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _changes(prices: pd.DataFrame) -> pd.DataFrame:
    """Change against the previous survey day with a price (not the calendar day before)."""
    df = prices.sort_values("res_dt").copy()
    df["prev_price"] = df.groupby(["country_cd", "key"])["price"].shift(1)
    df = df[df["prev_price"].notna()].copy()
    df["change_pct"] = ((df["price"] - df["prev_price"]) / df["prev_price"] * 100).map(_round1)
    return df


def test_every_registered_table_is_built(lake):
    from spark_jobs.registry import all_tables

    for spec in all_tables().values():
        path = lake / "var" / "warehouse" / f"{spec.database}.db" / spec.name
        assert (path / "_delta_log").is_dir(), f"{spec.full_name} was not built"
    for name in ("stg_daily_category_price", "stg_daily_market_price", "dim_item", "dim_region"):
        assert len(_table(lake, "kamis_silver", name)) > 0, name
    for name in (
        "mart_price_drop_top3",
        "mart_retail_channel_comparison",
        "mart_update_status",
        "mart_price_trend",
    ):
        assert len(_table(lake, "kamis_gold", name)) > 0, name


def test_region_counts_match_an_independent_recount(lake):
    changes = _changes(_category_prices(lake))
    diff = changes["price"] - changes["prev_price"]  # flat means exactly the same price
    changes["dir"] = diff.map(lambda c: "up" if c > 0 else ("down" if c < 0 else "flat"))
    mine = changes.pivot_table(
        index=["res_dt", "country_cd"], columns="dir", values="price", aggfunc="count", fill_value=0
    )
    mart = _table(lake, "kamis_gold", "mart_price_region_count").set_index(["res_dt", "country_cd"])
    assert len(mart) == len(mine) > 20
    for (dt, region), row in mine.iterrows():
        got = mart.loc[(dt, region)]
        assert (got.up_cnt, got.down_cnt, got.flat_cnt) == (
            row.get("up", 0),
            row.get("down", 0),
            row.get("flat", 0),
        ), (dt, region)


def test_top3_drops_match_an_independent_ranking(lake):
    changes = _changes(_category_prices(lake))
    mart = _table(lake, "kamis_gold", "mart_price_drop_top3")
    checked = 0
    for (dt, region), grp in changes[changes["change_pct"] < 0].groupby(["res_dt", "country_cd"]):
        expected = sorted(grp["change_pct"])[:3]
        got = mart[(mart.res_dt == dt) & (mart.country_cd == region)].sort_values("rank_no")
        assert list(got["change_pct"]) == pytest.approx(expected, abs=0.051), (dt, region)
        assert list(got["rank_no"]) == list(range(1, len(expected) + 1))
        top = grp[grp["change_pct"] == expected[0]]
        if len(top) == 1:  # no tie: the item itself must agree
            assert tuple(got.iloc[0][["item_cd", "kind_cd", "rank_cd"]]) == top.iloc[0]["key"]
        checked += 1
    assert checked > 20


def test_channel_comparison_matches_raw_market_rows(lake):
    rows = []
    for body, params in _raw(lake, "period_retail_product_list")[
        ["body", "params_json"]
    ].itertuples(index=False):
        p = json.loads(params)
        items = json.loads(body)["data"]["item"]
        for it in items if isinstance(items, list) else [items]:
            price = _num(it.get("price"))
            if (
                it.get("countyname") in ("평균", "평년")
                or price is None
                or not isinstance(it.get("marketname"), str)
            ):
                continue
            mm, dd = it["regday"].split("/")
            rows.append(
                {
                    "res_dt": date(int(it["yyyy"]), int(mm), int(dd)),
                    "item_cd": p["p_itemcode"], "kind_cd": p["p_kindcode"], "rank_cd": p["p_productrankcode"],
                    "country_nm": it["countyname"], "market_nm": it["marketname"],
                    "channel": "large_retail" if it["marketname"].endswith("-유통") else "traditional",
                    "price": price,
                }
            )  # fmt: skip
    markets = pd.DataFrame(rows).drop_duplicates(
        ["res_dt", "item_cd", "kind_cd", "rank_cd", "country_nm", "market_nm"]
    )
    silver = _table(lake, "kamis_silver", "stg_daily_market_price")
    assert len(silver) == len(markets)
    # 전국 compares the channels within regions: each channel's region means over the regions
    # with both channels, weighted by the markets priced there (large + traditional)
    key_cols = ["res_dt", "item_cd", "kind_cd", "rank_cd"]
    regional = (
        markets.groupby([*key_cols, "country_nm", "channel"])["price"]
        .agg(["mean", "count"])
        .unstack("channel")
        .dropna()
    )
    w = regional[("count", "large_retail")] + regional[("count", "traditional")]
    paired = pd.DataFrame(
        {
            "w": w,
            "large_w": regional[("mean", "large_retail")] * w,
            "trad_w": regional[("mean", "traditional")] * w,
            "large_cnt": regional[("count", "large_retail")],
            "trad_cnt": regional[("count", "traditional")],
        }
    )
    national = paired.groupby(level=key_cols).sum()
    mart = _table(lake, "kamis_gold", "mart_retail_channel_comparison")
    mart = mart[mart.country_cd == "0000"].set_index(key_cols)
    assert len(national) > 50 and len(mart) == len(national)
    for key, row in national.iterrows():
        got = mart.loc[key]
        assert got.large_retail_price == pytest.approx(row.large_w / row.w, abs=0.51), key
        assert got.traditional_price == pytest.approx(row.trad_w / row.w, abs=0.51), key
        assert (got.large_retail_cnt, got.traditional_cnt) == (row.large_cnt, row.trad_cnt)


def test_serving_store_has_the_marts(lake):
    con = duckdb.connect(str(lake / "var" / "serving" / "jangbogi.duckdb"), read_only=True)
    try:
        for name in ("mart_price_drop_top3", "mart_buy_signal", "mart_retail_channel_comparison"):
            served = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            assert served == len(_table(lake, "kamis_gold", name)), name
    finally:
        con.close()


def test_eda_notebook_runs_against_the_lake(lake, monkeypatch):
    monkeypatch.setenv("JANGBOGI_HOME", str(lake))
    nb = nbformat.read(REPO / "notebooks" / "eda_prices.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(lake)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "not built yet: none" in text
    # altair's default renderer embeds the Vega-Lite spec in HTML; every chart carries data rows
    charts = [
        o["data"]["text/html"]
        for o in outputs
        if "vegaEmbed" in o.get("data", {}).get("text/html", "")
    ]
    assert len(charts) == 3
    assert all('"datasets"' in html for html in charts)
