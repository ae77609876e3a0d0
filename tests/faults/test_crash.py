"""scripts/fault_crash, short: kill -9 under RecordScan and Recognize load loses nothing acknowledged."""
from __future__ import annotations

from tests.faults.conftest import run_script


def test_kill_9_under_load_loses_no_acknowledged_scan(tmp_path, shared_dir):
    figures, done = run_script("fault_crash", "--kills", "3", "--max-gap", "2", "--work-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert figures["kills"] == 3 and figures["acked"] > 100 and figures["recognize_acked"] > 0
    assert figures["lost"] == 0 and figures["found"] == figures["acked"]
    assert figures["integrity"] == "ok"
    assert figures["hub_equal"] and figures["hub_missing"] == figures["hub_extra"] == figures["hub_duplicated"] == 0
    assert set(figures["client_errors"]) <= {"UNAVAILABLE"}, figures["client_errors"]
