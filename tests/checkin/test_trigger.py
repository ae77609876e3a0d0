"""The walk-up trigger: when a stream of face boxes asks for an HQ frame."""
from __future__ import annotations

from edge_node.capture.config import CaptureConfig
from edge_node.checkin.trigger import Action, FaceTrigger
from edge_node.vision.types import Box

W, H = 320, 240
CLOSE = Box(110, 60, 100, 120)  # 31 % of the frame width
FAR = Box(135, 90, 55, 66)  # 17 %: large enough, not close


def _frames(trigger: FaceTrigger, box: Box | None, count: int, start: float = 0.0) -> list[Action]:
    return [trigger.observe(box, W, H, start + i / 15) for i in range(count)]


def test_a_close_face_is_captured_after_two_steady_frames() -> None:
    assert _frames(FaceTrigger(CaptureConfig()), CLOSE, 2) == [Action.NONE, Action.CAPTURE]


def test_a_farther_face_needs_three_steady_frames() -> None:
    assert _frames(FaceTrigger(CaptureConfig()), FAR, 3) == [Action.NONE, Action.NONE, Action.CAPTURE]


def test_quick_capture_can_be_turned_off() -> None:
    trigger = FaceTrigger(CaptureConfig(quick_stable_frames=3))
    assert _frames(trigger, CLOSE, 3) == [Action.NONE, Action.NONE, Action.CAPTURE]


def test_after_a_result_the_same_face_waits_for_leaving_or_the_cooldown() -> None:
    config = CaptureConfig(cooldown_seconds=10.0, leave_frames=5)
    trigger = FaceTrigger(config)
    assert _frames(trigger, CLOSE, 2)[-1] is Action.CAPTURE
    trigger.result(True, 1.0)
    assert set(_frames(trigger, CLOSE, 30, start=1.1)) == {Action.NONE}  # stays: not captured again
    _frames(trigger, None, 5, start=3.1)  # leaves
    assert _frames(trigger, CLOSE, 2, start=3.5)[-1] is Action.CAPTURE  # the next person
