"""The real app in headless Chromium, for the browser tests and the render benchmark.

``serve`` runs ``streamlit run dashboard/app.py`` against a serving store on a free port;
``chrome`` opens Debian's Chromium through /usr/bin/chromedriver; ``wait_rendered`` waits until
the open tab shows its charts (vega canvas/svg) and maps (deck.gl canvas) with the script idle.
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
from typing import Any

REPO = Path(__file__).resolve().parents[1]
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
RUNNING_CSS = '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(serving_path: Path, root: Path = REPO) -> Iterator[str]:
    """Run ``root``'s app against ``serving_path`` until the context closes; yield its URL.

    ``root`` is a checkout holding ``dashboard/`` (the app puts it first on ``sys.path``), so a
    benchmark can serve an older revision exported elsewhere. The server is stopped by its PID.
    """
    port = free_port()
    env = {**os.environ, "JANGBOGI_ENV": "local", "JANGBOGI_SERVING_PATH": str(serving_path)}
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(root / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
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


def chrome(profile_dir: Path, network_log: bool = False) -> Any:
    """Return headless Chromium with a fresh profile; ``network_log`` records CDP network events.

    With ``network_log`` the driver's ``get_log("performance")`` holds the websocket frames.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync", "--window-size=1400,2200", "--lang=ko-KR",
        f"--user-data-dir={profile_dir}",
    ):  # fmt: skip
        opts.add_argument(flag)
    if network_log:
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    return drv


def panel(drv: Any) -> Any:
    """Return the visible tab panel, or None before the tabs are drawn."""
    from selenium.webdriver.common.by import By

    panels = [
        p for p in drv.find_elements(By.CSS_SELECTOR, '[role="tabpanel"]') if p.is_displayed()
    ]
    return panels[0] if panels else None


def rendered(drv: Any, charts: int, maps: int) -> bool:
    """True when the open tab shows its charts (vega canvas/svg) and maps (deck.gl canvas), script idle."""
    from selenium.webdriver.common.by import By

    if drv.find_elements(By.CSS_SELECTOR, RUNNING_CSS):
        return False
    shown = panel(drv)
    if shown is None:
        return False
    drawn_charts = [
        c
        for c in shown.find_elements(By.CSS_SELECTOR, CHART_CSS)
        if c.find_elements(By.CSS_SELECTOR, "canvas, svg.marks")
    ]
    drawn_maps = [
        m
        for m in shown.find_elements(By.CSS_SELECTOR, MAP_CSS)
        if m.find_elements(By.CSS_SELECTOR, "canvas")
    ]
    return len(drawn_charts) >= charts and len(drawn_maps) >= maps


def wait_rendered(drv: Any, charts: int, maps: int, timeout: float = 45) -> float:
    """Wait until :func:`rendered`; return the seconds waited (AssertionError after ``timeout``)."""
    started = time.perf_counter()
    while not rendered(drv, charts, maps):
        if time.perf_counter() - started > timeout:
            raise AssertionError(
                f"tab did not render {charts} chart(s) and {maps} map(s) in {timeout} s"
            )
        time.sleep(0.1)
    return time.perf_counter() - started
