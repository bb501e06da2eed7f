"""Memory of a process tree from /proc: the peak RSS that benchmarks and the Airflow e2e report."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable


def tree_rss_mb(roots: Iterable[int]) -> float:
    """Return the resident memory of ``roots`` and all their descendants, in MB (2**20 bytes).

    Reads every ``/proc/<pid>/stat`` once (parent pid and RSS pages); processes that end while
    it reads are skipped.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total, stack, seen = 0, list(roots), set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total / 2**20


class PeakSampler(threading.Thread):
    """Samples :func:`tree_rss_mb` of ``roots()`` every ``interval`` seconds until stopped.

    Attributes:
        peak: The largest sample so far, MB.
    """

    def __init__(self, roots: Callable[[], Iterable[int]], interval: float = 0.5):
        super().__init__(daemon=True)
        self.roots, self.interval = roots, interval
        self.peak = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Sample until :meth:`finish` is called."""
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.roots()))
            self._stop_event.wait(self.interval)

    def finish(self) -> float:
        """Stop sampling, wait for the thread and return the peak (one last sample included)."""
        self._stop_event.set()
        self.join()
        return self.peak
