"""The real app (`streamlit run`) in headless Chromium: every tab renders its charts and maps.

Saves a screenshot per tab under screenshots/ (git-ignored) and prints the time from opening a tab
to its first full render (charts drawn, maps drawn, script finished); no timing asserts.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "screenshots"
CHROMEDRIVER = "/usr/bin/chromedriver"
# tab label → (altair charts, pydeck maps) that must be drawn
TABS = {
    "오늘의 식재료": (1, 0),
    "가격 추이": (1, 0),
    "제철 지도": (0, 1),
    "유통업체별": (0, 1),
    "친환경": (2, 0),
    "장바구니": (1, 0),
}
CHART_CSS = '[data-testid="stVegaLiteChart"]'
MAP_CSS = '[data-testid="stDeckGlJsonChart"]'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(serving_path: Path) -> Iterator[str]:
    """Start `streamlit run dashboard/app.py` on a free port against the fixture store."""
    with _serve(serving_path) as url:
        yield url


@contextlib.contextmanager
def _serve(serving_path: Path) -> Iterator[str]:
    """Run the app against ``serving_path`` until the generator is closed; yield its URL."""
    port = _free_port()
    env = {**os.environ, "JANGBOGI_ENV": "local", "JANGBOGI_SERVING_PATH": str(serving_path)}
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"streamlit did not start:\n{log.read()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        os.unlink(log.name)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Headless Debian Chromium through /usr/bin/chromedriver, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync", "--window-size=1400,2200", "--lang=ko-KR",
        f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}",
    ):  # fmt: skip
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


def _panel(drv):
    from selenium.webdriver.common.by import By

    panels = [
        p for p in drv.find_elements(By.CSS_SELECTOR, '[role="tabpanel"]') if p.is_displayed()
    ]
    return panels[0] if panels else None


def _rendered(drv, charts: int, maps: int) -> bool:
    """True when the open tab shows its charts (vega canvas/svg) and maps (deck.gl canvas), script idle."""
    from selenium.webdriver.common.by import By

    if drv.find_elements(
        By.CSS_SELECTOR, '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'
    ):
        return False
    panel = _panel(drv)
    if panel is None:
        return False
    drawn_charts = [
        c
        for c in panel.find_elements(By.CSS_SELECTOR, CHART_CSS)
        if c.find_elements(By.CSS_SELECTOR, "canvas, svg.marks")
    ]
    drawn_maps = [
        m
        for m in panel.find_elements(By.CSS_SELECTOR, MAP_CSS)
        if m.find_elements(By.CSS_SELECTOR, "canvas")
    ]
    return len(drawn_charts) >= charts and len(drawn_maps) >= maps


def _wait(drv, charts: int, maps: int, timeout: float = 45) -> float:
    started = time.perf_counter()
    while not _rendered(drv, charts, maps):
        if time.perf_counter() - started > timeout:
            raise AssertionError(
                f"tab did not render {charts} chart(s) and {maps} map(s) in {timeout} s"
            )
        time.sleep(0.1)
    return time.perf_counter() - started


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

    next(
        t for t in drv.find_elements(By.CSS_SELECTOR, '[role="tab"]') if t.text.strip() == label
    ).click()


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
