"""Each renderer turns a chart spec and known rows into the expected altair / pydeck / display object."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import pydeck as pdk
import pytest

from dashboard.components.basket import basket_options, everyday_picks, with_completeness
from dashboard.components.today import signal_rows, with_sources, with_survey_basis
from dashboard.db import connect
from dashboard.reference import region_geojson, split_islands
from dashboard.renderers import RENDERERS
from dashboard.renderers.display import Card, Kpi
from dashboard.renderers.maps import CHEAP, DEAR, color_scale
from dashboard.specs.loader import catalog
from spark_jobs.config import load_profile
from tests.dashboard_serving import RETAIL_PRICES, TODAY, mart_rows

pytestmark = pytest.mark.unit
ROWS = mart_rows()


def frame(mart: str, **equal) -> pd.DataFrame:
    df = pd.DataFrame(ROWS[mart])
    for col, value in equal.items():
        df = df[df[col] == value]
    return df.reset_index(drop=True)


def build(chart_name: str, df: pd.DataFrame):
    chart = catalog().chart(chart_name)
    return RENDERERS[chart.viz_type].build(chart, catalog().dataset_of(chart), df)


def test_card_list_shows_the_top3_drop_with_price_and_unit() -> None:
    df = frame("mart_price_drop_top3", country_cd="1101", res_dt=TODAY).sort_values("rank_no")
    cards = build("today_drop_top3", with_survey_basis(df.assign(latest_dt=TODAY)))
    assert [c.title for c in cards] == ["1위 · 배추 (월동)", "2위 · 무 (월동)", "3위 · 양파 (양파)"]
    # (3450 − 4200) / 4200 = −17.9 %; (2100 − 2400) / 2400 = −12.5 %; (2980 − 3150) / 3150 = −5.4 %
    assert [c.value for c in cards] == ["-17.9%", "-12.5%", "-5.4%"]
    assert cards[0].caption == "2026-11-30 · 3,450원/1포기 · 이전 4,200원/1포기 (2026-11-27)"
    assert all(isinstance(c, Card) and c.tone == "good" for c in cards)


def test_kpi_formats_price_with_unit_and_deltas() -> None:
    df = (
        frame("mart_price_trend", item_cd="211", country_cd="1101")
        .sort_values("res_dt", ascending=False)
        .head(1)
    )
    kpis = build("trend_kpis", df)
    assert kpis[0] == Kpi("가격", "3,450원/1포기", "-20.0%")
    assert {k.label: k.value for k in kpis[2:]} == {"전월 대비": "-20.0%", "전년 대비": "-8.5%"}


def test_kpi_with_sql_metrics_counts_signals() -> None:
    kpis = build("today_signal_counts", frame("mart_buy_signal", country_cd="1101"))
    assert [(k.label, k.value) for k in kpis] == [("싸요", "2"), ("보통", "1"), ("비싸요", "1")]


def test_line_has_the_normal_band_under_one_line_per_metric() -> None:
    trend = frame("mart_price_trend", item_cd="211", country_cd="1101")
    band = frame("mart_price_normal_band")[["res_dt", "band_min", "band_max"]]
    chart = build("trend_line", trend.merge(band, on="res_dt"))
    assert isinstance(chart, alt.LayerChart)
    spec = chart.to_dict()
    area, line = spec["layer"]
    assert area["mark"]["type"] == "area"
    assert (
        area["encoding"]["y"]["field"] == "band_min"
        and area["encoding"]["y2"]["field"] == "band_max"
    )
    assert line["mark"]["type"] == "line"
    assert (
        line["encoding"]["x"]["field"] == "res_dt"
        and line["encoding"]["x"]["timeUnit"] == "yearmonthdate"
    )
    assert line["encoding"]["color"]["field"] == "series"
    values = spec["datasets"][line["data"]["name"]]
    # 10 survey days × 4 series (price, ma7, ma28, normal_price all present)
    assert len(values) == 40
    assert {v["series"] for v in values} == {"가격", "7일 평균", "28일 평균", "평년 가격"}
    assert {v["value_txt"] for v in values if v["series"] == "평년 가격"} == {"3,800원/1포기"}


def test_line_has_one_korean_legend_for_its_four_lines() -> None:
    """Colour and dash encode the same series and share one legend titled 구분 (none was drawn)."""
    trend = frame("mart_price_trend", item_cd="211", country_cd="1101")
    band = frame("mart_price_normal_band")[["res_dt", "band_min", "band_max"]]
    line = build("trend_line", trend.merge(band, on="res_dt")).to_dict()["layer"][-1]["encoding"]
    color, dash = line["color"], line["strokeDash"]
    assert color["field"] == dash["field"] == "series"
    assert color.get("legend") is not None and dash.get("legend") is not None
    assert color["legend"] == dash["legend"] and color["legend"]["title"] == "구분"
    assert (
        color["scale"]["domain"]
        == dash["scale"]["domain"]
        == ["가격", "7일 평균", "28일 평균", "평년 가격"]
    )


def test_bar_is_horizontal_by_store_type() -> None:
    df = frame("mart_eco_price_by_store_type", item_cd="211")
    spec = build("eco_store_type_bar", df).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert (
        spec["encoding"]["y"]["field"] == "store_type_nm"
        and spec["encoding"]["x"]["field"] == "avg_price"
    )
    values = spec["datasets"][spec["data"]["name"]]
    assert sorted((v["store_type_nm"], v["value_txt"]) for v in values) == [
        ("대형마트", "5,200원/1포기"),
        ("백화점", "6,800원/1포기"),
        ("생협", "4,900원/1포기"),
    ]


def test_donut_has_one_slice_per_metric() -> None:
    df = frame("mart_price_region_count", country_cd="1101", res_dt=TODAY)
    spec = build("today_updown_donut", df).to_dict()
    arc = spec["layer"][0]
    assert arc["mark"]["type"] == "arc" and arc["encoding"]["theta"]["field"] == "value"
    values = spec["datasets"][arc["data"]["name"]]
    assert [(v["slice"], v["value"]) for v in values] == [
        ("내렸어요", 12),
        ("올랐어요", 7),
        ("그대로예요", 5),
    ]
    assert values[0]["share_txt"] == "50.0%"  # 12 / 24


def test_table_has_korean_headers_and_formatted_values() -> None:
    df = frame("mart_price_alerts").sort_values(["res_dt", "severity"], ascending=False)
    table = build("today_alerts", df)
    assert list(table.columns) == ["기준일", "알림", "품목", "품종", "가격", "내용"]
    assert table.iloc[0].tolist() == [
        "2026-11-30",
        "갑자기 내렸어요",
        "배추",
        "월동",
        "3,450원/1포기",
        "평소보다 크게 내렸어요",
    ]


def test_region_map_colours_polygons_by_price_without_a_basemap() -> None:
    df = frame("mart_season_region_product", item_cd="211")
    deck = build("season_map", df)
    assert isinstance(deck, pdk.Deck)
    spec = json.loads(deck.to_json())
    assert "mapProvider" not in spec and "mapStyle" not in spec  # no basemap, no token, no tiles
    base, values = spec["layers"]
    assert base["@@type"] == values["@@type"] == "GeoJsonLayer"
    features = {f["properties"]["CITY_AB_NM"]: f for f in values["data"]["features"]}
    assert set(features) == {"서울", "부산", "수원"}
    assert features["부산"]["properties"]["fill"] == [*CHEAP, 220]  # cheapest: 3,300원
    assert features["수원"]["properties"]["fill"] == [*DEAR, 220]  # dearest: 3,600원
    busan = features["부산"]["properties"]
    assert [busan[f"tt{i}"] for i in range(4)] == [
        "부산 · 배추 (월동)",
        "가격 3,300원/1포기",
        "전년 대비 -5.0%",
        "전국 1위 / 3개 지역",
    ]
    assert deck._tooltip["html"] == "<b>{tt0}</b><br/>{tt1}<br/>{tt2}<br/>{tt3}"


def test_column_map_puts_a_column_at_each_region() -> None:
    df = frame("mart_retail_region_comparison", item_cd="211")
    spec = json.loads(build("retail_region_map", df).to_json())
    columns = spec["layers"][1]
    assert columns["@@type"] == "ColumnLayer" and columns["extruded"] is True
    by_tip = {r["tt0"]: r for r in columns["data"]}
    seoul = by_tip["서울 · 배추 (월동)"]
    assert (seoul["latitude"], seoul["longitude"]) == (37.5666103, 126.9783882)
    assert (
        seoul["tt1"] == "평균 3,450원/1포기" and seoul["tt3"] == "지역 순위 2위 (1위 = 가장 저렴)"
    )
    assert (
        max(r["elevation"] for r in columns["data"]) == 1.0
    )  # heights relative to the dearest (수원)
    assert spec["initialViewState"]["pitch"] == 40


def test_color_scale_runs_green_to_red() -> None:
    assert color_scale([1, 2, 3]) == [[*CHEAP, 220], [250, 200, 60, 220], [*DEAR, 220]]
    assert color_scale([5, 5]) == [[250, 200, 60, 220]] * 2


def test_basket_options_total_is_sum_of_qty_times_price() -> None:
    prices = frame("mart_retail_price_latest")
    picks = {("211", "01", "04"): 2.0, ("245", "00", "04"): 3.0}  # 배추 × 2, 양파 × 3
    out = basket_options(prices, picks).set_index(["country_cd", "channel_cd"])
    for (cd, ch), items in RETAIL_PRICES.items():
        assert out.loc[(cd, ch), "total_cost"] == 2 * items["배추"] + 3 * items["양파"]
    # 부산 전통시장: 2 × 3,200 + 3 × 3,000 = 15,400 is the lowest of 15,900 / 16,050 / 15,550 / 15,400
    assert out[out["is_cheapest"]].index.tolist() == [("2100", "traditional")]


def test_basket_options_marks_incomplete_options() -> None:
    prices = frame("mart_retail_price_latest")
    out = basket_options(prices, {("411", "05", "04"): 1.0}).set_index(["country_cd", "channel_cd"])
    assert not out.loc[("2100", "large_retail"), "complete"]  # 부산 대형마트 has no 사과
    assert out.loc[("2100", "large_retail"), "missing_txt"] == "사과 (후지 · 상품) · 10개"
    assert out[out["is_cheapest"]].index.tolist() == [
        ("1101", "large_retail")
    ]  # 27,000 < 28,000 < 29,500


@pytest.mark.parametrize("name", sorted(catalog().charts))
def test_every_chart_renders_from_the_fixture_store(name: str, serving_path: Path) -> None:
    """Run each chart's query on the fixture store with 서울/배추 parameters and build it."""
    import datetime as dt

    conn = connect(load_profile("local", {"serving.path": str(serving_path)}))
    chart = catalog().chart(name)
    values = {
        "country_cd": "1101",
        "item_cd": "211",
        "kind_cd": "01",
        "rank_cd": "04",
        "start_dt": dt.date(2026, 1, 1),
        "basket_cd": "kimjang",
    }
    if name.startswith("eco_store_type"):
        values["rank_cd"] = "07"
    df = conn.run(chart.query, chart.bind(values))
    if name.startswith("basket_custom"):
        df = basket_options(df, {("211", "01", "04"): 1.0})
    transforms = {
        "today_buy_signal": signal_rows,
        "today_drop_top3": with_survey_basis,
        "today_rise_top3": with_survey_basis,
        "today_update_status": with_sources,
        "basket_cost_bar": with_completeness,
        "basket_cost_table": with_completeness,
    }
    if name in transforms:
        df = transforms[name](df)
    assert not df.empty
    built = RENDERERS[chart.viz_type].build(chart, catalog().dataset_of(chart), df)
    expected = {
        "line": alt.LayerChart,
        "donut": alt.LayerChart,
        "bar": alt.Chart,
        "map_region": pdk.Deck,
        "map_column": pdk.Deck,
        "table": pd.DataFrame,
        "kpi": list,
        "card_list": list,
    }
    assert isinstance(built, expected[chart.viz_type])
    if name == "retail_channel_cards":
        assert [(c.title, c.value) for c in built] == [
            ("채소류", "전통시장이 더 저렴해요"),
            ("과일류", "대형마트가 더 저렴해요"),
        ]
        # 채소류 gaps: 배추 +9.2 %, 양파 −6.5 %, 무 +10.0 % → mean +4.2 %
        assert (
            built[0].caption
            == "3개 품목 중 대형마트 1개 · 전통시장 2개가 더 저렴 (평균 차이 +4.2%)"
        )


def test_island_rings_become_polygons_and_holes_stay_holes() -> None:
    square = [[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]  # clockwise: area −4
    island = [[5, 5], [5, 6], [6, 6], [6, 5], [5, 5]]  # clockwise: area −1 → a separate polygon
    hole = [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 1], [0.5, 0.5]]  # counter-clockwise → a hole
    out = split_islands({"type": "Polygon", "coordinates": [square, island, hole]})
    assert out == {"type": "MultiPolygon", "coordinates": [[square, hole], [island]]}
    jeonnam = next(
        f for f in region_geojson()["features"] if f["properties"]["CITY_AB_NM"] == "전라남도"
    )
    polygons = jeonnam["geometry"]["coordinates"]
    assert jeonnam["geometry"]["type"] == "MultiPolygon" and len(polygons) > 30  # islands
    assert sum(len(p) for p in polygons) == 36  # every ring kept


def test_custom_basket_opens_with_everyday_items_not_two_grades_of_rice() -> None:
    prices = frame("mart_retail_price_latest")
    first_two = prices.sort_values(["item_cd", "rank_cd"]).drop_duplicates(["item_cd", "rank_cd"])
    assert first_two["item_nm"].head(2).tolist() == ["쌀", "쌀"]  # what the list used to open with
    assert everyday_picks(prices) == [("245", "00", "04"), ("211", "01", "04")]  # 양파, 배추
    rice_only = prices[prices["item_cd"] == "111"]
    assert everyday_picks(rice_only) == [("111", "01", "04")]  # one grade, 상품


def test_incomplete_basket_cells_are_marked_and_not_ranked() -> None:
    cost = pd.DataFrame(
        {
            "total_cost": [95700.0, 58300.0],
            "item_cnt": [8, 8],
            "priced_item_cnt": [8, 7],
            "cheapest_rank": [1, 0],
            "is_cheapest": [True, False],
            "is_complete": [True, False],
            "missing_txt": [None, "배추 가을"],
            "substitute_txt": ["배추 가을→봄", None],
        }
    )
    out = with_completeness(cost)
    assert out["completeness_nm"].tolist() == ["모든 품목 있음", "빠진 품목 있음"]
    assert out["cheapest_rank"].isna().tolist() == [False, True]
    assert out["missing_txt"].tolist() == ["없음", "배추 가을"]
    assert out["substitute_txt"].tolist() == ["배추 가을→봄", "없음"]
    spec = build(
        "basket_cost_bar",
        out.assign(country_nm=["부산", "부산"], channel_nm=["전통시장", "대형마트"]),
    ).to_dict()
    assert spec["encoding"]["opacity"]["scale"] == {
        "domain": ["모든 품목 있음", "빠진 품목 있음"],
        "range": [1.0, 0.25],
    }
    assert [t["field"] for t in spec["encoding"]["tooltip"]][-3:] == [
        "completeness_nm",
        "missing_txt",
        "substitute_txt",
    ]


def test_line_caption_names_the_normal_band_only_when_it_is_drawn() -> None:
    from dashboard.renderers.charts import _band_labels

    trend = frame("mart_price_trend", item_cd="211", country_cd="1101")
    band = frame("mart_price_normal_band")[["res_dt", "band_min", "band_max"]]
    with_band = trend.merge(band, on="res_dt")
    assert _band_labels(build("trend_line", with_band)) == {"평년 범위"}
    no_band = with_band.assign(band_min=None, band_max=None)  # an item without a 평년 band
    assert _band_labels(build("trend_line", no_band)) == set()


def test_timing_cards_never_drop_an_item_that_carries_substitutes() -> None:
    from dashboard.components.today import timing_rows

    # 4 cards in the query's order; only 사과 (비싸요, last) has substitutes; room for 2 cards
    cards = pd.DataFrame(
        {
            "res_dt": [TODAY] * 4,
            "item_cd": ["211", "212", "213", "411"],
            "kind_cd": ["01"] * 4,
            "rank_cd": ["04"] * 4,
            "item_nm": ["배추", "양배추", "시금치", "사과"],
            "kind_nm": ["월동", "양배추", "시금치", "후지"],
            "rank_nm": ["상품"] * 4,
            "signal_cd": ["cheap", "normal", "normal", "expensive"],
        }
    )
    subs = pd.DataFrame(
        {
            "item_cd": ["411"],
            "kind_cd": ["01"],
            "rank_cd": ["04"],
            "rank_no": [1],
            "item_nm": ["사과"],
            "kind_nm": ["후지"],
            "rank_nm": ["상품"],
            "sub_item_nm": ["배"],
            "sub_kind_nm": ["신고"],
            "sub_rank_nm": ["상품"],
            "unit_price": [2890.0],
            "sub_unit_price": [2500.0],
            "base_unit": ["개"],
            "saving_pct": [13.5],
            "sub_signal_nm": ["보통"],
        }
    )
    out = timing_rows(subs, cards=2)(cards)
    assert out["item_nm"].tolist() == ["배추", "사과"]
    assert out["substitute_lines"].tolist()[1] == ["배 (신고) 2,500원/개 · 13.5% 저렴 · 보통"]
    assert timing_rows(subs, cards=5)(cards)["item_nm"].tolist() == [
        "배추",
        "양배추",
        "시금치",
        "사과",
    ]
    # none carries substitutes: a plain cap
    assert timing_rows(subs.iloc[0:0], cards=2)(cards)["item_nm"].tolist() == ["배추", "양배추"]
