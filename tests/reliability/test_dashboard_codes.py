"""The app refuses region/item codes the serving store does not know (URL parameters, filters).

AppTest runs the real app against the fixture serving store; every named query the app runs is
recorded on its way to DuckDB (the real connection still runs it), so the test can assert that
an unknown code never reached a query.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.db.named import NamedQueryConnection

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
HOSTILE = [
    "9999",  # well-formed, unknown
    "1101' OR '1'='1",
    "1101; DROP TABLE mart_price_trend; --",
    "<script>alert(1)</script>",
    "",
    "1" * 40,
]


@pytest.fixture
def queries(serving_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, dict]]]:
    """Record (query name, parameters) of every named query the app runs (and still run it)."""
    seen: list[tuple[str, dict]] = []
    real_run = NamedQueryConnection.run

    def recording_run(self: Any, query_name: str, params: Any = None) -> Any:
        seen.append((query_name, dict(params or {})))
        return real_run(self, query_name, params)

    monkeypatch.setattr(NamedQueryConnection, "run", recording_run)
    import streamlit as st

    st.cache_data.clear()  # cached results would hide the queries
    yield seen


def _values(params: dict) -> list[str]:
    out: list[str] = []
    for v in params.values():
        out.extend(str(x) for x in (v if isinstance(v, list | tuple | set) else [v]))
    return out


def _errors(at: AppTest) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return [e.value for e in at.error]


TAB_CODES = {"가격 추이": "trend"}


def _run(query_params: dict[str, str] | None = None, tab: str | None = None) -> AppTest:
    """Open the app with ``query_params`` in the URL (and ``tab``, a link to that tab)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query_params or {}).items():
        at.query_params[k] = v
    if tab:
        at.query_params["tab"] = TAB_CODES[tab]
    at.run()
    return at


@pytest.mark.parametrize("code", HOSTILE)
def test_unknown_region_in_the_url_is_refused_and_never_queried(queries, code):
    at = _run({"region": code})
    errors = _errors(at)
    assert len(errors) == 1, errors
    assert "주소(URL)에 있는 지역 코드" in errors[0] and "목록에서 지역을 골라 주세요" in errors[0]
    if code == "9999":
        assert "`9999`" in errors[0]  # a code-shaped value is named
    else:
        assert "올바르지 않아요" in errors[0]
        assert not code or code not in errors[0]  # a hostile value is never echoed
    # the page still works: the region picker falls back to 전국 and its charts ran
    assert at.selectbox(key="today_region").value == "0000"
    ran = [q for q, _ in queries]
    assert "known_codes" in ran and "price_drop_top3" in ran
    assert all(code not in _values(p) for _, p in queries if code), queries


@pytest.mark.parametrize("code", ["9999", "211' OR 1=1 --"])
def test_unknown_item_in_the_url_is_refused_on_the_trend_tab(queries, code):
    at = _run({"item": code}, tab="가격 추이")
    errors = _errors(at)
    assert errors and all("주소(URL)에 있는 품목 코드" in e for e in errors), errors
    assert len(errors) == 1
    assert any(q == "price_trend" for q, _ in queries)  # the tab drew its charts for item 1
    assert all(code not in _values(p) for _, p in queries)


def test_known_codes_in_the_url_preselect_the_pickers(queries):
    at = _run({"region": "1101", "item": "411"}, tab="가격 추이")
    assert _errors(at) == []
    assert at.selectbox(key="trend_region").value == "1101"
    assert at.selectbox(key="trend_item").value is not None
    trend = [p for q, p in queries if q == "price_trend"]
    assert trend and trend[-1]["item_cd"] == "411" and trend[-1]["country_cd"] == "1101"
    today = _run({"region": "1101"})
    assert _errors(today) == [] and today.selectbox(key="today_region").value == "1101"
    # 부산 is a known region (retail marts) that the today tab does not offer: no error, 전국
    busan = _run({"region": "2100"})
    assert _errors(busan) == [] and busan.selectbox(key="today_region").value == "0000"


@pytest.mark.parametrize("code", ["9999", "1101' OR '1'='1"])
def test_unknown_region_in_a_remembered_filter_is_refused(queries, code):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["today_region"] = code  # as a crafted session (or a stale one) would hold it
    at.run()
    errors = _errors(at)
    assert len(errors) == 1 and "선택한 지역 코드" in errors[0], errors
    assert at.selectbox(key="today_region").value == "0000"
    assert all(code not in _values(p) for _, p in queries)


def test_fetch_refuses_an_unknown_code_before_the_database(queries):
    """The last guard: a chart asked for an unknown region gets no query and a message."""
    from dashboard.components import codes

    at = _run()
    assert _errors(at) == []
    queries.clear()
    with pytest.raises(codes.UnknownCodeError):
        codes.check_params({"country_cd": "1101' OR '1'='1"})
    assert codes.is_code("1101") and not codes.is_code("1101 ") and not codes.is_code(["1101"])
    assert queries == []  # a malformed code is refused without even reading the known codes


def test_the_test_would_see_a_leaked_code(queries):
    """Guard for the guard: when the app does query a code, the recording sees it."""
    at = _run({"region": "1101"})
    assert _errors(at) == []
    assert any("1101" in _values(p) for _, p in queries)


# The rest of the view in the URL (components/urlstate.py): tab, kind, grade, period, basket.
# Each case: the parameter, its Korean name, the tab the link opens, a well-formed unknown value
# that is refused (None where an unknown well-formed value just falls back: a kind or grade the
# open tab does not offer may come from a link made on another tab).
VIEW_PARAMS = [
    ("tab", "탭", None, "prices"),
    ("period", "기간", "trend", "2y"),
    ("kind", "품종", "trend", None),
    ("rank", "등급", "trend", None),
    ("basket", "장바구니", "basket", "nobasket"),
]


def _view_cases() -> list[tuple[str, str, str | None, str]]:
    cases = []
    for param, name, tab, unknown in VIEW_PARAMS:
        for code in [unknown, *HOSTILE[1:]]:
            if code is not None:
                cases.append((param, name, tab, code))
    return cases


@pytest.mark.parametrize(("param", "name", "tab", "code"), _view_cases())
def test_a_bad_view_parameter_is_refused_dropped_and_never_queried(queries, param, name, tab, code):
    query = {"region": "1101", param: code} | ({"tab": tab} if tab else {})
    at = _run(query)
    errors = _errors(at)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"주소(URL)에 있는 {name} 코드"), errors
    if code in ("prices", "2y", "nobasket"):
        assert f"`{code}`" in errors[0]
    else:
        assert "올바르지 않아요" in errors[0] and (not code or code not in errors[0])
    # the default view instead, and the URL no longer holds the bad value (but the default's)
    defaults = {"tab": "today", "period": "3m", "kind": "01", "rank": "04", "basket": None}
    assert at.query_params.get(param) == defaults[param], dict(at.query_params)
    assert at.query_params["region"] == "1101"
    expected_tab = {None: "오늘의 식재료", "trend": "가격 추이", "basket": "장바구니"}[tab]
    assert at.session_state["main_tab"] == expected_tab
    if tab == "trend":
        assert at.segmented_control(key="trend_period").value == "3개월"
        assert at.query_params["period"] == "3m"
    if tab == "basket":
        assert at.radio(key="basket_mode").value == "직접 담기"
    assert all(code not in _values(p) for _, p in queries if code), queries
    # the next run (any click) shows no message: the bad value is gone for good
    at.run()
    assert _errors(at) == []
