"""The crash trials' kill helper reports a kill only when the kill is what ended the process."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from tests.reliability import lakecheck as lc


def test_a_process_that_ends_before_the_delay_is_not_reported_killed(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "print('MARK', flush=True)"]
    run = lc.run_pipeline(cmd, {}, tmp_path / "out.log", kill_on="MARK", delay_s=0.5)
    assert run.returncode == 0
    assert run.killed_after is None
    assert "MARK" in run.text()


def test_a_process_still_running_at_the_delay_is_killed(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "import time; print('MARK', flush=True); time.sleep(30)"]
    run = lc.run_pipeline(cmd, {}, tmp_path / "out.log", kill_on="MARK", delay_s=0.2)
    assert run.returncode == -signal.SIGKILL
    assert run.killed_after == 0.2
    assert run.seconds < 20
