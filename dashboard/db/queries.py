"""Named queries: one ``.sql`` file per query under ``dashboard/sql`` (DuckDB dialect, ``:name`` placeholders).

A backend may read some queries from a variant folder instead: ``dashboard/sql/serving/<name>.sql``
is what the serving stores (DuckDB, PostgreSQL) run for ``<name>`` when that file exists. It must
return the same columns and rows as the shared query (which Trino and Athena run on the lake),
typically by reading a table the store derives from the marts at publish time.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from dashboard.db.base import UnknownQueryError

DEFAULT_SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
SERVING_VARIANT = "serving"  # dashboard/sql/serving: queries of the DuckDB / PostgreSQL stores
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

    def sql(self, name: str, variant: str | None = None) -> str:
        """Return the text of query ``name``.

        Args:
            name: The query name (file stem).
            variant: A sub-folder whose ``<name>.sql``, when present, replaces the shared file
                (``serving`` for the DuckDB and PostgreSQL stores).

        Raises:
            UnknownQueryError: Bad name or no such file.
        """
        if not isinstance(name, str) or not _NAME.match(name):
            raise UnknownQueryError(
                f"bad query name {name!r}: use lower-case letters, digits and _"
            )
        if variant is not None and not _NAME.match(variant):
            raise UnknownQueryError(f"bad query variant {variant!r}")
        path = self.sql_dir / f"{name}.sql"
        if variant is not None and path.exists():
            special = self.sql_dir / variant / f"{name}.sql"
            if special.exists():
                path = special
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            known = ", ".join(self.names()) or "none"
            raise UnknownQueryError(
                f"no query {name!r} in {self.sql_dir} (known: {known})"
            ) from None
        key = str(path)
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[0] == mtime:
                return hit[1]
            text = path.read_text(encoding="utf-8").strip().rstrip(";").strip()
            self._cache[key] = (mtime, text)
            return text
