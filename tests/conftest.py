"""Shared fixtures: a session-scoped Spark with Delta and its own warehouse and metastore."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("SPARK_TESTING", "1")
os.environ.setdefault("JANGBOGI_SPARK_LOG_LEVEL", "ERROR")
# The real credentials must never leak into a test run (tests set recognisable fake ones).
for _var in ("KAMIS_CERT_KEY", "KAMIS_CERT_ID"):
    os.environ.pop(_var, None)

pytest_plugins = ("tests.dashboard_serving",)  # serving_path: the known dashboard fixture store

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "fixtures" / "kamis_samples"

# scripts/run_tests.sh runs the suite on two pytest-xdist workers. A module runs whole on one
# worker (its module-scoped set-up happens once); these directories share an expensive
# session-scoped set-up between modules, so each goes whole to one worker: the live stack, the
# cluster's reference day, the reliability reference run, the Airflow DagBags. (xdist's own
# ``--dist loadgroup`` marks do not reach its scheduler under pytest 9, so the scheduler is ours.)
SHARED_SETUP_DIRS = {"stack", "cluster", "reliability", "airflow"}
OWN_GROUP_MODULES = {"airflow/test_master_pipeline_e2e.py"}  # the scheduler run: no DagBag


def xdist_group_of(rel: Path) -> str:
    """Return the worker group of a test module given by its path under tests/."""
    top, posix = rel.parts[0], rel.as_posix()
    if posix not in OWN_GROUP_MODULES and top in SHARED_SETUP_DIRS:
        return top
    return posix


# The longest groups start first (a worker that picks one up late makes the whole run wait for
# it); the rest follow in collection order. Minutes in stop 19's CI run (2 workers: each Spark
# process runs about half as fast as alone, the suite is CPU-bound on 2 cores).
LONGEST_FIRST = (
    "airflow/test_master_pipeline_e2e.py",  # ~30 min: Airflow up, a master run, backfill, asset
    "reliability",  # ~28 min: the reference run, crash and fault trials
    "integration/test_pipeline_e2e.py",  # 60-day pipeline + notebook
    "cluster",  # standalone master + S3 (moto) lakes
    "stack",  # PostgreSQL + Hive Metastore + Trino
)


def _rank(item: pytest.Item) -> int:
    root = REPO / "tests"
    path = Path(str(item.path))
    if not path.is_relative_to(root):
        return len(LONGEST_FIRST)
    group = xdist_group_of(path.relative_to(root))
    return LONGEST_FIRST.index(group) if group in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the longest groups first (stable: the order inside a group stays)."""
    items.sort(key=_rank)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Return xdist's scope scheduler with our groups as its scopes (one group, one worker).

    Scopes are handed out in collection order (:func:`pytest_collection_modifyitems`), not
    re-sorted by test count as xdist does by default.
    """
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = Path(nodeid.split("::", 1)[0])
            if path.parts[:1] != ("tests",) or len(path.parts) < 3:
                return path.as_posix()
            return xdist_group_of(path.relative_to("tests"))

    return GroupScheduling(config, log)


@pytest.fixture(scope="session")
def lake_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder holding this test session's warehouse, metastore and serving store."""
    return tmp_path_factory.mktemp("lake")


@pytest.fixture(scope="session")
def profile(lake_dir: Path):
    """The local profile pointed at the temporary lake."""
    from spark_jobs.config import load_profile

    return load_profile(
        "local",
        {
            "storage.root": str(lake_dir),
            "storage.warehouse": str(lake_dir / "warehouse"),
            "storage.checkpoints": str(lake_dir / "checkpoints"),
            "metastore.derby_dir": str(lake_dir / "metastore"),
            "serving.path": str(lake_dir / "serving" / "jangbogi.duckdb"),
            "spark.master": "local[2]",
            "spark.driver_memory": "2g",
        },
    )


@pytest.fixture(scope="session")
def spark(profile) -> Iterator:
    """One SparkSession for the whole test session (UI off, 2 shuffle partitions)."""
    from spark_jobs.session import build_session

    session = build_session(profile, app_name="jangbogi-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """Real KAMIS response bodies (see tests/fixtures/kamis_samples/SOURCES.txt)."""
    return SAMPLES
