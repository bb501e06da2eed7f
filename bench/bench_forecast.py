"""The weekly forecast on a year of simulated history: backtest summary, time and memory.

Builds ``--days`` of ``stg_daily_category_price`` from the bundled simulator (the raw
daily-by-category source and its silver job only, ``--regions`` plus the national average) in a
throw-away JANGBOGI_HOME, then runs ``gold.mart_forecast_backtest`` and ``gold.mart_price_forecast``
for the last day ``--repeats`` times as a user would (``jangbogi run``, one Spark session each),
sampling the peak RSS of the whole process tree (driver JVM + Python workers). It summarises the
backtest the way issue 14 asks: median MAPE per horizon beside the last-value and the seasonal
baseline, the 80 % interval's coverage (the model's own and the calibrated one), the share of
series usable. Writes ``bench/results/<date>-<machine>-forecast.{json,md}``.

    python bench/bench_forecast.py --days 364 --regions 1101 2100 2200 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from testkit.procmem import PeakSampler  # noqa: E402

RESULTS = REPO / "bench" / "results"
FORECAST_JOBS = ["gold.mart_forecast_backtest", "gold.mart_price_forecast"]
HISTORY_JOBS = ["raw.daily_price_by_category_list", "silver.stg_daily_category_price"]


def run(home: Path, start: date, end: date, jobs: list[str], opts: list[str]) -> dict:
    """Run ``jangbogi run`` once; return wall seconds, per-job seconds and the peak tree RSS."""
    env = dict(os.environ, JANGBOGI_HOME=str(home), JANGBOGI_ENV="local")
    cmd = [sys.executable, "-m", "spark_jobs.cli", "run", "--start", str(start), "--end", str(end)]
    cmd += ["--jobs", *jobs, "--no-publish"]
    for o in opts:
        cmd += ["--opt", o]
    log = home / "run.log"
    t0 = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        sampler = PeakSampler(lambda: [proc.pid], interval=0.25)
        sampler.start()
        rc = proc.wait()
        peak = sampler.finish()
    secs = time.perf_counter() - t0
    text = log.read_text(errors="replace")
    if rc:
        sys.exit(f"pipeline failed:\n{text[-4000:]}")
    per_job = {}
    for line in text.splitlines():
        if " finished in " in line and "job " in line:
            name = line.split("job ", 1)[1].split()[0]
            per_job[name] = float(line.rsplit(" finished in ", 1)[1].split()[0])
    return {"wall_s": secs, "jobs_s": per_job, "peak_rss_mb": peak}


def summarise(home: Path) -> dict:
    """Return the backtest summary of the lake's mart_forecast_backtest (read with delta-rs)."""
    from deltalake import DeltaTable

    bt = DeltaTable(str(home / "var/warehouse/kamis_gold.db/mart_forecast_backtest")).to_pandas()
    series = bt[["country_cd", "item_cd", "kind_cd", "rank_cd"]].drop_duplicates()
    out: dict = {
        "series": len(series),
        "regions": sorted(bt["country_cd"].unique().tolist()),
        "usable_any_share_pct": round(
            bt.groupby(["country_cd", "item_cd", "kind_cd", "rank_cd"])["usable"].any().mean()
            * 100,
            1,
        ),
        "models": bt.drop_duplicates(["country_cd", "item_cd", "kind_cd", "rank_cd"])["model_nm"]
        .value_counts()
        .to_dict(),
        "horizons": {},
    }
    for h, g in bt.groupby("horizon_weeks"):
        u = g[g["usable"]]
        seasonal = g[g["seasonal_origin_cnt"] >= 6]
        out["horizons"][int(h)] = {
            "series": len(g),
            "median_origins": float(g["origin_cnt"].median()),
            "model_mape_pct": round(float(g["model_mape_pct"].median()), 2),
            "naive_mape_pct": round(float(g["naive_mape_pct"].median()), 2),
            "seasonal_judged_series": len(seasonal),
            "seasonal_mape_pct": round(float(seasonal["seasonal_mape_pct"].median()), 2)
            if len(seasonal)
            else None,
            "model_coverage_pct": round(float(g["coverage_pct"].median()), 1),
            "model_coverage_mean_pct": round(float(g["coverage_pct"].mean()), 1),
            "calibrated_coverage_mean_pct": round(float(g["calibrated_coverage_pct"].mean()), 1)
            if g["calibrated_coverage_pct"].notna().any()
            else None,
            "calibrated_series": int(g["calibrated_coverage_pct"].notna().sum()),
            "usable_pct": round(len(u) / len(g) * 100, 1),
            "usable_model_mape_pct": round(float(u["model_mape_pct"].median()), 2)
            if len(u)
            else None,
            "usable_naive_mape_pct": round(float(u["naive_mape_pct"].median()), 2)
            if len(u)
            else None,
        }
    return out


def stats(values: list[float]) -> dict[str, float]:
    """Return median, min and max."""
    return {
        "median": round(statistics.median(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
    }


def report(result: dict) -> str:
    """Return the Markdown report."""
    s, lines = result["summary"], []
    lines += [
        f"# Forecast benchmark — {result['date']} on {result['machine']}",
        "",
        f"History: {result['start']}..{result['end']} ({result['days']} days) from the bundled "
        f"simulator, regions {', '.join(s['regions'])}; {s['series']} retail series "
        f"(models: {s['models']}). Python {result['python']}, {result['cpus']} CPUs.",
        f"History build (raw + silver, once): {result['history']['wall_s']:.0f} s.",
        "",
        "## Backtest (rolling origin every 2nd week over the last 52 weeks)",
        "",
        "| horizon | series | median MAPE model | last value | seasonal (judged series) "
        "| 80 % coverage, model (mean) | calibrated (mean, series) | usable | usable: model / last value |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for h, r in sorted(s["horizons"].items(), key=lambda kv: int(kv[0])):
        seasonal = (
            f"{r['seasonal_mape_pct']} % ({r['seasonal_judged_series']})"
            if r["seasonal_mape_pct"] is not None
            else f"– ({r['seasonal_judged_series']})"
        )
        calibrated = (
            f"{r['calibrated_coverage_mean_pct']} % ({r['calibrated_series']})"
            if r["calibrated_coverage_mean_pct"] is not None
            else "–"
        )
        usable = (
            f"{r['usable_model_mape_pct']} / {r['usable_naive_mape_pct']} %"
            if r["usable_model_mape_pct"] is not None
            else "–"
        )
        lines.append(
            f"| {h} wk | {r['series']} | {r['model_mape_pct']} % | {r['naive_mape_pct']} % "
            f"| {seasonal} | {r['model_coverage_mean_pct']} % | {calibrated} "
            f"| {r['usable_pct']} % | {usable} |"
        )
    lines += [
        "",
        f"Series usable at one horizon or more: {s['usable_any_share_pct']} %.",
        "",
        f"## The two forecast jobs (one `jangbogi run`, {result['repeats']} repeats)",
        "",
        "| measure | median | min | max |",
        "|---|---:|---:|---:|",
    ]
    for key, label in (
        ("wall_s", "wall time of the run (Spark start included), s"),
        ("gold.mart_forecast_backtest", "mart_forecast_backtest job, s"),
        ("gold.mart_price_forecast", "mart_price_forecast job, s"),
        ("peak_rss_mb", "peak RSS, driver JVM + Python workers, MB"),
    ):
        st = result["forecast"][key]
        lines.append(f"| {label} | {st['median']} | {st['min']} | {st['max']} |")
    lines += [
        "",
        "Reproduce: `python bench/bench_forecast.py " + " ".join(result["argv"]) + "`",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Build the history, run the forecast jobs, write the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=364)
    ap.add_argument("--end", default="2026-11-29", help="last day (a Sunday: whole weeks)")
    ap.add_argument("--regions", nargs="+", default=["1101", "2100", "2200"])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--home", help="keep the lake here (default: a temporary folder)")
    args = ap.parse_args()
    end = date.fromisoformat(args.end)
    start = end - timedelta(days=args.days - 1)
    opts = [
        f"kamis.simulator_today={end + timedelta(days=1)}",
        f"kamis.scope.regions={','.join(args.regions)}",
    ]
    home = Path(args.home or tempfile.mkdtemp(prefix="jangbogi-bench-forecast-"))
    home.mkdir(parents=True, exist_ok=True)
    print(f"history {start}..{end} in {home}", flush=True)
    history = run(home, start, end, HISTORY_JOBS, opts)
    print(f"history built in {history['wall_s']:.0f} s", flush=True)
    runs = []
    for i in range(args.repeats):
        r = run(home, end, end, FORECAST_JOBS, opts)
        print(
            f"forecast run {i + 1}: {r['wall_s']:.1f} s, peak {r['peak_rss_mb']:.0f} MB", flush=True
        )
        runs.append(r)
    forecast = {
        "wall_s": stats([r["wall_s"] for r in runs]),
        "peak_rss_mb": stats([r["peak_rss_mb"] for r in runs]),
        **{j: stats([r["jobs_s"][j] for r in runs]) for j in FORECAST_JOBS},
    }
    today = date.today().isoformat()
    machine = os.environ.get("JANGBOGI_BENCH_MACHINE", "vm")
    result = {
        "date": today,
        "machine": machine,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "start": str(start),
        "end": str(end),
        "days": args.days,
        "repeats": args.repeats,
        "argv": sys.argv[1:],
        "history": {"wall_s": history["wall_s"], "jobs_s": history["jobs_s"]},
        "forecast": forecast,
        "summary": summarise(home),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"{today}-{machine}-forecast"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1, default=str))
    stem.with_suffix(".md").write_text(report(result), encoding="utf-8")
    print(report(result))


if __name__ == "__main__":
    main()
