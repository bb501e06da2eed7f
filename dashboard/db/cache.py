"""A small TTL cache for query results, keyed by the data version (no Streamlit needed).

A key is (backend, query name, parameters, data version): a new publish changes the version, so
the next call misses and the new data shows at once; otherwise results live ``ttl`` seconds.
The app wraps this in ``st.cache_data`` if it wants per-session caching on top.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping

import pandas as pd

from dashboard.db.base import DatabaseConnection
from dashboard.db.sqlbind import is_list_value


def freeze(params: Mapping[str, object]) -> tuple[tuple[str, Hashable], ...]:
    """Return a hashable, order-independent form of query parameters (lists become tuples)."""

    def one(v: object) -> Hashable:
        if is_list_value(v):
            items = sorted(v, key=repr) if isinstance(v, set | frozenset) else v  # type: ignore[arg-type]
            return ("__list__", *(one(x) for x in items))  # type: ignore[union-attr]
        if isinstance(v, Mapping):
            return ("__map__", *freeze(v))
        return v  # type: ignore[return-value]

    return tuple(sorted((k, one(v)) for k, v in params.items()))


class QueryCache:
    """Thread-safe LRU of DataFrames with a time-to-live per entry."""

    def __init__(self, max_entries: int = 256, clock: Callable[[], float] = time.monotonic) -> None:
        """Keep at most ``max_entries`` results; ``clock`` is injectable for tests."""
        self.max_entries = max_entries
        self._clock = clock
        self._data: OrderedDict[Hashable, tuple[float, pd.DataFrame]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_run(
        self, conn: DatabaseConnection, name: str, params: Mapping[str, object], ttl: float
    ) -> pd.DataFrame:
        """Return the cached result of ``conn.run(name, params)`` or run it and cache it for ``ttl`` s."""
        key = (
            getattr(conn, "backend", type(conn).__name__),
            id(conn),
            name,
            freeze(params),
            conn.data_version(),
        )
        now = self._clock()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and hit[0] > now:
                self._data.move_to_end(key)
                self.hits += 1
                return hit[1].copy()
        df = conn.run(name, params)
        with self._lock:
            self.misses += 1
            self._data[key] = (now + ttl, df)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return df.copy()

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._data.clear()


_DEFAULT = QueryCache()


def cached_query(
    conn: DatabaseConnection,
    name: str,
    params: Mapping[str, object] | None = None,
    ttl: float = 300.0,
    cache: QueryCache | None = None,
) -> pd.DataFrame:
    """Run a named query through the process-wide cache (or ``cache``); see :class:`QueryCache`."""
    return (cache or _DEFAULT).get_or_run(conn, name, params or {}, ttl)
