"""Environment profiles: ``conf/<profile>.yaml`` selected by ``JANGBOGI_ENV`` (default ``local``).

A profile names every resource (storage, metastore, query engine, serving store, KAMIS endpoint),
so code asks the profile and never branches on the environment's name.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from spark_jobs.paths import conf_dir, project_home

DEFAULT_PROFILE = "local"
_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


class ConfigError(ValueError):
    """A profile is missing or malformed."""


def _interpolate(value: Any) -> Any:
    """Replace ``${VAR}`` / ``${VAR:-default}`` in strings with environment values."""
    if isinstance(value, str):

        def sub(m: re.Match[str]) -> str:
            return os.environ.get(m.group(1)) or (m.group(2) or "")

        return _VAR.sub(sub, value)
    if isinstance(value, dict):
        return {k: _interpolate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v) for v in value]
    return value


def _merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``overrides`` into a copy of ``base``; dotted keys address nested values."""
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if isinstance(value, Mapping) and isinstance(node.get(parts[-1]), dict):
            node[parts[-1]] = _merge(node[parts[-1]], value)
        else:
            node[parts[-1]] = value
    return out


def resolve_dir(path: Path) -> Path:
    """Return ``path`` absolute with its directory resolved but its last component kept as given.

    ``Path.resolve()`` would follow a symlink at the end of the path: the DuckDB ``serving.path`` is
    such a link (each publish swaps it to a new version file), and following it made every later
    publish build on the version file instead of the link.
    """
    path = Path(os.path.abspath(path))
    if path.name in ("", ".", ".."):
        return path.resolve()
    return path.parent.resolve() / path.name


@dataclass(frozen=True)
class Profile:
    """A loaded profile: its name and the interpolated settings tree."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)

    def get(self, dotted: str, default: Any = None) -> Any:
        """Return the value at a dotted path such as ``serving.path``."""
        node: Any = self.settings
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def path(self, dotted: str) -> str:
        """Return a storage setting as an absolute path (URIs such as ``s3a://`` pass through).

        Relative paths are taken from :func:`~spark_jobs.paths.project_home`. The directory is
        resolved, the last component is not: a symlink there (``serving.path``) stays the link.
        """
        value = self.get(dotted)
        if value is None:
            raise ConfigError(f"profile {self.name!r} has no setting {dotted!r}")
        text = str(value)
        if "://" in text:
            return text
        p = Path(text)
        return str(resolve_dir(p if p.is_absolute() else project_home() / p))

    def with_overrides(self, overrides: Mapping[str, Any]) -> Profile:
        """Return a copy with ``overrides`` merged in."""
        return Profile(self.name, _merge(self.settings, overrides))


def load_profile(name: str | None = None, overrides: Mapping[str, Any] | None = None) -> Profile:
    """Load ``conf/<name>.yaml`` (``JANGBOGI_ENV`` or ``local`` when ``name`` is None).

    Args:
        name: Profile name; defaults to ``$JANGBOGI_ENV`` then ``local``.
        overrides: Settings merged over the file, dotted keys allowed (``{"spark.master": "local[1]"}``).

    Returns:
        The interpolated profile.

    Raises:
        ConfigError: The profile file does not exist or is not a mapping.
    """
    name = name or os.environ.get("JANGBOGI_ENV") or DEFAULT_PROFILE
    file = conf_dir() / f"{name}.yaml"
    if not file.is_file():
        known = sorted(p.stem for p in conf_dir().glob("*.yaml"))
        raise ConfigError(f"unknown profile {name!r}: no {file} (known: {', '.join(known)})")
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{file} must hold a mapping")
    data = _interpolate(data)
    data["name"] = name
    profile = Profile(name, data)
    return profile.with_overrides(overrides) if overrides else profile
