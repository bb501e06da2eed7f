"""Reliability fixtures: PostgreSQL for the concurrency trial, and one reference pipeline run.

The reference run is shared by the crash, fault and key-search trials: ``jangbogi run`` +
publish over a tiny scope, in real-API mode with a recognisable fake cert key and id against a
fault-free simulator, with Spark event logging on. It runs every raw and silver job (the key's
whole path: requests, stored bodies, parsing) and the gold marts the trials rerun or read
(``REFERENCE_JOBS``); the Airflow end-to-end test runs all jobs in real-API mode and searches
every table, log and XCom for the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.pg import start_server
from tests.reliability import lakecheck as lc

SIM_SEED = 20261130
# Every raw and silver job; the marts the crash trials rerun (mart_buy_signal, with its input
# mart_price_normal_band) or wait for (the publish trial's start marker: mart_price_rise_top3,
# the first mart published), and the fault trial's mart_price_trend.
REFERENCE_JOBS = (
    "raw",
    "silver",
    "gold.mart_price_rise_top3",
    "gold.mart_price_normal_band",
    "gold.mart_price_trend",
    "gold.mart_buy_signal",
)


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """The DSN of a real PostgreSQL started for this session (stopped at the end)."""
    server = start_server()
    yield server.dsn
    server.stop()


@dataclass
class Reference:
    """The uninterrupted reference run and what the trials compare with.

    The run happens in ``work`` and is then copied to ``home`` (kept untouched). The metastore
    records absolute table locations, so every trial runs in ``work`` again: :meth:`fresh_home`
    replaces it with a copy of ``home``.
    """

    home: Path
    work: Path
    conf_dir: Path
    event_log_dir: Path
    base_url: str
    log: Path
    seconds: float
    checksums: dict[str, dict]
    serving: dict[str, object]
    job_seconds: dict[str, float]
    publish_seconds: float

    @property
    def warehouse(self) -> Path:
        """Return the reference lake's warehouse."""
        return self.home / "var" / "warehouse"

    def fresh_home(self) -> Path:
        """Return the working home, reset to a copy of the reference lake."""
        import shutil

        if self.work.exists():
            shutil.rmtree(self.work)
        return lc.copy_lake(self.home, self.work)

    def env(self, home: Path, base_url: str | None = None) -> dict[str, str]:
        """Return the environment for a run in ``home`` (same conf, key and simulator)."""
        return lc.pipeline_env(home, self.conf_dir, base_url or self.base_url)


@pytest.fixture(scope="session")
def simulator() -> Iterator[object]:
    """A fault-free simulator whose 'today' is the trial window's end, everything published."""
    from spark_jobs.simulator.server import SimulatorServer

    with SimulatorServer(SIM_SEED, today=lc.END, publication_hour_kst=0) as sim:
        yield sim


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory, simulator: object) -> Reference:
    """Run REFERENCE_JOBS once, uninterrupted; keep the lake, serving store and checksums."""
    import shutil

    root = tmp_path_factory.mktemp("reliability_ref")
    work, event_log = root / "work" / "home", root / "eventlog"
    work.mkdir(parents=True)
    conf = lc.write_conf(root / "conf", event_log)
    base_url = simulator.base_url  # type: ignore[attr-defined]
    env = lc.pipeline_env(work, conf, base_url)
    cmd = lc.jangbogi(
        "run", "--start", str(lc.START), "--end", str(lc.END), "--jobs", *REFERENCE_JOBS,
        *lc.scope_opts(),
    )  # fmt: skip
    result = lc.run_pipeline(cmd, env, root / "reference.log")
    text = result.text()
    assert result.returncode == 0, text[-5000:]
    print(f"reference run: {result.seconds:.1f} s ({lc.START}..{lc.END}, {lc.DAYS} days)")
    jobs = {m[1]: float(m[2]) for m in re.finditer(r"job (\S+) finished in ([\d.]+) s", text)}
    published = re.search(r"published: .*\(([\d.]+) s, version", text)
    assert published, "no publish summary in the reference log"
    home = root / "snapshot" / "home"
    shutil.copytree(work, home, symlinks=True)
    return Reference(
        home=home,
        work=work,
        conf_dir=conf,
        event_log_dir=event_log,
        base_url=base_url,
        log=result.log,
        seconds=result.seconds,
        checksums=lc.lake_checksums(home / "var" / "warehouse"),
        serving=lc.serving_state(home / "var" / "serving" / "jangbogi.duckdb"),
        job_seconds=jobs,
        publish_seconds=float(published[1]),
    )
