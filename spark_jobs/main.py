"""spark-submit entry point: run one registered job (or a layer) for a date or a window.

spark-submit spark_jobs/main.py <job> --date YYYY-MM-DD
spark-submit spark_jobs/main.py <job> --start YYYY-MM-DD --end YYYY-MM-DD [--profile NAME]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts spark_jobs/ itself first on sys.path, where its module names
# (config, jobs, …) would shadow others; import the installed package instead.
_here = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != _here]

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from spark_jobs.dates import date_arg, today_kst  # noqa: E402
from spark_jobs.jobs import registered_jobs  # noqa: E402


def _job_list() -> str:
    jobs = registered_jobs()
    width = max((len(n) for n in jobs), default=10)
    lines = [f"  {name.ljust(width)}  {job.description}" for name, job in jobs.items()]
    lines.append(
        f"  {'raw|silver|gold|all'.ljust(width)}  every job of a layer / the whole pipeline, in order"
    )
    return "jobs:\n" + "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (its epilog lists every registered job)."""
    p = argparse.ArgumentParser(
        prog="spark-submit spark_jobs/main.py",
        description="Run one jangbogi Spark job for a date or a date window.",
        epilog=_job_list(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("job", nargs="+", help="job name(s), a layer (raw, silver, gold) or all")
    when = p.add_mutually_exclusive_group()
    when.add_argument(
        "--date", type=date_arg, help="one date, YYYY-MM-DD (default: today in Korea)"
    )
    when.add_argument("--start", type=date_arg, help="first date of a window")
    p.add_argument("--end", type=date_arg, help="last date of a window (with --start)")
    p.add_argument(
        "--profile", default=None, help="profile in conf/ (default $JANGBOGI_ENV or local)"
    )
    p.add_argument(
        "--full-refresh", action="store_true", help="rebuild whole tables instead of the window"
    )
    p.add_argument(
        "--opt", action="append", default=[], metavar="KEY=VALUE", help="job option, repeatable"
    )
    p.add_argument("--master", default=None, help="override spark.master (e.g. spark://host:7077)")
    return p


def parse_window(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple:
    """Return (start, end) from --date or --start/--end."""
    if args.start is not None:
        end = args.end or args.start
        if end < args.start:
            parser.error(f"--end {end} is before --start {args.start}")
        return args.start, end
    if args.end is not None:
        parser.error("--end needs --start")
    d = args.date or today_kst()
    return d, d


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, build the session from the profile and run the job(s)."""
    from spark_jobs.config import load_profile
    from spark_jobs.logs import setup_logging
    from spark_jobs.pipeline import run_jobs, select_jobs
    from spark_jobs.session import build_session

    parser = build_parser()
    args = parser.parse_args(argv)
    start, end = parse_window(args, parser)
    try:
        select_jobs(args.job)
    except KeyError as exc:
        parser.error(str(exc.args[0]))
    setup_logging()
    options = dict(o.split("=", 1) for o in args.opt if "=" in o)
    profile = load_profile(args.profile)
    overrides = {"spark.master": args.master} if args.master else None
    spark = build_session(profile, app_name=f"jangbogi:{'+'.join(args.job)}", overrides=overrides)
    from spark_jobs.ops import run_history

    started_at, t0 = datetime.now(UTC), time.perf_counter()
    try:
        runs = run_jobs(spark, profile, args.job, start, end, args.full_refresh, options)
        for run in runs:
            print(f"{run.name}: ok in {run.seconds:.1f} s", file=sys.stderr)
        run_history.record(
            spark,
            [
                run_history.RunRecord(
                    r.name, start, end, "success", r.seconds, started_at,
                    run_history.rows_written(r.result),
                )
                for r in runs
            ],
        )  # fmt: skip
    except Exception as exc:
        failed = "+".join(args.job)
        secs = time.perf_counter() - t0
        run_history.record(
            spark,
            [
                run_history.RunRecord(
                    failed, start, end, "failed", secs, started_at, None, repr(exc)
                )
            ],
        )
        raise
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
