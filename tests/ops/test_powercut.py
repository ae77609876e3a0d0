"""scripts/fault_powercut, short: with the default synchronous=FULL no acknowledged scan is lost when the
plug is pulled; the old default NORMAL loses some under the same cuts (so the test can fail)."""
from __future__ import annotations

import pytest

from tests.faults.conftest import run_script

pytestmark = pytest.mark.slow


def test_power_cuts_lose_no_acknowledged_scan_with_full_sync(tmp_path) -> None:
    figures, done = run_script("fault_powercut", "--cuts", "5", "--seed", "7", "--work-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert figures["synchronous"] == "FULL" and figures["cuts"] == 5 and figures["acked"] > 50
    assert figures["lost"] == 0 and figures["integrity_ok"] is True


def test_the_old_default_normal_loses_acknowledged_scans(tmp_path) -> None:
    figures, done = run_script("fault_powercut", "--cuts", "3", "--seed", "7", "--synchronous", "NORMAL",
                               "--work-dir", str(tmp_path))
    assert done.returncode == 1, done.stderr[-3000:]
    assert figures["cuts"] == 3 and figures["acked"] > 50
    assert figures["lost"] > 0 and figures["integrity_ok"] is True
