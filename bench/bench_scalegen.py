"""The scale generator (``testkit.scalegen``): generation time, size on disk, and the lake on top.

Steps, each a subprocess as a user would run it, in a throw-away JANGBOGI_HOME unless ``--home``:

1. ``python -m testkit.scalegen`` for ``--days`` days ending at ``--end`` (full coverage unless
   ``--regions``/``--items``): wall time, rows and size on disk per raw table;
2. ``--silver-gold``: ``jangbogi run --jobs silver gold`` over the same days on the generated raw;
3. ``--incremental``: a normal daily ``jangbogi run`` for the day after ``--end`` on top;
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

JOB_LINE = re.compile(r"^(\S+)\s+([\d.]+) s$")
GEN_LINE = re.compile(r"^generated (\d+) days in ([\d.]+) s")
REG_LINE = re.compile(r"^registered (\d+) tables in ([\d.]+) s")


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, JANGBOGI_HOME=str(home), JANGBOGI_ENV="local")


def _run(cmd: list[str], home: Path) -> tuple[float, str]:
    """Run ``cmd`` in ``home``; return wall seconds and stdout + stderr (exit on failure)."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=_env(home), cwd=REPO, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    out = proc.stdout + proc.stderr
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{out[-4000:]}")
    return secs, out


def _jobs(out: str) -> dict[str, float]:
    return {m.group(1): float(m.group(2)) for line in out.splitlines() if (m := JOB_LINE.match(line.strip()))}  # fmt: skip


def pipeline(
    home: Path, start: date, end: date, jobs: list[str], opts: list[str]
) -> dict[str, Any]:
    """Run ``jangbogi run`` (no publish); return wall seconds and per-job seconds."""
    cmd = [sys.executable, "-m", "spark_jobs.cli", "run", "--start", str(start), "--end", str(end),
           "--no-publish"]  # fmt: skip
    if jobs:
        cmd += ["--jobs", *jobs]
    for o in opts:
        cmd += ["--opt", o]
    secs, out = _run(cmd, home)
    per_job = _jobs(out)
    by_layer: dict[str, float] = {}
    for name, s in per_job.items():
        layer = name.split(".", 1)[0]
        by_layer[layer] = by_layer.get(layer, 0.0) + s
    return {"wall_s": round(secs, 1), "layers_s": by_layer, "jobs_s": per_job}


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
    secs, out = _run(cmd, home)
    gen = next((m for line in out.splitlines() if (m := GEN_LINE.match(line))), None)
    reg = next((m for line in out.splitlines() if (m := REG_LINE.match(line))), None)
    return {
        "command": " ".join(cmd[1:]),
        "wall_s": round(secs, 1),
        "generate_s": float(gen.group(2)) if gen else None,
        "register_s": float(reg.group(2)) if reg else None,
        "tables": raw_figures(home),
    }


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
    p.add_argument("--incremental", action="store_true")
    p.add_argument("--reference", action="store_true")
    p.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = p.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="jangbogi-scalegen-"))
    start = args.end - timedelta(days=args.days - 1)
    opts = [f"kamis.scope.{k}={v}" for k in ("regions", "items") if (v := getattr(args, k))]
    res: dict[str, Any] = {"home": str(home), "start": str(start), "end": str(args.end)}
    res["generate"] = generate(home, start, args.end, args)
    print(json.dumps(res, indent=1), flush=True)
    if args.silver_gold:
        res["silver_gold"] = pipeline(home, start, args.end, ["silver", "gold"], opts)
        print(json.dumps(res["silver_gold"], indent=1), flush=True)
    if args.incremental:
        nxt = args.end + timedelta(days=1)
        res["incremental"] = pipeline(home, nxt, nxt, [], opts)
        res["incremental"]["raw_after"] = raw_figures(home)
        print(json.dumps(res["incremental"], indent=1), flush=True)
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
