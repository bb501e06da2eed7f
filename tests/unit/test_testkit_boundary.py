"""Test doubles stay out of the product: the runtime packages never import testkit or tests."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from setuptools import find_namespace_packages

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
RUNTIME = ("spark_jobs", "dashboard")
TEST_ONLY = ("testkit", "tests")


def imported_modules(path: Path) -> set[str]:
    """Return every module an ``import`` / ``from … import`` statement in ``path`` names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_imported_modules_sees_both_import_forms(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text(
        "import os, testkit.synthetic\nfrom testkit import fake_kamis\nfrom . import x\n"
        "def f():\n    from tests.pg import free_port\n",
        encoding="utf-8",
    )
    assert imported_modules(src) == {"os", "testkit.synthetic", "testkit", "tests.pg"}


@pytest.mark.parametrize("package", RUNTIME)
def test_runtime_packages_do_not_import_test_code(package: str) -> None:
    offenders = sorted(
        f"{path.relative_to(REPO)}: {name}"
        for path in (REPO / package).rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in TEST_ONLY
    )
    assert offenders == []


def test_testkit_is_not_an_installed_package() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    # [tool.setuptools.packages.find] discovers namespace packages too, as find_namespace_packages
    installed = set(find_namespace_packages(where=str(REPO), include=include))
    assert {"spark_jobs", "dashboard", "spark_jobs.simulator"} <= installed
    assert not {p for p in installed if p.split(".")[0] in TEST_ONLY}
