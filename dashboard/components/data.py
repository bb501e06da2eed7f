"""The app's access to the serving store: one connection per process, query results cached by data version.

The profile comes from ``JANGBOGI_ENV`` (default ``local``); ``JANGBOGI_SERVING_PATH`` overrides
``serving.path`` (tests and demos point the app at another DuckDB file that way).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from spark_jobs.config import load_profile

if TYPE_CHECKING:
    from spark_jobs.config import Profile

log = logging.getLogger(__name__)
SERVING_PATH_ENV = "JANGBOGI_SERVING_PATH"
DEFAULT_TTL_S = 300


def serving_profile() -> Profile:
    """Return the active profile, with ``serving.path`` from ``JANGBOGI_SERVING_PATH`` when set."""
    overrides: dict[str, Any] = {}
    if os.environ.get(SERVING_PATH_ENV):
        overrides["serving.path"] = os.environ[SERVING_PATH_ENV]
    return load_profile(None, overrides or None)


@st.cache_resource(show_spinner=False)
def connection(serving_path: str | None = None) -> Any:
    """Return the process-wide database connection for the profile (``serving_path`` keys the cache)."""
    from dashboard.db import connect

    return connect(serving_profile())


def _conn() -> Any:
    return connection(os.environ.get(SERVING_PATH_ENV))


def data_version() -> str:
    """Return the served data's version (changes with every publish)."""
    return str(_conn().data_version())


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | set | frozenset) else value


@st.cache_data(show_spinner=False, ttl=DEFAULT_TTL_S, max_entries=512)
def _cached_run(
    query_name: str, params: tuple[tuple[str, Any], ...], version: str, store: str | None
) -> pd.DataFrame:
    """Run a named query; ``version`` and ``store`` only key the cache (a publish invalidates it)."""
    return _conn().run(query_name, dict(params))


def run_query(query_name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run ``dashboard/sql/<query_name>.sql`` with bound parameters, cached per data version."""
    frozen = tuple(sorted((k, _freeze(v)) for k, v in (params or {}).items()))
    return _cached_run(query_name, frozen, data_version(), os.environ.get(SERVING_PATH_ENV))
