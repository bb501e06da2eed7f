"""The scale generator (``testkit.scalegen``): generation time, size on disk, and the lake on top.

Steps, each a subprocess as a user would run it, in a throw-away JANGBOGI_HOME unless ``--home``:

1. ``python -m testkit.scalegen`` for ``--days`` days ending at ``--end`` (full coverage unless
   ``--regions``/``--items``): wall time, rows and size on disk per raw table;
2. ``--silver-gold``: ``jangbogi run --jobs silver gold`` (``--rebuild-jobs``) over the same days
   on the generated raw;
3. ``--incremental``: normal daily ``jangbogi run`` for the ``--incremental-days`` days after
   ``--end`` on top, the last one ``--repeats`` times (``--publish`` to publish them too);
4. ``--reference``: the real pipeline (``jangbogi run``, raw collection from the in-process
   simulator + silver + gold) over the same days in another home, for comparison.

    python bench/bench_scalegen.py --days 30 --end 2026-11-27 --silver-gold --incremental --reference
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spark_jobs.raw.tables import TABLES as RAW_TABLES  # noqa: E402
from testkit.procmem import PeakSampler  # noqa: E402

JOB_LINE = re.compile(r"^(\S+)\s+([\d.]+) s$")
GEN_LINE = re.compile(r"^generated (\d+) days in ([\d.]+) s")
REG_LINE = re.compile(r"^registered (\d+) tables in ([\d.]+) s")


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, JANGBOGI_HOME=str(home), JANGBOGI_ENV="local")


def _run(cmd: list[str], home: Path) -> tuple[float, str, dict[str, float]]:
    """Run ``cmd`` in ``home``; return wall seconds, stdout + stderr and peak memory.

    The memory is the peak RSS of the command's whole process tree (the CLI, its Spark JVM and
    the Python workers), sampled every 0.25 s: ``peak_rss_mb`` and its ``java_mb``/``python_mb``/
    ``other_mb`` split at that sample. Exits on failure.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=_env(home), cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        sampler = PeakSampler(lambda: [proc.pid], interval=0.25)
        sampler.start()
        rc = proc.wait()
        secs = time.perf_counter() - t0
        sampler.finish()
        log.seek(0)
        out = log.read()
    if rc:
        sys.exit(f"{' '.join(cmd)} failed:\n{out[-4000:]}")
    mem = {"peak_rss_mb": round(sampler.peak, 1)}
    mem.update({f"{k}_mb": round(v, 1) for k, v in sampler.peak_split.items()})
    return secs, out, mem


def _jobs(out: str) -> dict[str, float]:
    return {m.group(1): float(m.group(2)) for line in out.splitlines() if (m := JOB_LINE.match(line.strip()))}  # fmt: skip


def pipeline(
    home: Path, start: date, end: date, jobs: list[str], opts: list[str], publish: bool = False
) -> dict[str, Any]:
    """Run ``jangbogi run``; return wall seconds, per-job seconds and peak memory."""
    cmd = [sys.executable, "-m", "spark_jobs.cli", "run", "--start", str(start), "--end", str(end)]
    if not publish:
        cmd.append("--no-publish")
    if jobs:
        cmd += ["--jobs", *jobs]
    for o in opts:
        cmd += ["--opt", o]
    secs, out, mem = _run(cmd, home)
    per_job = _jobs(out)
    by_layer: dict[str, float] = {}
    for name, s in per_job.items():
        layer = name.split(".", 1)[0]
        by_layer[layer] = by_layer.get(layer, 0.0) + s
    return {"wall_s": round(secs, 1), "layers_s": by_layer, "jobs_s": per_job, "memory": mem}


def disk_bytes(path: Path) -> int:
    """Return the bytes of every file under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def raw_figures(home: Path) -> dict[str, dict[str, int]]:
    """Return rows, files and bytes on disk of every raw table (delta-rs, no Spark)."""
    from deltalake import DeltaTable

    out = {}
    for spec in RAW_TABLES:
        path = home / "var" / "warehouse" / f"{spec.database}.db" / spec.name
        dt = DeltaTable(str(path))
        out[spec.name] = {
            "rows": dt.to_pyarrow_dataset().count_rows(),
            "files": len(dt.file_uris()),
            "disk_bytes": disk_bytes(path),
        }
    return out


def generate(home: Path, start: date, end: date, args: argparse.Namespace) -> dict[str, Any]:
    """Run the generator CLI; return its timings and the raw tables' figures."""
    cmd = [sys.executable, "-m", "testkit.scalegen", "--home", str(home), "--start", str(start),
           "--end", str(end), "--workers", str(args.workers)]  # fmt: skip
    for flag in ("regions", "items"):
        if getattr(args, flag):
            cmd += [f"--{flag}", getattr(args, flag)]
    if args.no_register:
        cmd.append("--no-register")
    secs, out, _ = _run(cmd, home)
    gen = next((m for line in out.splitlines() if (m := GEN_LINE.match(line))), None)
    reg = next((m for line in out.splitlines() if (m := REG_LINE.match(line))), None)
    return {
        "command": " ".join(cmd[1:]),
        "wall_s": round(secs, 1),
        "generate_s": float(gen.group(2)) if gen else None,
        "register_s": float(reg.group(2)) if reg else None,
        "tables": raw_figures(home),
    }


def incremental(home: Path, args: argparse.Namespace, opts: list[str]) -> dict[str, Any]:
    """Run the daily runs after ``--end`` one by one, the last ``--repeats`` times.

    Reruns of a day are idempotent and do the same work, so the last day's figures are medians
    over the repeats. ``--incremental-days 2`` with ``--end`` on a Sunday measures a Monday (the
    week's first run: the forecast backtest is scored) and a Tuesday (the backtest is carried).
    """
    from statistics import median

    days = [args.end + timedelta(days=d) for d in range(1, args.incremental_days + 1)]
    runs: list[dict[str, Any]] = []
    for i, day in enumerate(days):
        for _ in range(args.repeats if i == len(days) - 1 else 1):
            run = pipeline(home, day, day, [], opts, publish=args.publish)
            run["day"] = str(day)
            print(json.dumps(run), flush=True)
            runs.append(run)
    out: dict[str, Any] = {"publish": args.publish, "runs": runs, "summary": {}}
    for day in days:
        mine = [r for r in runs if r["day"] == str(day)]
        walls = [r["wall_s"] for r in mine]
        peaks = [r["memory"]["peak_rss_mb"] for r in mine]
        layers = {k for r in mine for k in r["layers_s"]}
        out["summary"][str(day)] = {
            "weekday": day.strftime("%a"),
            "repeats": len(mine),
            "wall_s": {"median": median(walls), "min": min(walls), "max": max(walls)},
            "peak_rss_mb": {"median": median(peaks), "min": min(peaks), "max": max(peaks)},
            "layers_s": {
                k: median(r["layers_s"].get(k, 0.0) for r in mine) for k in sorted(layers)
            },
        }
    out["raw_after"] = raw_figures(home)
    return out


def main() -> None:
    """Parse arguments, run the steps asked for, print and save the figures."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 27))
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--regions")
    p.add_argument("--items")
    p.add_argument("--home", type=Path)
    p.add_argument("--no-register", action="store_true")
    p.add_argument("--silver-gold", action="store_true")
    p.add_argument(
        "--rebuild-jobs", nargs="+", default=["silver", "gold"], help="what --silver-gold runs"
    )
    p.add_argument("--incremental", action="store_true")
    p.add_argument("--incremental-days", type=int, default=1)
    p.add_argument("--repeats", type=int, default=1, help="runs of the last incremental day")
    p.add_argument("--publish", action="store_true", help="incremental runs publish the marts")
    p.add_argument("--skip-generate", action="store_true", help="use the raw already in --home")
    p.add_argument("--reference", action="store_true")
    p.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = p.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="jangbogi-scalegen-"))
    start = args.end - timedelta(days=args.days - 1)
    opts = [f"kamis.scope.{k}={v}" for k in ("regions", "items") if (v := getattr(args, k))]
    res: dict[str, Any] = {"home": str(home), "start": str(start), "end": str(args.end)}
    saved = home / "scalegen.json"  # the generation's figures, kept for --skip-generate
    if not args.skip_generate:
        res["generate"] = generate(home, start, args.end, args)
        saved.write_text(json.dumps(res["generate"], indent=1) + "\n", encoding="utf-8")
        print(json.dumps(res, indent=1), flush=True)
    elif saved.exists():
        res["generate"] = json.loads(saved.read_text(encoding="utf-8"))
    if args.silver_gold:
        res["silver_gold"] = pipeline(home, start, args.end, args.rebuild_jobs, opts)
        res["silver_gold"]["jobs"] = args.rebuild_jobs
        print(json.dumps(res["silver_gold"], indent=1), flush=True)
    if args.incremental:
        res["incremental"] = incremental(home, args, opts)
    if args.reference:
        ref_home = Path(tempfile.mkdtemp(prefix="jangbogi-scalegen-ref-"))
        res["reference"] = pipeline(ref_home, start, args.end, [], opts)
        res["reference"]["home"] = str(ref_home)
        res["reference"]["raw"] = raw_figures(ref_home)
        print(json.dumps(res["reference"], indent=1), flush=True)
    if args.out:
        args.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
