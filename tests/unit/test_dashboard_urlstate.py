"""The URL's view parameters: names, shapes and the Korean refusal text (no Streamlit run)."""

from __future__ import annotations

import pytest

from dashboard.components import codes, urlstate
from dashboard.components.widgets import DEFAULT_PERIOD, PERIODS

pytestmark = pytest.mark.unit


def test_every_period_has_one_url_code_and_the_default_is_one_of_them() -> None:
    assert list(urlstate.PERIOD_CODES.values()) == list(PERIODS)
    assert DEFAULT_PERIOD in PERIODS


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        (
            "tab",
            "prices",
            "주소(URL)에 있는 탭 코드 `prices`를 찾을 수 없어요. 첫 탭을 보여드려요 — 위의 탭에서 골라 주세요.",
        ),
        (
            "period",
            "<b>",
            "주소(URL)에 있는 기간 코드가 올바르지 않아요. 기본 기간(3개월)으로 보여드려요 — 기간 버튼에서 골라 주세요.",
        ),
        (
            "basket",
            "family9_weekly",
            "주소(URL)에 있는 장바구니 코드 `family9_weekly`를 찾을 수 없어요. "
            "게시된 자료에 있는 장바구니만 볼 수 있어요 — 목록에서 장바구니를 골라 주세요.",
        ),
        (
            "kind",
            "0 1",
            "주소(URL)에 있는 품종 코드가 올바르지 않아요. "
            "게시된 자료에 있는 품종만 볼 수 있어요 — 목록에서 품종을 골라 주세요.",
        ),
        (
            "region",
            "9999",
            "주소(URL)에 있는 지역 코드 `9999`를 찾을 수 없어요. "
            "게시된 자료에 있는 지역만 볼 수 있어요 — 목록에서 지역을 골라 주세요.",
        ),
    ],
)
def test_refusal_text_names_the_parameter_in_korean(kind, code, expected) -> None:
    assert codes.message(kind, "url", code) == expected


def test_shapes() -> None:
    assert codes.is_code("family4_weekly", "basket") and not codes.is_code("family4_weekly")
    assert not codes.is_code("kimjang'--", "basket") and not codes.is_code("x" * 33, "basket")
    assert codes.is_code("05", "kind") and not codes.is_code("05 ", "rank")


def test_record_refuses_a_parameter_the_url_does_not_have() -> None:
    with pytest.raises(ValueError, match="not a view parameter"):
        urlstate.record({"utm_source": "x"})
