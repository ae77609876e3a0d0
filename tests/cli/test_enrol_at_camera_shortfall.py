"""Camera enrolment says what it got when its time runs out: frames taken of those needed, and why the others
were refused (it once said "no usable frames" after taking one), through `edge-node enroll --camera`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.capture.conftest import capture_node, photo_path, start_sim  # noqa: F401 - fixtures
from tests.conftest import REPO


def test_a_timed_out_camera_enrolment_says_how_many_frames_it_took(capture_node, start_sim, shared_dir: Path):
    start_sim("enrol-short", [photo_path(shared_dir, "Michelle_Kwan", 0)])  # one view: one frame, then copies of it
    done = subprocess.run([sys.executable, "-m", "edge_node", "enroll", "--camera", "enrol-short", "--person", "michelle",
                           "--name", "Michelle Kwan", "--frames", "3", "--timeout", "5", "--target", capture_node.address,
                           "--data-dir", str(capture_node.node.data_dir)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("enrol-short: 1/3  Enrolment timed out"), done.stdout
    assert "1 of 3 frames taken" in last and "the same as a frame already taken" in last, last
    assert "no usable frames" not in done.stdout
