"""The Delta Lake jars: pinned Maven coordinates, checksums and the local cache.

Set-up fetches them once from Maven Central (``python -m spark_jobs.jars fetch``); the session
builder only reads the cache, so nothing downloads when Spark starts.
"""

from __future__ import annotations

import hashlib
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from spark_jobs.paths import jar_cache_dir

MAVEN_CENTRAL = "https://repo1.maven.org/maven2"


@dataclass(frozen=True)
class Jar:
    """One pinned Maven artifact with its expected SHA-256."""

    group: str
    artifact: str
    version: str
    sha256: str

    @property
    def file_name(self) -> str:
        """Return the jar's file name in the cache."""
        return f"{self.artifact}-{self.version}.jar"

    @property
    def url(self) -> str:
        """Return the jar's Maven Central URL."""
        return f"{MAVEN_CENTRAL}/{self.group.replace('.', '/')}/{self.artifact}/{self.version}/{self.file_name}"


# delta-spark 4.4.0 is the newest Delta release for the Spark 4.2 line on Maven Central; the
# delta-spark wheel of the same version pins pyspark <= 4.2.0 (see pyproject.toml).
DELTA_JARS: tuple[Jar, ...] = (
    Jar(
        "io.delta",
        "delta-spark_4.2_2.13",
        "4.4.0",
        "27d4fd8b1f879535c573ed1c718177d6a27f24d3e626ba02e216369725721ead",
    ),
    Jar(
        "io.delta",
        "delta-storage",
        "4.4.0",
        "c46735481fa8e326b0957be02b4420cbcab4b325bb08009b7f2045a95133f1cc",
    ),
)


class JarCacheError(RuntimeError):
    """The jar cache is missing a jar or holds a corrupt one."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cached_jar_paths(cache: Path | None = None, verify: bool = False) -> list[Path]:
    """Return the cached jar paths, raising a clear error when set-up has not fetched them.

    Args:
        cache: Cache folder; defaults to :func:`spark_jobs.paths.jar_cache_dir`.
        verify: Also check each file's SHA-256 (slower; set-up does this once).
    """
    cache = cache or jar_cache_dir()
    paths = []
    for jar in DELTA_JARS:
        path = cache / jar.file_name
        if not path.is_file():
            raise JarCacheError(
                f"Delta jar {jar.file_name} is not in {cache}; run `make setup` "
                "(or `python -m spark_jobs.jars fetch`) once to fetch it from Maven Central"
            )
        if verify and _sha256(path) != jar.sha256:
            raise JarCacheError(
                f"{path} does not match its pinned SHA-256; delete it and rerun set-up"
            )
        paths.append(path)
    return paths


def fetch(cache: Path | None = None) -> list[Path]:
    """Download any missing jar into the cache and verify every checksum."""
    cache = cache or jar_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    for jar in DELTA_JARS:
        path = cache / jar.file_name
        if path.is_file() and _sha256(path) == jar.sha256:
            continue
        tmp = path.with_suffix(".part")
        print(f"fetching {jar.url}", file=sys.stderr)
        with urllib.request.urlopen(jar.url, timeout=120) as resp, tmp.open("wb") as out:
            while chunk := resp.read(1 << 20):
                out.write(chunk)
        if _sha256(tmp) != jar.sha256:
            tmp.unlink()
            raise JarCacheError(f"checksum mismatch for {jar.url}")
        tmp.replace(path)
    return cached_jar_paths(cache, verify=True)


if __name__ == "__main__":  # python -m spark_jobs.jars fetch|path
    cmd = sys.argv[1] if len(sys.argv) > 1 else "fetch"
    if cmd == "fetch":
        for p in fetch():
            print(p)
    elif cmd == "path":
        print(",".join(str(p) for p in cached_jar_paths()))
    else:
        raise SystemExit(f"usage: python -m spark_jobs.jars fetch|path (got {cmd!r})")
