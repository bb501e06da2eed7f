"""The real app (`streamlit run`) in headless Chromium: every tab renders its charts and maps.

Saves a screenshot per tab under screenshots/ (git-ignored) and prints the time from opening a tab
to its first full render (charts drawn, maps drawn, script finished); no timing asserts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.browser import REPO, TABS, chrome
from testkit.browser import panel as _panel
from testkit.browser import serve as _serve
from testkit.browser import wait_rendered as _wait

pytestmark = pytest.mark.browser

SHOTS = REPO / "screenshots"


@pytest.fixture(scope="module")
def app_url(serving_path: Path) -> Iterator[str]:
    """Start `streamlit run dashboard/app.py` on a free port against the fixture store."""
    with _serve(serving_path) as url:
        yield url


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Headless Debian Chromium through /usr/bin/chromedriver, with a fresh profile."""
    drv = chrome(tmp_path_factory.mktemp("chrome-profile"))
    yield drv
    drv.quit()


def test_every_tab_renders_its_charts_and_maps(app_url: str, driver) -> None:
    from selenium.webdriver.common.by import By

    SHOTS.mkdir(exist_ok=True)
    timings: dict[str, float] = {}
    for n, (label, (charts, maps)) in enumerate(TABS.items(), start=1):
        started = time.perf_counter()
        if n == 1:
            driver.get(app_url)
        else:
            tab = next(
                t
                for t in driver.find_elements(By.CSS_SELECTOR, '[role="tab"]')
                if t.text.strip() == label
            )
            tab.click()
        _wait(driver, charts, maps)
        timings[label] = time.perf_counter() - started
        selected = [
            t.text.strip()
            for t in driver.find_elements(By.CSS_SELECTOR, '[role="tab"][aria-selected="true"]')
        ]
        assert selected == [label]
        assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
        time.sleep(0.8)  # let vega / deck.gl finish painting before the screenshot
        driver.save_screenshot(str(SHOTS / f"dashboard_{n}_{label.replace(' ', '_')}.png"))
    print("\n첫 화면 완성까지 걸린 시간 (time to first full render per tab):")
    for label, seconds in timings.items():
        print(f"  {label}: {seconds:.2f} s")


def _open_tab(drv, label: str) -> None:
    from selenium.webdriver.common.by import By

    tab = next(
        t for t in drv.find_elements(By.CSS_SELECTOR, '[role="tab"]') if t.text.strip() == label
    )
    # on a phone the tab list scrolls sideways and its arrow covers the last visible tab
    drv.execute_script("arguments[0].scrollIntoView({block: 'nearest', inline: 'center'})", tab)
    tab.click()


def _panel_text(drv) -> str:
    panel = _panel(drv)
    return panel.text if panel is not None else ""


def test_saturday_today_tab_shows_fridays_produce(saturday_serving_path: Path, driver) -> None:
    """Saturday 11-28: 배추 (last surveyed Friday) still heads the falls, marked 금요일 조사 기준."""
    SHOTS.mkdir(exist_ok=True)
    with _serve(saturday_serving_path) as url:
        driver.get(url)
        _wait(driver, 1, 0)
        time.sleep(0.8)
        text = _panel_text(driver)
        assert "1위 · 배추 (월동)" in text and "-15.0%" in text
        assert "금요일 조사 기준" in text and "3개 품목은 금요일 조사 기준이에요" in text
        # (the signal table is a canvas grid: its rows are checked in the AppTest)
        driver.save_screenshot(str(SHOTS / "saturday_today.png"))
        _phone(driver, PHONE)  # the same Saturday on a phone (same session, no new server)
        try:
            time.sleep(1.0)
            widths = _overflow(driver)
            driver.save_screenshot(str(SHOTS / "saturday_today_phone.png"))
            assert widths["page"] <= PHONE[0] and widths["main"] <= 0, widths
            _tall_shot(driver, SHOTS / "saturday_today_phone_tall.png", PHONE[0])
        finally:
            _phone(driver, None)


def test_june_kimjang_basket_marks_the_incomplete_cell(june_serving_path: Path, driver) -> None:
    """June: the 김장 basket without 배추 in 부산 대형마트 is faint, listed and not the cheapest."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    SHOTS.mkdir(exist_ok=True)
    with _serve(june_serving_path) as url:
        driver.get(url)
        _wait(driver, 1, 0)
        _open_tab(driver, "장바구니")
        # the tab's widgets appear a moment after the click: wait for the preset choice itself
        deadline = time.monotonic() + 45
        while True:
            try:
                panel = _panel(driver)
                labels = (
                    panel.find_elements(By.CSS_SELECTOR, '[data-testid="stRadio"] label')
                    if panel
                    else []
                )
                preset = next((r for r in labels if "추천 장바구니" in r.text), None)
            except StaleElementReferenceException:  # the tab re-rendered under us: look again
                preset = None
            if preset is not None:
                break
            assert time.monotonic() < deadline, "the 장바구니 tab showed no 추천 장바구니 choice"
            time.sleep(0.2)
        preset.click()
        deadline = time.monotonic() + 45
        while "가장 저렴한 곳" not in _panel_text(driver):
            assert time.monotonic() < deadline, "the preset basket did not render"
            time.sleep(0.2)
        _wait(driver, 1, 0)
        time.sleep(0.8)
        text = _panel_text(driver)
        assert "가장 저렴한 곳: 부산 전통시장 · 95,700원" in text
        assert "부산 대형마트 — 배추 가을 없음" in text
        driver.save_screenshot(str(SHOTS / "june_kimjang_basket.png"))


PHONE = (390, 844)  # an iPhone 12-15 viewport in CSS pixels


def _wait_for(check, what, timeout: float = 45) -> None:
    """Poll ``check`` until true; ``what`` (text or a callable giving it) names it on a timeout."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what() if callable(what) else what}")
        time.sleep(0.1)


def _selected_tab(drv) -> list[str]:
    from selenium.webdriver.common.by import By

    return [
        t.text.strip()
        for t in drv.find_elements(By.CSS_SELECTOR, '[role="tab"][aria-selected="true"]')
    ]


def _trend_view(drv) -> tuple[list[str], list[str], str]:
    """The trend tab's selections as shown: (picker texts, active period, panel text)."""
    from selenium.webdriver.common.by import By

    panel = _panel(drv)
    # a selectbox shows its choice in an input (its value), not in the element's text
    boxes = [
        drv.execute_script(
            "const e = arguments[0]; return [e.textContent,"
            " ...[...e.querySelectorAll('input')].map(i => i.value)].join(' ')",
            b,
        )
        for b in panel.find_elements(By.CSS_SELECTOR, '[data-testid="stSelectbox"]')
    ]
    # the chosen segment: Streamlit marks it in its test id / kind, ARIA toolkits in aria-*
    active = drv.execute_script(
        "return [...arguments[0].querySelectorAll('button')].filter(b =>"
        " (b.dataset.testid || '').endsWith('Active')"
        " || b.getAttribute('kind') === 'segmented_controlActive'"
        " || b.getAttribute('aria-pressed') === 'true'"
        " || b.getAttribute('aria-checked') === 'true').map(b => b.innerText.trim())",
        panel,
    )
    return boxes, active, panel.text


def test_a_shared_link_reopens_the_same_view(app_url: str, driver) -> None:
    """Open a link → its selections; change one → the URL follows; that URL in a new tab → same view."""
    from selenium.webdriver.common.by import By

    link = f"{app_url}/?tab=trend&region=1101&item=411&kind=05&rank=04&period=1y"
    driver.get(link)
    _wait_for(
        lambda: _selected_tab(driver) == ["가격 추이"],
        lambda: f"the link's tab (shown: {_selected_tab(driver)}, {driver.current_url})",
        timeout=20,
    )
    _wait(driver, 1, 0)
    boxes, active, text = _trend_view(driver)
    driver.save_screenshot(str(SHOTS / "shared_link_trend.png"))
    assert any("사과 (후지" in b for b in boxes) and any("서울" in b for b in boxes), boxes
    assert active == ["1년"] and "28,900원/10개" in text, (active, text)
    whole = next(
        b
        for b in _panel(driver).find_elements(By.CSS_SELECTOR, "button")
        if b.text.strip() == "전체"
    )
    whole.click()
    _wait_for(lambda: "period=all" in driver.current_url, "the URL to name the new period")
    _wait(driver, 1, 0)
    shared = driver.current_url
    assert "tab=trend" in shared and "region=1101" in shared and "item=411" in shared
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")  # a new page: a new Streamlit session
    try:
        driver.get(shared)
        _wait_for(
            lambda: _selected_tab(driver) == ["가격 추이"],
            lambda: f"the shared link's tab (shown: {_selected_tab(driver)})",
            timeout=20,
        )
        _wait(driver, 1, 0)
        boxes2, active2, text2 = _trend_view(driver)
        assert (boxes2, active2) == (boxes, ["전체"]) and "28,900원/10개" in text2
        assert driver.current_url == shared
    finally:
        driver.close()
        driver.switch_to.window(first)


def _phone(drv, size: tuple[int, int] | None) -> None:
    """Emulate a phone viewport (touch, device pixel ratio 2) or go back to the desktop window."""
    if size is None:
        drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return
    width, height = size
    drv.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
    )


def _overflow(drv) -> dict[str, int]:
    """Widths that scroll sideways: the page itself and Streamlit's main scroll container."""
    return drv.execute_script(
        """
        const main = document.querySelector('[data-testid="stMain"]');
        return {page: document.scrollingElement.scrollWidth,
                main: main ? main.scrollWidth - main.clientWidth : 0};
        """
    )


def _tall_shot(drv, path: Path, width: int) -> None:
    """With JANGBOGI_TALL_SHOTS=1, also save the whole page at ``width`` (for reading by eye)."""
    if not os.environ.get("JANGBOGI_TALL_SHOTS"):
        return
    height = drv.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]');"
        "return Math.max(m ? m.scrollHeight : 0, document.scrollingElement.scrollHeight);"
    )
    _phone(drv, (width, min(int(height) + 40, 6000)))
    time.sleep(1.0)
    drv.save_screenshot(str(path))


def test_every_tab_fits_a_phone_without_sideways_scrolling(app_url: str, driver) -> None:
    """At 390 × 844 no tab scrolls sideways; a screenshot per tab (phone_<n>_<tab>.png)."""
    SHOTS.mkdir(exist_ok=True)
    _phone(driver, PHONE)
    try:
        driver.get(f"{app_url}/?tab=today")
        for n, (label, (charts, maps)) in enumerate(TABS.items(), start=1):
            if n > 1:
                _open_tab(driver, label)
            _wait(driver, charts, maps)
            _wait_for(lambda label=label: _selected_tab(driver) == [label], f"tab {label}")
            time.sleep(0.8)  # let vega / deck.gl finish painting (and resize) first
            widths = _overflow(driver)
            name = f"phone_{n}_{label.replace(' ', '_')}"
            driver.save_screenshot(str(SHOTS / f"{name}.png"))
            assert widths["page"] <= PHONE[0] and widths["main"] <= 0, (label, widths)
            _tall_shot(driver, SHOTS / f"{name}_tall.png", PHONE[0])
            _phone(driver, PHONE)
    finally:
        _phone(driver, None)
