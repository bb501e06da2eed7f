"""testkit.procmem: a process tree's RSS counts its children; the sampler keeps the peak."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from testkit.procmem import PeakSampler, tree_rss_mb, tree_rss_split

# a child that holds 200 MB (touched, so resident), says so, and waits
HOLD = (
    "import sys, time\n"
    "b = bytearray(200 * 2**20)\n"
    "b[:: 4096] = b'x' * len(b[:: 4096])\n"
    "print('ready', flush=True)\n"
    "time.sleep(30)\n"
)


# a parent that starts HOLD as its own child, says the child's pid once it is ready, and waits
PARENT = (
    "import subprocess, sys, time\n"
    f"c = subprocess.Popen([sys.executable, '-c', {HOLD!r}], stdout=subprocess.PIPE, text=True)\n"
    "print(c.pid, c.stdout.readline().strip(), flush=True)\n"
    "time.sleep(30)\n"
)


def test_tree_rss_counts_a_child_and_the_sampler_keeps_its_peak() -> None:
    # The tree measured is a parent and child of our own, not this test process: under a full
    # suite this process also has service children whose RSS moves while the test runs.
    assert tree_rss_mb([os.getpid()]) > 10  # this Python process itself
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    sampler = PeakSampler(lambda: [parent.pid], interval=0.05)
    sampler.start()
    child_pid = 0
    try:
        assert parent.stdout is not None
        pid, ready = parent.stdout.readline().split()
        assert ready == "ready"
        child_pid = int(pid)
        child = tree_rss_mb([child_pid])
        assert child >= 200
        whole = tree_rss_mb([parent.pid])
        assert whole - child >= 5, (whole, child)  # the parent's own interpreter is counted too
        split = tree_rss_split([child_pid])
        assert split["python"] >= 200 and split["java"] == 0 and split["other"] == 0, split
        time.sleep(0.3)
    finally:
        if child_pid:
            os.kill(child_pid, 9)
        parent.kill()
        parent.wait()
    peak = sampler.finish()
    assert peak >= 200 + 5
    assert sampler.peak_split["python"] >= 200 + 5
    assert sum(sampler.peak_split.values()) == peak
    assert tree_rss_mb([parent.pid]) == 0 < peak  # the tree is gone; the peak stays
    assert tree_rss_mb([2**22 + 12345]) == 0  # no such process
