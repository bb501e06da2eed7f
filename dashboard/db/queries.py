"""Named queries: one ``.sql`` file per query under ``dashboard/sql`` (DuckDB dialect, ``:name`` placeholders)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from dashboard.db.base import UnknownQueryError

DEFAULT_SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
_NAME = re.compile(r"^[a-z0-9_]+$")


class QueryCatalog:
    """Loads named queries from a folder; re-reads a file when it changes on disk."""

    def __init__(self, sql_dir: str | Path = DEFAULT_SQL_DIR) -> None:
        """Use the ``.sql`` files in ``sql_dir``."""
        self.sql_dir = Path(sql_dir)
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """Return every query name, sorted."""
        return sorted(p.stem for p in self.sql_dir.glob("*.sql"))

    def sql(self, name: str) -> str:
        """Return the text of query ``name``.

        Raises:
            UnknownQueryError: Bad name or no such file.
        """
        if not isinstance(name, str) or not _NAME.match(name):
            raise UnknownQueryError(
                f"bad query name {name!r}: use lower-case letters, digits and _"
            )
        path = self.sql_dir / f"{name}.sql"
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            known = ", ".join(self.names()) or "none"
            raise UnknownQueryError(
                f"no query {name!r} in {self.sql_dir} (known: {known})"
            ) from None
        with self._lock:
            hit = self._cache.get(name)
            if hit and hit[0] == mtime:
                return hit[1]
            text = path.read_text(encoding="utf-8").strip().rstrip(";").strip()
            self._cache[name] = (mtime, text)
            return text
