"""Time from clicking a dashboard tab to its first full render, in headless Chromium.

Starts the real app (``streamlit run dashboard/app.py``) against the browser tests' fixture
serving store (no pipeline run), opens every tab once (cold: first open after the server
started, fresh browser profile), then cycles through the tabs ``--repeats`` more times (warm:
reopen) and prints the median, min and max per tab. A tab counts as rendered as the browser
test counts it (its altair charts drawn, its deck.gl maps have a canvas, the script idle), plus
two animation frames so deck.gl's first paint of the layers is inside the time. For each open
it also records the bytes the websocket brought (decompressed frame payloads, from Chromium's
network log) and, per revision, the bytes of the region GeoJSON a map layer carries.

``--baseline-ref REV`` also serves ``REV``'s ``dashboard/``, ``spark_jobs/`` and ``conf/``
(exported with ``git archive``, nothing checked out) from its own server in the same run; warm
rounds alternate between the two so a loaded machine slows both alike.

    python bench/bench_render.py --repeats 3 --baseline-ref 9b68e17 --out /tmp/render.json
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from testkit.browser import CHART_CSS, MAP_CSS, RUNNING_CSS, TABS, chrome, serve  # noqa: E402
from tests.dashboard_serving import build_serving_store  # noqa: E402

# One round trip per poll: the running icon, the selected tab and the new charts/maps drawn in
# the visible panel (elements present before the click are marked and not counted).
STATE_JS = f"""
const running = document.querySelector('{RUNNING_CSS}') !== null;
const selected = [...document.querySelectorAll('[role="tab"][aria-selected="true"]')]
  .map(t => t.innerText.trim());
const panel = [...document.querySelectorAll('[role="tabpanel"]')]
  .find(p => p.offsetParent !== null);
const fresh = sel => panel ? [...panel.querySelectorAll(sel)]
  .filter(e => !e.dataset.benchSeen) : [];
return {{running, selected,
  charts: fresh('{CHART_CSS}').filter(c => c.querySelector('canvas, svg.marks')).length,
  maps: fresh('{MAP_CSS}').filter(m => m.querySelector('canvas')).length}};
"""
MARK_JS = f"""
document.querySelectorAll('{CHART_CSS}, {MAP_CSS}').forEach(e => e.dataset.benchSeen = '1');
"""
TWO_FRAMES_JS = (
    "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));"
)
GEOJSON_BYTES_PY = (
    "import json; from dashboard.reference import region_geojson; "
    "print(len(json.dumps(region_geojson(), separators=(',', ':')).encode()))"
)


def export_revision(ref: str, dest: Path) -> Path:
    """Write ``ref``'s app packages under ``dest`` with ``git archive``; return ``dest``."""
    dest.mkdir(parents=True)
    tar = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", ref, "dashboard", "spark_jobs", "conf"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryFile() as fh:
        fh.write(tar)
        fh.seek(0)
        with tarfile.open(fileobj=fh) as archive:
            archive.extractall(dest, filter="data")
    return dest


def geojson_bytes(root: Path) -> int:
    """Return the compact JSON bytes of ``root``'s region GeoJSON as the maps load it."""
    out = subprocess.run(
        [sys.executable, "-c", GEOJSON_BYTES_PY], cwd=root, check=True, capture_output=True
    )
    return int(out.stdout.decode().strip())


def ws_bytes(drv: Any) -> int:
    """Return the websocket payload bytes received since the network log was last read."""
    total = 0
    for entry in drv.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.webSocketFrameReceived":
            continue
        frame = message["params"]["response"]
        data = frame.get("payloadData", "")
        total += len(base64.b64decode(data)) if frame.get("opcode") == 2 else len(data.encode())
    return total


def open_tab(drv: Any, url: str | None, label: str, timeout: float = 60) -> dict[str, float]:
    """Open ``label`` (a page load when ``url`` is given, else a click); return seconds and bytes.

    ``seconds`` runs to the second animation frame after the tab is drawn; ``ready_s`` stops
    when the browser test would (elements present, script idle), before deck.gl's first paint.
    """
    from selenium.webdriver.common.by import By

    charts, maps = TABS[label]
    drv.execute_script(MARK_JS)
    ws_bytes(drv)  # drop what came before
    if url is None:
        tab = next(
            t for t in drv.find_elements(By.CSS_SELECTOR, '[role="tab"]') if t.text.strip() == label
        )
        started = time.perf_counter()
        tab.click()
    else:
        started = time.perf_counter()
        drv.get(url)
    while True:
        state = drv.execute_script(STATE_JS)
        if (
            not state["running"]
            and state["selected"] == [label]
            and state["charts"] >= charts
            and state["maps"] >= maps
        ):
            break
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"{label}: not rendered in {timeout} s ({state})")
        time.sleep(0.05)
    ready = time.perf_counter() - started  # what the browser test counts
    drv.execute_async_script(TWO_FRAMES_JS)
    seconds = time.perf_counter() - started
    time.sleep(0.3)  # late frames of this open count to it, not to the next
    return {"seconds": seconds, "ready_s": ready, "ws_bytes": ws_bytes(drv)}


def summary(opens: list[dict[str, float]]) -> dict[str, float]:
    """Return median / min / max seconds and the median websocket bytes of warm opens."""
    secs = [o["seconds"] for o in opens]
    return {
        "median_s": statistics.median(secs),
        "ready_median_s": statistics.median(o["ready_s"] for o in opens),
        "min_s": min(secs),
        "max_s": max(secs),
        "ws_bytes": statistics.median(o["ws_bytes"] for o in opens),
    }


def run(repeats: int, baseline_ref: str | None) -> dict[str, Any]:
    """Measure every variant (baseline first when given, then this checkout); return the results."""
    labels = list(TABS)
    with (
        tempfile.TemporaryDirectory(prefix="bench-render-") as tmp_dir,
        contextlib.ExitStack() as stack,
    ):
        tmp = Path(tmp_dir)
        store = build_serving_store(tmp / "serving" / "jangbogi.duckdb")
        roots = {"after": REPO}
        if baseline_ref:
            roots = {"before": export_revision(baseline_ref, tmp / "before"), **roots}
        results: dict[str, Any] = {}
        sessions = {}
        for name, root in roots.items():
            url = stack.enter_context(serve(store, root))
            drv = chrome(tmp / f"chrome-{name}", network_log=True)
            stack.callback(drv.quit)
            sessions[name] = (drv, f"{url}/?tab=today")
            results[name] = {
                "root": str(root),
                "geojson_bytes": geojson_bytes(root),
                "cold": {},
                "warm": {label: [] for label in labels},
            }
        for name, (drv, url) in sessions.items():  # cold: the first open of each tab
            for n, label in enumerate(labels):
                results[name]["cold"][label] = open_tab(drv, url if n == 0 else None, label)
                print(f"{name} cold {label}: {results[name]['cold'][label]['seconds']:.2f} s")
        for r in range(repeats):  # warm: reopen, variants taking turns round by round
            for name, (drv, _) in sessions.items():
                for label in labels:
                    results[name]["warm"][label].append(open_tab(drv, None, label))
                print(f"round {r + 1}/{repeats} {name} done")
        for res in results.values():
            res["warm_summary"] = {label: summary(res["warm"][label]) for label in labels}
    return results


def markdown(results: dict[str, Any]) -> str:
    """Return the per-tab table: cold and warm seconds (and websocket MB) per variant, and ratios."""
    names = list(results)
    head = ["tab"]
    for n in names:
        head += [f"{n} cold s", f"{n} warm median s (min–max)", f"{n} warm WS kB"]
    if len(names) == 2:
        head += ["warm ratio", "WS ratio"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label in TABS:
        row = [label]
        for n in names:
            cold, warm = results[n]["cold"][label], results[n]["warm_summary"][label]
            row += [
                f"{cold['seconds']:.2f}",
                f"{warm['median_s']:.2f} ({warm['min_s']:.2f}–{warm['max_s']:.2f})",
                f"{warm['ws_bytes'] / 1000:,.0f}",
            ]
        if len(names) == 2:
            a, b = (results[n]["warm_summary"][label] for n in names)
            row.append(f"{a['median_s'] / b['median_s']:.1f}×")
            row.append(f"{a['ws_bytes'] / b['ws_bytes']:.1f}×" if b["ws_bytes"] else "–")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    for n in names:
        lines.append(f"- {n}: region GeoJSON {results[n]['geojson_bytes']:,} bytes (compact JSON)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure, print the Markdown table and write ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="warm rounds (default 3)")
    parser.add_argument("--baseline-ref", help="git revision to measure beside this checkout")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    results = run(max(1, args.repeats), args.baseline_ref)
    table = markdown(results)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "benchmark": "render",
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": platform.node(),
            "repeats": args.repeats,
            "baseline_ref": args.baseline_ref,
            "results": results,
            "markdown": table,
        }
        args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
