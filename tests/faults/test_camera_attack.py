"""scripts/fault_camera_attack, short: a LAN host sniffs the camera link and floods, replays and forges (network
namespace). The 10-minute flood of issue #21 is the same script with its default --flood 600."""
from __future__ import annotations

import pytest

from tools.faults.netns import unavailable_reason
from tests.faults.conftest import run_script


def test_a_lan_attacker_neither_learns_a_key_nor_disconnects_the_camera_nor_gets_a_replay_accepted(tmp_path):
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"network namespaces cannot be made here: {reason}")
    figures, done = run_script("fault_camera_attack", "--flood", "20", "--work-dir", str(tmp_path))
    assert done.returncode == 0, figures.get("problems") or done.stderr[-3000:]
    assert figures["problems"] == [] and figures["keys_in_capture"] == 0 and figures["keys_looked_for"] >= 3
    assert figures["pairing_exchange_captured"] and figures["attacker_hellos"] > 100
    assert figures["camera_key_kept"] and figures["longest_frame_gap_s"] <= 5.0 and figures["frames_during_flood"] > 20
    assert figures["replayed_frames_sent"] > 0 and figures["replayed_frames_accepted"] == 0
    assert figures["forged_frames_accepted"] == 0 and figures["replayed_replies_accepted"] == 0
    assert figures["genuine_replies_verified"] > 0
    answers = figures["attacker_answers"]
    assert answers.get("forged_mac:unauthenticated", 0) > 0 and answers.get("replayed:CAMERA_STATE_PAIRED", 0) > 0
