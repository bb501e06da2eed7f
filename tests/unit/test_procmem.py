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


def test_tree_rss_counts_a_child_and_the_sampler_keeps_its_peak() -> None:
    me = os.getpid()
    alone = tree_rss_mb([me])
    assert alone > 10  # this Python process itself
    sampler = PeakSampler(lambda: [me], interval=0.05)
    sampler.start()
    child = subprocess.Popen([sys.executable, "-c", HOLD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        with_child = tree_rss_mb([me])
        assert with_child - alone >= 180, (alone, with_child)
        assert tree_rss_mb([child.pid]) >= 200
        split = tree_rss_split([child.pid])
        assert split["python"] >= 200 and split["java"] == 0 and split["other"] == 0, split
        time.sleep(0.3)
    finally:
        child.kill()
        child.wait()
    peak = sampler.finish()
    assert peak >= alone + 180
    assert sampler.peak_split["python"] >= alone + 180
    assert sum(sampler.peak_split.values()) == peak
    assert tree_rss_mb([me]) < peak  # the child is gone; the peak stays
    assert tree_rss_mb([2**22 + 12345]) == 0  # no such process
