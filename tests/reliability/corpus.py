"""The hostile-body corpus (tests/fixtures/bad_kamis/): manifest entries and their bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tests.reliability.make_bad_kamis import ACTION, OUT, PARAMS, big_body

MANIFEST = OUT / "manifest.json"
BIG_NAME = "big_50mb.json (generated)"


@dataclass(frozen=True)
class Case:
    """One corpus body and what the pipeline must make of it."""

    file: str
    quirk: str
    action: str
    outcome: str
    reason_contains: str
    quarantine: tuple[str, ...]

    def body(self) -> bytes:
        return big_body() if self.file == BIG_NAME else (OUT / self.file).read_bytes()


def cases(with_big: bool = True) -> list[Case]:
    """Return the committed cases (and the generated 50 MB one)."""
    out = [
        Case(**{**e, "quarantine": tuple(e["quarantine"])})
        for e in json.loads(MANIFEST.read_text(encoding="utf-8"))
    ]
    if with_big:
        out.append(
            Case(
                BIG_NAME,
                "50 MB body cut off mid-row",
                ACTION,
                "not_kamis",
                "invalid JSON",
                ("not_kamis",),
            )
        )
    return out


def committed_files() -> set[str]:
    return {p.name for p in Path(OUT).iterdir() if p.name != "manifest.json"}


__all__ = ["ACTION", "PARAMS", "Case", "cases", "committed_files"]
