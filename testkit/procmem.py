"""Memory of a process tree from /proc: the peak RSS that benchmarks and the Airflow e2e report."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable


def tree_rss_split(roots: Iterable[int]) -> dict[str, float]:
    """Return the resident memory of ``roots`` and all their descendants by program, in MB.

    Keys are ``java``, ``python`` and ``other`` (by the process's command name). Reads every
    ``/proc/<pid>/stat`` once (name, parent pid and RSS pages); processes that end while it
    reads are skipped.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, tuple[str, int]] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                head, tail = f.read().rsplit(")", 1)
            fields = tail.split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = (head.split("(", 1)[1], int(fields[21]) * page)
        except (OSError, IndexError, ValueError):
            continue
    out = {"java": 0.0, "python": 0.0, "other": 0.0}
    stack, seen = list(roots), set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        name, size = rss.get(pid, ("", 0))
        kind = "java" if name == "java" else "python" if name.startswith("python") else "other"
        out[kind] += size / 2**20
        stack.extend(children.get(pid, ()))
    return out


def tree_rss_mb(roots: Iterable[int]) -> float:
    """Return the resident memory of ``roots`` and all their descendants, in MB (2**20 bytes)."""
    return sum(tree_rss_split(roots).values())


class PeakSampler(threading.Thread):
    """Samples :func:`tree_rss_mb` of ``roots()`` every ``interval`` seconds until stopped.

    Attributes:
        peak: The largest sample so far, MB.
        peak_split: That sample by program (:func:`tree_rss_split`).
    """

    def __init__(self, roots: Callable[[], Iterable[int]], interval: float = 0.5):
        super().__init__(daemon=True)
        self.roots, self.interval = roots, interval
        self.peak = 0.0
        self.peak_split: dict[str, float] = {}
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Sample until :meth:`finish` is called."""
        while not self._stop_event.is_set():
            split = tree_rss_split(self.roots())
            if sum(split.values()) > self.peak:
                self.peak, self.peak_split = sum(split.values()), split
            self._stop_event.wait(self.interval)

    def finish(self) -> float:
        """Stop sampling, wait for the thread and return the peak of the samples taken."""
        self._stop_event.set()
        self.join()
        return self.peak
