"""The ``jangbogi`` console script: the pipeline, the simulator, parsing, publishing, the dashboard."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from spark_jobs.dates import date_arg, today_kst
from spark_jobs.paths import project_home


def _cmd_run(args: argparse.Namespace) -> int:
    from spark_jobs.config import load_profile
    from spark_jobs.logs import setup_logging
    from spark_jobs.pipeline import run_jobs
    from spark_jobs.session import build_session

    setup_logging()
    end = args.end or today_kst()
    start = args.start or end - timedelta(days=args.days - 1)
    if end < start:
        raise SystemExit(f"--end {end} is before --start {start}")
    profile = load_profile(args.profile)
    spark = build_session(profile, app_name="jangbogi:run")
    try:
        options = dict(o.split("=", 1) for o in args.opt if "=" in o)
        runs = run_jobs(
            spark, profile, args.jobs or ["all"], start, end, args.full_refresh, options
        )
    finally:
        spark.stop()
    for r in runs:
        print(f"{r.name:45s} {r.seconds:7.1f} s", file=sys.stderr)
    if not args.no_publish:
        from spark_jobs.serving.publish import publish_all

        summary = publish_all(profile)
        print(summary, file=sys.stderr)
    return 0


def _cmd_backfill(args: argparse.Namespace) -> int:
    from spark_jobs.backfill import backfill, state_path
    from spark_jobs.config import load_profile
    from spark_jobs.logs import setup_logging
    from spark_jobs.pipeline import run_jobs
    from spark_jobs.session import build_session

    setup_logging()
    if args.end < args.start:
        raise SystemExit(f"--end {args.end} is before --start {args.start}")
    profile = load_profile(args.profile)
    options = dict(o.split("=", 1) for o in args.opt if "=" in o)
    state = state_path(Path(profile.path("storage.root")) / "backfill", args.start, args.end)
    spark = build_session(profile, app_name="jangbogi:backfill")
    try:
        ran = backfill(
            args.start,
            args.end,
            lambda s, e: run_jobs(spark, profile, ["all"], s, e, False, options),
            state,
        )
    finally:
        spark.stop()
    print(
        f"backfill {args.start}..{args.end}: {len(ran)} month(s) run; state {state}",
        file=sys.stderr,
    )
    if not args.no_publish:
        from spark_jobs.serving.publish import publish_all

        print(publish_all(profile), file=sys.stderr)
    return 0


def _cmd_kamis_parse(args: argparse.Namespace) -> int:
    from spark_jobs.kamis.parse_cli import run

    return run(args.action, Path(args.file), sys.stdout, sys.stderr)


def _cmd_publish(args: argparse.Namespace) -> int:
    from spark_jobs.config import load_profile
    from spark_jobs.logs import setup_logging
    from spark_jobs.serving.publish import publish_all

    setup_logging()
    print(publish_all(load_profile(args.profile)), file=sys.stderr)
    return 0


def _cmd_dashboard(args: argparse.Namespace) -> int:
    app = project_home() / "dashboard" / "app.py"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = dict(os.environ)
    if args.profile:
        env["JANGBOGI_ENV"] = args.profile
    return subprocess.call(cmd, env=env)


def build_parser() -> argparse.ArgumentParser:
    """Return the console script's parser."""
    p = argparse.ArgumentParser(
        prog="jangbogi", description="jangbogi (장보기): KAMIS price lakehouse and dashboard"
    )
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="run the pipeline (raw → silver → gold) for a window in one Spark session, then publish",
    )
    run.add_argument("--start", type=date_arg, help="first date (default: --days before --end)")
    run.add_argument("--end", type=date_arg, help="last date (default: today in Korea)")
    run.add_argument(
        "--days", type=int, default=30, help="window length when --start is not given (default 30)"
    )
    run.add_argument("--jobs", nargs="*", help="jobs or layers to run (default all)")
    run.add_argument("--profile", help="profile name (default $JANGBOGI_ENV or local)")
    run.add_argument("--full-refresh", action="store_true", help="rebuild whole tables")
    run.add_argument(
        "--opt",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="job option, repeatable (e.g. kamis.scope.regions=1101,2100)",
    )
    run.add_argument(
        "--no-publish", action="store_true", help="skip publishing gold marts to the serving store"
    )
    run.set_defaults(fn=_cmd_run)

    bf = sub.add_parser(
        "backfill",
        help="run the pipeline month by month over a range, with a progress bar; resumes where a stopped run left off",
    )
    bf.add_argument("--start", type=date_arg, required=True, help="first day (YYYY-MM-DD)")
    bf.add_argument("--end", type=date_arg, required=True, help="last day (YYYY-MM-DD)")
    bf.add_argument("--profile", help="profile name (default $JANGBOGI_ENV or local)")
    bf.add_argument("--opt", action="append", default=[], metavar="KEY=VALUE", help="job option")
    bf.add_argument("--no-publish", action="store_true", help="skip publishing at the end")
    bf.set_defaults(fn=_cmd_backfill)

    sim = sub.add_parser("simulate", help="serve the KAMIS-compatible simulator over HTTP")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--seed", type=int, default=20261130)
    sim.add_argument(
        "--today",
        type=date_arg,
        default=None,
        help="the simulator's 'today' (default: today in Korea)",
    )
    sim.add_argument(
        "--publication-hour-kst",
        type=int,
        default=None,
        help="hour (KST, 0-24) from which today's prices are published, like KAMIS (default 14)",
    )
    sim.add_argument(
        "--shape",
        choices=["2026", "2020", "xml-derived"],
        default="2026",
        help="response shape variant",
    )
    sim.add_argument(
        "--latency-ms", type=float, default=0.0, help="mean added latency per request (ms)"
    )
    sim.add_argument(
        "--latency-jitter-ms", type=float, default=0.0, help="latency standard deviation (ms)"
    )
    for knob, what in (
        ("error-rate", "HTTP 5xx"),
        ("timeout-rate", "sleep past the client timeout"),
        ("reset-rate", "connection reset"),
        ("truncate-rate", "truncated body"),
        ("malformed-rate", "malformed body"),
        ("html-rate", "HTML error page"),
        ("empty-rate", "an empty 200 body"),
        ("slow-rate", "a slow (but not timed out) answer"),
        ("throttle-rate", "a burst of 429 answers with Retry-After"),
    ):
        sim.add_argument(
            f"--{knob}", type=float, default=0.0, help=f"probability of {what} per request"
        )
    sim.add_argument(
        "--timeout-sleep-s", type=float, default=35.0, help="how long a 'timeout' request sleeps"
    )
    sim.add_argument(
        "--slow-sleep-s", type=float, default=2.0, help="how long a 'slow' request sleeps"
    )
    sim.add_argument(
        "--throttle-burst", type=float, default=5.0, help="requests answered 429 per burst"
    )
    sim.add_argument(
        "--throttle-retry-after-s", type=float, default=1.0, help="Retry-After of a 429 (s)"
    )
    from spark_jobs.simulator.server import run_from_args

    sim.set_defaults(fn=run_from_args)

    kamis = sub.add_parser("kamis", help="KAMIS tools")
    ksub = kamis.add_subparsers(dest="kamis_command", required=True)
    parse = ksub.add_parser("parse", help="parse a saved KAMIS body into normalised JSON rows")
    parse.add_argument(
        "--action", required=True, help="KAMIS action, e.g. dailyPriceByCategoryList"
    )
    parse.add_argument("file", help="a raw body or an {'all_data': …} wrapper")
    parse.set_defaults(fn=_cmd_kamis_parse)

    pub = sub.add_parser("publish", help="copy every gold mart into the serving store atomically")
    pub.add_argument("--profile")
    pub.set_defaults(fn=_cmd_publish)

    dash = sub.add_parser("dashboard", help="start the Streamlit dashboard")
    dash.add_argument("--port", type=int, default=8501)
    dash.add_argument("--profile")
    dash.set_defaults(fn=_cmd_dashboard)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jangbogi`` console script."""
    args = build_parser().parse_args(argv)
    return int(args.fn(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
