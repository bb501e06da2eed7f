"""Which KAMIS endpoint a run talks to: the profile's ``kamis.endpoint`` (a job option wins).

* ``api``: the real KAMIS Open API (``KAMIS_CERT_KEY`` / ``KAMIS_CERT_ID`` must be set),
* ``simulator``: the KAMIS-compatible simulator, at ``kamis.simulator_url`` when given, else one
  started in this process for the run (seeded, its "today" the window end),
* ``auto`` (the local and stack profiles' default): ``api`` when the cert key and id are set,
  else ``simulator``.

The collector asks here for a client and never sees the simulator; the simulator stays a
product feature of its own (``jangbogi simulate``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from spark_jobs.kamis.client import (
    ID_VAR,
    KEY_VAR,
    KamisClient,
    KamisConfigError,
    real_mode_available,
)

if TYPE_CHECKING:
    from spark_jobs.jobs import JobContext

log = logging.getLogger(__name__)

API, SIMULATOR, AUTO = "api", "simulator", "auto"
ENDPOINTS = (API, SIMULATOR, AUTO)


def setting(ctx: JobContext, key: str, default: Any = None) -> Any:
    """Return a job option, else the profile's value."""
    value = ctx.opt(key)
    return value if value is not None else ctx.profile.get(key, default)


def client_overrides(ctx: JobContext) -> dict[str, Any]:
    """Return ``kamis.*`` job options as client overrides (``--opt kamis.max_attempts=1``)."""
    return {
        k.split(".", 1)[1]: v
        for k, v in (ctx.options or {}).items()
        if k.startswith("kamis.") and not k.startswith("kamis.scope.")
    }


def resolve(ctx: JobContext) -> str:
    """Return ``api`` or ``simulator`` for this run (``auto`` resolved by the credentials)."""
    kind = str(setting(ctx, "kamis.endpoint") or AUTO).strip().lower()
    if kind not in ENDPOINTS:
        raise KamisConfigError(
            f"kamis.endpoint must be one of {', '.join(ENDPOINTS)}, not {kind!r}"
        )
    if kind == AUTO:
        return API if real_mode_available() else SIMULATOR
    if kind == API and not real_mode_available():
        raise KamisConfigError(f"kamis.endpoint is api: set {KEY_VAR} and {ID_VAR}")
    return kind


@contextmanager
def kamis_client(ctx: JobContext) -> Iterator[KamisClient]:
    """Yield the run's client: the real API, a given simulator URL, or an in-process simulator."""
    overrides = client_overrides(ctx)
    if resolve(ctx) == API:
        yield KamisClient(ctx.profile, overrides=overrides)
        return
    url = setting(ctx, "kamis.simulator_url")
    if url:
        yield KamisClient(ctx.profile, base_url=str(url), overrides=overrides)
        return
    from spark_jobs.simulator.server import SimulatorServer

    today = setting(ctx, "kamis.simulator_today") or ctx.window.end
    if isinstance(today, str):
        today = date.fromisoformat(today)
    seed = int(setting(ctx, "kamis.simulator_seed", 20261130))
    hour = int(setting(ctx, "kamis.simulator_publication_hour_kst", 14))
    with SimulatorServer(seed=seed, today=today, publication_hour_kst=hour) as sim:
        log.info(
            "started the KAMIS simulator at %s (today %s, its prices from %02d:00 KST)",
            sim.base_url,
            today,
            hour,
        )
        yield KamisClient(ctx.profile, base_url=sim.base_url, overrides=overrides)
