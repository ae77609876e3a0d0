"""scripts/soak, short (1 minute): camera, scans, recognition and sync; memory, fds and threads stay flat."""
from __future__ import annotations

from tests.faults.conftest import run_script


def test_one_minute_soak_keeps_memory_fds_and_threads_flat(tmp_path, shared_dir):
    figures, done = run_script("soak", "--minutes", "1", "--work-dir", str(tmp_path))
    assert done.returncode == 0, figures.get("problems") or done.stderr[-3000:]
    assert figures["problems"] == [] and figures["synced_to_hub"]
    assert figures["scans"] > 500 and figures["recognitions"] > 50 and figures["samples"] >= 50
    assert figures["rss_growth_pct"] <= 10
    assert figures["fds_end"] <= figures["fds_after_warmup"] + 4
    assert figures["threads_end"] <= figures["threads_after_warmup"] + 4
