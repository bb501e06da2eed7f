"""KAMIS-compatible simulator: a deterministic price model behind a real HTTP server.

Pure rendering (no HTTP): ``render_body(action, params, seed, today)``; server:
``SimulatorServer`` (context manager) and ``serve_forever`` (``jangbogi simulate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache

from spark_jobs.simulator.actions import PATH, Renderer, Reply
from spark_jobs.simulator.model import PriceModel

__all__ = ["PATH", "PriceModel", "Renderer", "Reply", "get_model", "render_body"]


@lru_cache(maxsize=8)
def get_model(seed: int) -> PriceModel:
    """Return a shared price model for ``seed`` (its caches are reused between calls)."""
    return PriceModel(seed)


def render_body(action: str, params: Mapping[str, str], seed: int, today: date,
                shape: str = "2026") -> Reply:  # fmt: skip
    """Render the reply the server would send for ``action`` with query ``params``."""
    return Renderer(get_model(seed), today, shape).render(PATH, {**params, "action": action})
