"""Drive every tab and widget of the app with Streamlit's AppTest against the known fixture store."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from tests.dashboard_serving import RETAIL_PRICES, SAT_TREND

pytestmark = pytest.mark.integration
# serving_path / serving_env / empty_serving_path: the known fixture store
APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TABS = ["오늘의 식재료", "가격 추이", "제철 지도", "유통업체별", "친환경", "장바구니"]


def start(tab: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if tab is not None and tab != TABS[0]:
        at.session_state["main_tab"] = tab
        at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(df for df in frames(at) if column in df.columns)


def vega(at: AppTest) -> list[dict]:
    """Return each altair chart's spec and its datasets (Streamlit ships the data as Arrow)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        data = {d.name: convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets}
        out.append({"spec": json.loads(chart.proto.spec), "data": data})
    return out


def decks(at: AppTest) -> list[dict]:
    return [json.loads(d.proto.json) for d in at.get("deck_gl_json_chart")]


def test_today_tab_shows_the_fixtures_top3_signals_and_alerts(serving_env) -> None:
    at = start()
    assert [t.label for t in at.tabs] == TABS
    # the weekly eco source lags 14 days (> its 10); named in Korean, not by its API action
    assert [w.value for w in at.warning] == [
        "친환경 가격이 14일 늦었어요 (최신 자료일 2026-11-16). 가격이 오늘과 다를 수 있어요."
    ]
    at.selectbox(key="today_region").set_value("1101").run()
    assert_clean(at)
    md = texts(at)
    assert ":green-badge[내렸어요] **1위 · 배추 (월동)**" in md
    assert "### :green[-17.9%]" in md  # (3450 − 4200) / 4200
    assert ":red-badge[올랐어요] **1위 · 사과 (후지)**" in md
    assert "### :red[+11.2%]" in md  # (28900 − 26000) / 26000
    assert not any(
        "사과" in m and "내렸어요" in m for m in md
    )  # the 11-27 top-1 drop is not today's
    assert {m.label: m.value for m in at.metric} == {"싸요": "2", "보통": "1", "비싸요": "1"}
    signals = frame_with(at, "구매 신호")
    assert signals["구매 신호"].tolist() == ["싸요", "싸요", "보통", "비싸요"]
    assert signals.iloc[0]["가격"] == "3,450원/1포기"
    alerts = frame_with(at, "알림")
    assert alerts["품목"].tolist() == ["배추", "무", "사과"]  # newest first, most severe first
    assert alerts["기준일"].tolist() == ["2026-11-30", "2026-11-30", "2026-11-27"]
    donut = vega(at)[0]
    assert donut["spec"]["layer"][0]["mark"]["type"] == "arc"
    slices = donut["data"][donut["spec"]["layer"][0]["data"]["name"]]
    assert list(zip(slices["slice"], slices["value"], strict=True)) == [
        ("내렸어요", 3),  # 배추, 무, 양파
        ("올랐어요", 2),  # 사과, 감귤
        ("그대로예요", 1),  # 대파
    ]
    assert "2026-11-30 (월요일) 기준" in [c.value for c in at.caption]


def test_saturday_shows_fridays_produce_with_its_survey_day(
    saturday_serving_path, monkeypatch
) -> None:
    """Saturday 11-28: produce was last surveyed on Friday, livestock today (see SAT_TREND)."""
    assert {d1.weekday() for *_, d1, _ in SAT_TREND[:3]} == {4}  # produce: Friday
    monkeypatch.setenv("JANGBOGI_SERVING_PATH", str(saturday_serving_path))
    at = start()
    # market prices 1 day old, weekly eco prices 7 days (≤ 10): no warning
    assert not at.warning
    assert [s.value for s in at.success] == ["모든 자료가 최신이에요 (최신 자료일 2026-11-28)."]
    md = texts(at)
    assert ":green-badge[내렸어요] **1위 · 배추 (월동)**" in md and "### :green[-15.0%]" in md
    assert ":red-badge[올랐어요] **1위 · 무 (월동)**" in md and "### :red[+5.0%]" in md
    assert ":green-badge[내렸어요] **2위 · 닭 (육계(kg))**" in md  # −5.0 %, Saturday
    captions = [c.value for c in at.caption]
    assert (
        "2026-11-27 · 금요일 조사 기준 · 3,400원/1포기 · 이전 4,000원/1포기 (2026-11-26)"
        in captions
    )
    assert "2026-11-28 · 5,700원/1kg · 이전 6,000원/1kg (2026-11-27)" in captions
    assert any(
        c.startswith("2026-11-28 (토요일) 기준 · 3개 품목은 금요일 조사 기준이에요")
        for c in captions
    )
    donut = vega(at)[0]
    slices = donut["data"][donut["spec"]["layer"][0]["data"]["name"]]
    assert list(zip(slices["slice"], slices["value"], strict=True)) == [
        ("내렸어요", 3),  # 배추 (금), 닭, 안심 1+
        ("올랐어요", 3),  # 무 (금), 삼겹살, 안심 1++
        ("그대로예요", 1),  # 양파 (금)
    ]
    assert {m.label: m.value for m in at.metric} == {"싸요": "3", "보통": "2", "비싸요": "2"}
    signals = frame_with(at, "구매 신호")
    # two grades of 소 안심 move: the grade tells them apart
    assert signals["품목"].tolist() == [
        "배추 (월동)",
        "닭 (육계(kg))",
        "소 (안심 · 1+등급)",
        "양파",
        "무 (월동)",
        "소 (안심 · 1++등급)",
        "돼지 (삼겹살)",
    ]
    assert signals["조사일"].tolist() == [
        "2026-11-27 · 금요일 조사 기준",
        "2026-11-28",
        "2026-11-28",
        "2026-11-27 · 금요일 조사 기준",
        "2026-11-27 · 금요일 조사 기준",
        "2026-11-28",
        "2026-11-28",
    ]
    assert signals.iloc[0]["가격"] == "3,400원/1포기"
    status = frame_with(at, "경고 기준(일)")
    assert status["자료"].tolist() == ["친환경 가격", "부류별 일일 가격", "시장별 소매 가격"]
    assert status["경고 기준(일)"].tolist() == ["10", "3", "3"]


def test_trend_tab_kpis_and_line_for_cabbage_in_seoul(serving_env) -> None:
    at = start("가격 추이")
    at.selectbox(key="trend_region").set_value("1101").run()
    assert_clean(at)
    kpis = {m.label: (m.value, m.delta) for m in at.metric}
    assert kpis["가격"] == ("3,450원/1포기", "-20.0%")
    assert kpis["전월 대비"][0] == "-20.0%" and kpis["전년 대비"][0] == "-8.5%"
    line = vega(at)[0]["spec"]
    # 평년 band, then the usable forecast's 80 % band (배추 in 서울: 1 and 2 weeks usable)
    assert [layer["mark"]["type"] for layer in line["layer"]] == ["area", "area", "line"]
    legend = line["layer"][-1]["encoding"]["color"]["legend"]  # one legend for the four lines
    assert (
        legend["title"] == "구분"
        and line["layer"][-1]["encoding"]["strokeDash"]["legend"] == legend
    )
    for period in ["1개월", "1년", "전체"]:
        at.segmented_control(key="trend_period").set_value(period).run()
        assert_clean(at)
        assert len(at.get("vega_lite_chart")) == 1
    options = at.selectbox(key="trend_item").options
    apple = next(i for i, label in enumerate(options) if label.startswith("사과"))
    at.selectbox(key="trend_item").set_value(apple).run()  # 사과 (only 서울)
    assert_clean(at)
    assert at.metric[0].value == "28,900원/10개"


def test_season_tab_map_and_region_items(serving_env) -> None:
    at = start("제철 지도")
    deck = decks(at)[0]
    features = deck["layers"][1]["data"]["features"]
    by_region = {f["properties"]["CITY_AB_NM"]: f["properties"] for f in features}
    assert (
        by_region["부산"]["tt1"] == "가격 3,300원/1포기"
        and by_region["부산"]["tt3"] == "전국 1위 / 3개 지역"
    )
    at.selectbox(key="season_item").set_value(1).run()  # 사과
    assert_clean(at)
    assert set(
        f["properties"]["CITY_AB_NM"] for f in decks(at)[0]["layers"][1]["data"]["features"]
    ) == {"서울", "부산"}
    at.selectbox(key="season_region").set_value("2100").run()
    assert_clean(at)
    items = frame_with(at, "전국 순위")
    assert items["품목"].tolist() == ["배추", "사과"] and items["전국 순위"].tolist() == [
        "1위",
        "1위",
    ]


def test_retail_tab_channel_cards_and_region_map(serving_env) -> None:
    at = start("유통업체별")
    md = texts(at)
    assert (
        "### :green[전통시장이 더 저렴해요]" in md
    )  # 채소류: 2 of 3 items cheaper at traditional markets
    assert "### :blue[대형마트가 더 저렴해요]" in md  # 과일류: both cheaper at large retail
    columns = decks(at)[0]["layers"][1]
    assert columns["@@type"] == "ColumnLayer" and len(columns["data"]) == 3
    at.selectbox(key="retail_item").set_value(1).run()  # 양파: 서울, 부산
    assert_clean(at)
    assert len(decks(at)[0]["layers"][1]["data"]) == 2


def test_eco_tab_store_types_gaps_and_premium(serving_env) -> None:
    at = start("친환경")
    gaps = frame_with(at, "최저 업태 대비")
    assert gaps.iloc[0][["품목", "업태", "최저 업태 대비"]].tolist() == ["배추", "백화점", "+38.8%"]
    premium = frame_with(at, "친환경 프리미엄")
    assert premium["품목"].tolist() == ["배추", "사과"] and premium["친환경 프리미엄"].tolist() == [
        "+41.3%",
        "+25.0%",
    ]
    at.selectbox(key="eco_item").set_value(1).run()
    at.selectbox(key="eco_region").set_value("1101").run()
    assert_clean(at)
    assert frame_with(at, "친환경 프리미엄")["친환경 프리미엄"].tolist() == ["+37.8%"]


def test_basket_total_is_sum_of_qty_times_price(serving_env) -> None:
    at = start("장바구니")
    picks = at.multiselect(key="basket_items").value
    # an everyday selection (양파, then 배추), not the list's first two lines (쌀 상품 and 쌀 중품)
    assert [tuple(k) for k in picks] == [("245", "00", "04"), ("211", "01", "04")]
    at.number_input(key="qty_211_01_04").set_value(2).run()
    at.number_input(key="qty_245_00_04").set_value(3).run()
    assert_clean(at)
    totals = {k: 2 * v["배추"] + 3 * v["양파"] for k, v in RETAIL_PRICES.items()}
    best = min(totals, key=totals.get)
    names = {"1101": "서울", "2100": "부산", "large_retail": "대형마트", "traditional": "전통시장"}
    expected = f"가장 저렴한 곳: **{names[best[0]]} · {names[best[1]]}** · 합계 {totals[best]:,}원"
    assert [s.value for s in at.success] == [expected]
    table = frame_with(at, "없는 품목")
    assert sorted(table["총 비용"]) == sorted(f"{v:,}원" for v in totals.values())


def test_basket_with_an_item_missing_somewhere_and_the_preset(serving_env) -> None:
    at = start("장바구니")
    at.multiselect(key="basket_items").select(
        ("411", "05", "04")
    ).run()  # + 사과: 부산 대형마트 lacks it
    assert_clean(at)
    table = frame_with(at, "없는 품목")
    assert table["없는 품목"].tolist().count("사과 (후지 · 상품) · 10개") == 1
    at.radio(key="basket_mode").set_value("추천 장바구니").run()
    assert_clean(at)
    assert at.selectbox(key="basket_preset").value == "fruit"  # presets sort by basket_cd
    assert at.success[0].value == "가장 저렴한 곳: **서울 대형마트** · 32,200원"
    at.selectbox(key="basket_preset").set_value("kimjang").run()
    assert_clean(at)
    assert at.success[0].value == "가장 저렴한 곳: **서울 전통시장** · 48,500원"
    ranks = frame_with(at, "저렴한 순위")
    assert ranks["총 비용"].tolist() == ["48,500원", "49,800원", "52,000원", "53,000원"]


def test_june_kimjang_basket_marks_incomplete_cells(june_serving_path, monkeypatch) -> None:
    """June: 가을 배추/무 are out of season; 부산 대형마트 lacks 배추 and must not look cheapest."""
    monkeypatch.setenv("JANGBOGI_SERVING_PATH", str(june_serving_path))
    at = start("장바구니")
    at.radio(key="basket_mode").set_value("추천 장바구니").run()
    assert_clean(at)
    assert at.selectbox(key="basket_preset").value == "kimjang"
    # 58,300 (no 배추) is not the cheapest: 95,700 is the cheapest complete basket
    assert [s.value for s in at.success] == ["가장 저렴한 곳: **부산 전통시장** · 95,700원"]
    assert [w.value for w in at.warning] == [
        "빠진 품목이 있어 그만큼 싸 보이는 곳 (순위에서 뺐어요): 부산 대형마트 — 배추 가을 없음"
    ]
    assert any(
        "서울 전통시장 (배추 가을→봄, 무 가을→봄)" in c.value for c in at.caption
    )  # substitutes named
    table = frame_with(at, "빠진 품목")
    assert table["저렴한 순위"].tolist() == ["1위", "2위", "3위", "4위", "–"]
    assert table["총 비용"].tolist() == [
        "95,700원",
        "98,400원",
        "101,200원",
        "104,900원",
        "58,300원",
    ]
    assert table["빠진 품목"].tolist() == ["없음", "없음", "없음", "없음", "배추 가을"]
    assert table["대신 담은 품종"].tolist()[0] == "배추 가을→봄, 무 가을→봄"
    bar = vega(at)[0]
    opacity = bar["spec"]["encoding"]["opacity"]
    assert opacity["field"] == "completeness_nm"
    assert opacity["scale"]["domain"] == ["모든 품목 있음", "빠진 품목 있음"]
    assert opacity["legend"] is not None
    data = next(iter(bar["data"].values()))
    marks = dict(zip(data["total_cost"], data["completeness_nm"], strict=True))
    assert marks[58300] == "빠진 품목 있음" and marks[95700] == "모든 품목 있음"


@pytest.mark.parametrize("tab", TABS)
def test_every_option_of_every_picker_runs_cleanly(serving_env, tab: str) -> None:
    at = start(tab)
    if tab == "장바구니":
        at.radio(key="basket_mode").set_value("추천 장바구니").run()
    keys = [box.key for box in at.selectbox]
    assert keys
    for key in keys:
        # options can depend on an earlier picker, so count them afresh each time
        i = 0
        while i < len(at.selectbox(key=key).options):
            at.selectbox(key=key).select_index(i).run()
            assert_clean(at)
            i += 1


@pytest.mark.parametrize("tab", TABS)
def test_empty_store_gives_friendly_messages(empty_serving_path, monkeypatch, tab: str) -> None:
    monkeypatch.setenv("JANGBOGI_SERVING_PATH", str(empty_serving_path))
    at = start(tab)
    assert at.info, "expected a friendly message"
    assert all("없어요" in i.value or "아직" in i.value for i in at.info)


def test_missing_store_says_publish_first(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JANGBOGI_SERVING_PATH", str(tmp_path / "none.duckdb"))
    at = start()
    assert "아직 게시된 가격 자료가 없어요" in at.info[0].value
    assert not at.tabs


def open_link(query: dict[str, str]) -> AppTest:
    """Open the app the way a shared link does: a new session with ``query`` in the URL."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert_clean(at)
    return at


def url(at: AppTest) -> dict[str, str]:
    return {k: v if isinstance(v, str) else v[-1] for k, v in at.query_params.items()}


def test_a_plain_visit_writes_the_first_tab_into_the_url(serving_env) -> None:
    at = open_link({})
    assert url(at) == {"tab": "today", "region": "0000"}
    at.selectbox(key="today_region").set_value("1101").run()
    assert url(at) == {"tab": "today", "region": "1101"}
    at.session_state["main_tab"] = "유통업체별"  # as a click on the tab does
    at.run()
    assert_clean(at)
    # the retail tab draws an item picker (first item: 배추); the region stays for the next tab
    assert url(at) == {"tab": "retail", "region": "1101", "item": "211", "kind": "01", "rank": "04"}


def test_a_trend_link_round_trips(serving_env) -> None:
    """Open a link → the same selections; change one → the URL follows; reopen it → same view."""
    at = open_link(
        {
            "tab": "trend",
            "region": "1101",
            "item": "411",
            "kind": "05",
            "rank": "04",
            "period": "1y",
        }
    )
    assert at.session_state["main_tab"] == "가격 추이"
    item = at.selectbox(key="trend_item")
    assert item.options[item.value].startswith("사과 (후지")  # options are labels, value an index
    assert at.selectbox(key="trend_region").value == "1101"
    assert at.segmented_control(key="trend_period").value == "1년"
    assert at.metric[0].value == "28,900원/10개"
    at.segmented_control(key="trend_period").set_value("전체").run()
    assert_clean(at)
    assert url(at) == {
        "tab": "trend", "region": "1101", "item": "411", "kind": "05", "rank": "04", "period": "all"
    }  # fmt: skip
    again = open_link(url(at))
    assert again.session_state["main_tab"] == "가격 추이"
    assert again.segmented_control(key="trend_period").value == "전체"
    assert again.selectbox(key="trend_item").value == at.selectbox(key="trend_item").value
    assert again.selectbox(key="trend_region").value == "1101"
    assert url(again) == url(at)
    # an item code alone (the old links) still opens that item's first kind and grade
    old = open_link({"tab": "trend", "item": "411"})
    assert url(old)["item"] == "411" and url(old)["kind"] == "05"


def test_a_basket_link_opens_the_preset_and_leaves_with_it(serving_env) -> None:
    at = open_link({"tab": "basket", "basket": "kimjang"})
    assert at.radio(key="basket_mode").value == "추천 장바구니"
    assert at.selectbox(key="basket_preset").value == "kimjang"
    assert at.success[0].value == "가장 저렴한 곳: **서울 전통시장** · 48,500원"
    assert url(at) == {"tab": "basket", "basket": "kimjang"}
    at.selectbox(key="basket_preset").set_value("fruit").run()
    assert url(at)["basket"] == "fruit"
    at.radio(key="basket_mode").set_value("직접 담기").run()
    assert_clean(at)
    assert url(at) == {"tab": "basket"}  # your own basket is not in the link


@pytest.mark.parametrize(
    ("tab", "query"),
    [
        ("제철 지도", {"tab": "season", "item": "411", "region": "2100"}),
        ("친환경", {"tab": "eco", "region": "1101"}),
    ],
)
def test_season_and_eco_links_preselect_their_pickers(serving_env, tab, query) -> None:
    at = open_link(query)
    assert at.session_state["main_tab"] == tab
    assert url(at)["tab"] == query["tab"]
    for name, value in query.items():
        assert url(at)[name] == value, (name, url(at))


def _layers(at: AppTest) -> list[str]:
    return [layer["mark"]["type"] for layer in vega(at)[0]["spec"]["layer"]]


def _pick_item(at: AppTest, name: str) -> None:
    options = at.selectbox(key="trend_item").options
    at.selectbox(key="trend_item").set_value(
        next(i for i, label in enumerate(options) if label.startswith(name))
    ).run()
    at.selectbox(key="trend_region").set_value("1101").run()
    assert_clean(at)


def test_trend_forecast_band_only_for_usable_series(serving_env) -> None:
    """FORECASTS: 배추 usable 1 and 2 weeks (4 not), 사과 usable, 무 never usable, 양파 none."""
    at = start("가격 추이")
    at.selectbox(key="trend_region").set_value("1101").run()
    assert_clean(at)
    chart = vega(at)[0]
    forecast_band = chart["spec"]["layer"][1]
    band = chart["data"][forecast_band["data"]["name"]]
    # the last week (3,450, zero width) then the usable horizons 1 and 2: the 4-week one is out
    assert band["lo_80_price"].tolist() == [3450.0, 3150.0, 3020.0]
    assert band["hi_80_price"].tolist() == [3450.0, 3610.0, 3640.0]
    line = chart["data"][chart["spec"]["layer"][2]["data"]["name"]]
    assert "예상 가격(주 평균)" in set(line["series"])
    md = texts(at)
    assert (
        "**예상 가격** (주 평균, 붉은 음영은 80% 범위): 1주 뒤 3,380원/1포기 (3,150\\~3,610원)"
        " · 2주 뒤 3,330원/1포기 (3,020\\~3,640원)"
    ) in md
    captions = [c.value for c in at.caption]
    assert (
        "지난 1년 예측 오차(MAPE) 1주 3.2%, 2주 5.4% · 4주 예측은 단순 기준보다 낫지 않아 뺐어요"
        in captions
    )
    assert "음영: 평년 범위(최근 5년 중 최고·최저 해 제외)" in captions
    _pick_item(at, "사과")  # usable at every horizon; no 평년 band in the fixture
    assert _layers(at) == ["area", "line"]
    assert not any(c.value.startswith("음영: 평년") for c in at.caption)  # no band, no caption
    assert "지난 1년 예측 오차(MAPE) 1주 4.1%, 2주 5.0%, 4주 7.9%" in [c.value for c in at.caption]
    _pick_item(at, "무")  # backtested, never better than the baselines
    assert _layers(at) == ["line"]
    line = vega(at)[0]
    assert "예상 가격(주 평균)" not in set(next(iter(line["data"].values()))["series"])
    assert "이 품목은 예측이 단순 기준보다 낫지 않아 보여 주지 않아요." in [
        c.value for c in at.caption
    ]
    assert not any(m.startswith("**예상 가격**") for m in texts(at))
    _pick_item(at, "양파")  # no forecast at all
    assert _layers(at) == ["line"]
    assert "이 품목은 이 지역의 가격 예측이 아직 없어요." in [c.value for c in at.caption]


def test_buy_timing_cards_and_substitutes_under_the_expensive_item(serving_env) -> None:
    """TIMINGS / SUBSTITUTES: one card per item, 기다려 보세요 first; substitutes only under 사과."""
    at = start()
    at.selectbox(key="today_region").set_value("1101").run()
    assert_clean(at)
    md = texts(at)
    heads = [m for m in md if "-badge[" in m and "위 · " not in m]  # not the top-3 cards
    assert heads == [
        ":blue-badge[기다려 보세요] **사과 (후지)**",
        ":green-badge[지금 사세요] **배추 (월동)**",
        ":green-badge[지금 사세요] **양파**",
        ":gray-badge[보통] **무 (월동)**",
    ]
    captions = [c.value for c in at.caption]
    for reason in (
        "2주 뒤 약 8% 내릴 것으로 보여요, 지난 1년 예측 오차 5% · 2026-11-30",
        "싸요: 1년 중 하위 8% 가격이에요 · 2026-11-30",
        "보통: 평소 수준이에요 · 2026-11-30",
    ):
        assert reason in captions
    subs = [m for m in md if "대신 이건 어때요" in m]
    # 2,890원/개 = 28,900원/10개; 참다래 9,000원/10개 and 배 25,000원/10개 per 개
    assert subs == [
        "**대신 이건 어때요 · 사과 2,890원/개**\n"
        "- 참다래 (국산) 900원/개 · 68.9% 저렴 · 싸요\n"
        "- 배 (신고) 2,500원/개 · 13.5% 저렴 · 보통"
    ]
    # it sits right under the 사과 card's value and reason, before the next card's head
    i = md.index(":blue-badge[기다려 보세요] **사과 (후지)**")
    assert md[i + 1] == "### :blue[28,900원/10개]" and md[i + 2] == subs[0]
    at.selectbox(key="today_region").set_value("0000").run()  # no timing there
    assert_clean(at)
    assert not any("대신 이건 어때요" in m for m in texts(at))
    assert "아직 지금 살까, 기다릴까 판단이 없어요." in [i.value for i in at.info]
