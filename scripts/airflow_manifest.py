"""Write airflow_dags/jangbogi_dag_lib/jobs.json: the job registry as the DAG factory reads it.

The DAG files run in Airflow's own venv, which has neither pyspark nor this package's
dependencies, and must parse in milliseconds; so the job graph (jobs, DAG, outlets, inlets) is
derived from the job and table registries here, with the Spark venv, and committed as JSON.
``tests/airflow/test_manifest.py`` fails when it is stale: rerun
``PYTHONPATH=. .venv/bin/python scripts/airflow_manifest.py``.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from spark_jobs.jobs import registered_jobs  # noqa: E402
from spark_jobs.registry import TableSpec, all_tables  # noqa: E402
from spark_jobs.silver.tables import STG_QUARANTINE  # noqa: E402
from spark_jobs.silver.template import StgJob  # noqa: E402
from spark_jobs.sources import SOURCES  # noqa: E402

MANIFEST = ROOT / "airflow_dags" / "jangbogi_dag_lib" / "jobs.json"


def _specs_in(value: object, seen: set[int], out: dict[str, set[str]], depth: int = 0) -> None:
    """Collect TableSpecs a module global refers to (directly, in a tuple, or as ``.spec``)."""
    if depth > 3 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, TableSpec):
        if value.layer != "ops":  # a job's own bookkeeping (kamis_ops), not a lake Asset
            out.setdefault("refs", set()).add(value.full_name)
    elif isinstance(value, tuple | list):
        for v in value:
            _specs_in(v, seen, out, depth + 1)
    elif isinstance(getattr(value, "spec", None), TableSpec):
        out.setdefault("refs", set()).add(value.spec.full_name)  # type: ignore[attr-defined]


def _module_refs(module: types.ModuleType, seen_mods: set[str]) -> tuple[set[str], set[str]]:
    """Return (outputs, references) of a job module and the private helper modules it uses."""
    outputs: set[str] = set()
    found: dict[str, set[str]] = {}
    seen: set[int] = set()
    seen_mods.add(module.__name__)
    for name, value in vars(module).items():
        if isinstance(value, TableSpec) and (name == "SPEC" or name.endswith("_SPEC")):
            outputs.add(value.full_name)
        elif name == "publish_quarantine":
            outputs.add(STG_QUARANTINE.full_name)
        elif isinstance(value, StgJob):  # the silver template: source → outputs + quarantine
            outputs.update(o.full_name for o in value.outputs)
            outputs.add(STG_QUARANTINE.full_name)
            found.setdefault("refs", set()).add(value.raw_table.full_name)
        else:
            _specs_in(value, seen, found)
        helper = getattr(value, "__module__", None) if callable(value) else None
        if (
            helper
            and helper.startswith("spark_jobs.")
            and helper.rsplit(".", 1)[-1].startswith("_")
            and helper not in seen_mods
        ):
            _, refs = _module_refs(sys.modules[helper], seen_mods)
            found.setdefault("refs", set()).update(refs)
    return outputs, found.get("refs", set()) - outputs


def build() -> dict:
    """Return the manifest: every job with its DAG, outlets and inlets, in pipeline order."""
    jobs = registered_jobs()
    tables = all_tables()
    rows: list[dict] = []
    producer: dict[str, str] = {}
    for name, job in jobs.items():
        module = sys.modules[job.fn.__module__]
        if job.layer == "raw":
            outputs, inputs = {f"kamis_raw.{name.split('.', 1)[1]}"}, set()
        else:
            outputs, inputs = _module_refs(module, set())
            if not outputs:
                outputs = {f"kamis_{job.layer}.{name.split('.', 1)[1]}"}
        unknown = (outputs | inputs) - set(tables)
        if unknown:
            raise SystemExit(f"{name}: tables not in the registry: {sorted(unknown)}")
        for t in outputs:
            producer.setdefault(t, name)
        rows.append(
            {
                "job": name,
                "layer": job.layer,
                "description": job.description,
                "outlets": sorted(outputs),
                "inlets": sorted(inputs),
            }
        )

    def raw_sources(job_row: dict, depth: int = 0) -> set[str]:
        found = set()
        for t in job_row["inlets"]:
            if t.startswith("kamis_raw."):
                found.add(t.split(".", 1)[1])
            elif t in producer and depth < 5 and producer[t] != job_row["job"]:
                up = next(r for r in rows if r["job"] == producer[t])
                found |= raw_sources(up, depth + 1)
        return found

    for row in rows:
        key = row["job"].split(".", 1)[1]
        if row["layer"] == "raw":
            row["dag_id"] = f"raw_{key}_collect_daily"
        elif row["layer"] == "silver":
            sources = raw_sources(row)
            api = next(iter(sources)) if len(sources) == 1 else "dims"
            row["dag_id"] = f"silver_{api}_transform_daily"
        else:
            row["dag_id"] = "gold_marts_build_daily"
    return {
        "generated_by": "scripts/airflow_manifest.py",
        "jobs": rows,
        "gold_tables": sorted(t for t in tables if t.startswith("kamis_gold.")),
        "sources": [
            {
                "source": s.key,
                "actions": list(s.actions),
                "label_ko": s.label_ko,
                "raw_job": f"raw.{s.key}",
                "raw_table": f"kamis_raw.{s.key}",
                "silver_tables": [f"kamis_silver.{t}" for t in s.silver],
                "max_lag_days": s.max_lag_days,
                "stale_after_days": s.stale_after_days,
            }
            for s in SOURCES
        ],
    }


def render() -> str:
    """Return the manifest as stable JSON text."""
    return json.dumps(build(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    MANIFEST.write_text(render(), encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(ROOT)}", file=sys.stderr)
