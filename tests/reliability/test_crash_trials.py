"""Crash trials: kill -9 a real pipeline process inside raw, silver, gold and publish.

Each trial copies the reference lake (a complete, published run of the window) and runs one
stage's job again for the same window, as the daily run or a retry would: a raw collect with
``--full-refresh`` (every call fetched and its partitions replaced), a silver and a gold job
(write-audit-publish with ``replaceWhere`` over the window), or ``jangbogi publish``. The rewrite
holds the same rows as the reference, so any partial write a reader could see would show as a
checksum difference. A seeded random delay after the job's start marker in the process's log,
the whole process group (spark-submit's JVM and the Python driver) gets SIGKILL. Then:

* every Delta table still reads and every partition equals the reference's (nothing partial);
* the serving store opens through its link and every mart agrees with ``serving_meta``, with
  the reference's content (the last complete publish);
* the same command, rerun to completion, converges to the reference's table checksums.

``JANGBOGI_CRASH_SEED`` reproduces a run's draws (the seed is printed); ``JANGBOGI_CRASH_TRIALS``
sets the number of trials (default 10; ``make soak`` runs more, over more days).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability import lakecheck as lc

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

SEED = int(os.environ.get("JANGBOGI_CRASH_SEED") or random.SystemRandom().randrange(1 << 31))
TRIALS = int(os.environ.get("JANGBOGI_CRASH_TRIALS", "10"))
# CI: one trial per Spark layer (each ~50 s: two JVM starts), the rest publish (no JVM, ~2 s);
# make soak (JANGBOGI_SOAK=1) cycles through the four stages.
CI_SPARK_STAGES = ("raw", "silver", "gold")
SOAK_PATTERN = ("raw", "silver", "gold", "publish")


@dataclass(frozen=True)
class Target:
    """What a trial runs and where it kills."""

    stage: str
    job: str | None  # None: jangbogi publish
    full_refresh: bool = False


TARGETS = {
    "raw": Target("raw", "raw.daily_price_by_category_list", full_refresh=True),
    "silver": Target("silver", "silver.stg_daily_category_price"),
    "gold": Target("gold", "gold.mart_buy_signal"),
    "publish": Target("publish", None),
}


def stages(n: int) -> list[str]:
    """Return the stage of each of ``n`` trials."""
    if os.environ.get("JANGBOGI_SOAK"):
        return [SOAK_PATTERN[i % len(SOAK_PATTERN)] for i in range(n)]
    return [*CI_SPARK_STAGES, *["publish"] * max(0, n - len(CI_SPARK_STAGES))][:n]


def command(target: Target) -> list[str]:
    """Return the command line a trial runs (and reruns)."""
    if target.job is None:
        return lc.jangbogi("publish")
    extra = ["--full-refresh"] if target.full_refresh else []
    return lc.spark_submit([target.job], lc.START, lc.END, *extra, *lc.scope_opts())


def marker(target: Target) -> tuple[str, str]:
    """Return (start marker, end marker) of the target in the process's log."""
    if target.job is None:
        return "loaded mart_price_rise_top3", "게시 완료 / published"
    return f"job {target.job} ", f"job {target.job} finished"


def test_seed_is_logged() -> None:
    """Print the seed first, so a failing run can be reproduced with JANGBOGI_CRASH_SEED."""
    print(f"crash trials: JANGBOGI_CRASH_SEED={SEED}, {TRIALS} trials: {stages(TRIALS)}")
    assert TRIALS >= 1


@pytest.mark.parametrize(("trial", "stage"), list(enumerate(stages(TRIALS))))
def test_kill_9_then_rerun_converges(reference, tmp_path: Path, trial: int, stage: str) -> None:
    target = TARGETS[stage]
    rng = random.Random(f"{SEED}-{trial}")
    duration = (
        reference.publish_seconds
        if target.job is None
        else reference.job_seconds.get(target.job, 5.0)
    )
    delay = rng.uniform(0.0, 0.9 * duration)
    start, end = marker(target)
    # a publish takes ~0.2 s, and a job alone in its JVM can beat the duration it took inside the
    # reference run: when the process ended before the kill, try again sooner
    for _ in range(3):
        home = reference.fresh_home()
        env = reference.env(home)
        killed = lc.run_pipeline(command(target), env, tmp_path / "killed.log", start, delay)
        if killed.killed_after is not None:
            break
        print(f"crash trial {trial}: the {stage} run ended before {delay:.3f} s, halving the delay")
        delay /= 2
    text = killed.text()
    inside = killed.killed_after is not None and end not in text
    print(
        f"crash trial {trial}: seed {SEED} stage {stage} job {target.job or 'publish'} "
        f"delay {delay:.2f} s of ~{duration:.1f} s, killed inside: {inside}, rc {killed.returncode}"
    )
    assert start in text, text[-3000:]
    assert killed.killed_after is not None, "the process ended before the kill"
    assert killed.returncode == -9

    # 1. every table reads; every partition is the reference's (no partial partition visible)
    after_kill = lc.lake_checksums(home / "var" / "warehouse")
    assert set(after_kill) == set(reference.checksums)
    for name, parts in reference.checksums.items():
        assert after_kill[name] == parts, f"{name} differs from the last committed state"
    # 2. the serving store answers, whole, from the last complete publish
    serving = lc.serving_state(home / "var" / "serving" / "jangbogi.duckdb")
    assert serving["tables"] == reference.serving["tables"]
    assert len(serving["publish_ids"]) == 1  # type: ignore[arg-type]
    leftovers = lc.staging_leftovers(home / "var" / "warehouse")
    print(f"crash trial {trial}: staging folders left by the kill: {len(leftovers)}")

    # 3. the same command, rerun, converges to the reference
    rerun = lc.run_pipeline(command(target), env, tmp_path / "rerun.log")
    assert rerun.returncode == 0, rerun.text()[-5000:]
    assert lc.lake_checksums(home / "var" / "warehouse") == reference.checksums
    final = lc.serving_state(home / "var" / "serving" / "jangbogi.duckdb")
    assert final["tables"] == reference.serving["tables"]
    if target.job is None:  # a new complete publish; the killed one's half file is cleaned up
        assert final["publish_ids"] != serving["publish_ids"]
        files = sorted((home / "var" / "serving").glob("jangbogi.*.duckdb"))
        assert len(files) <= 2, files
    print(f"crash trial {trial}: rerun ok in {rerun.seconds:.1f} s, checksums = reference")
