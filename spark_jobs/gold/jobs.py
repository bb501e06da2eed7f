"""Registers every gold job: each table module (`stg_*`, `dim_*`, `mart_*`) declares its own `@job`."""

from __future__ import annotations

import importlib
import pkgutil

import spark_jobs.gold as _pkg

for _mod in sorted(m.name for m in pkgutil.iter_modules(_pkg.__path__)):
    if _mod.startswith(("stg_", "dim_", "mart_")):
        importlib.import_module(f"{_pkg.__name__}.{_mod}")
