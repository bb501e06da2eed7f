"""Well-known locations inside the repository and the user's cache."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = PACKAGE_DIR / "reference"


def project_home() -> Path:
    """Return the directory relative paths in profiles resolve against.

    ``JANGBOGI_HOME`` wins; otherwise the repository root (the parent of ``spark_jobs``).
    """
    env = os.environ.get("JANGBOGI_HOME")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def conf_dir() -> Path:
    """Return the folder that holds the profile YAML files."""
    env = os.environ.get("JANGBOGI_CONF_DIR")
    return Path(env).resolve() if env else PACKAGE_DIR.parent / "conf"


def jar_cache_dir() -> Path:
    """Return the folder set-up fills with the Delta jars (``JANGBOGI_JAR_CACHE`` overrides)."""
    env = os.environ.get("JANGBOGI_JAR_CACHE")
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jangbogi" / "jars"
