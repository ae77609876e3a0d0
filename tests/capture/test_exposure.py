"""The face exposure controller: band, hysteresis, limits, reset, and the loop through the
simulator's exposure model on a real face found by the real detector."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_node.camera_sim.exposure_model import applied, expose, expose_jpeg, exposure_factor
from edge_node.camera_sim.playlist import letterbox
from edge_node.vision.detector_pool import DetectorPool
from edge_node.capture.exposure import (
    LADDER,
    NEUTRAL,
    ExposureConfig,
    ExposureController,
    ExposureSettings,
    face_luma,
)
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from edge_node.vision.backend import BackendConfig
from tests.conftest import wait_until

CONFIG = ExposureConfig()


def controls(settings: ExposureSettings) -> pb.CameraControls:
    """What the box sends for these settings (CameraCommands.set_exposure builds the same message)."""
    return pb.CameraControls(ae_level=settings.ae_level, aec_value=settings.aec_value,
                             gain_ceiling=settings.gain_ceiling, brightness=settings.brightness)


def test_ladder_runs_dark_to_bright_within_sensor_ranges() -> None:
    factors = [exposure_factor(controls(s), 1.0) + s.brightness / 10 for s in LADDER]
    assert factors == sorted(factors) and len(set(factors)) == len(factors)
    assert LADDER[NEUTRAL] == ExposureSettings()
    with pytest.raises(ValueError, match="aec_value"):
        ExposureSettings(aec_value=1300)
    with pytest.raises(ValueError, match="band"):
        ExposureConfig(low=180, high=120)


def test_in_band_faces_change_nothing_and_one_outlier_is_ignored() -> None:
    control = ExposureController()
    assert [control.observe(v) for v in (120, 96, 169, 140)] == [None] * 4
    assert control.observe(60) is None  # one dark frame: not confirmed
    assert control.observe(130) is None and control.observe(60) is None
    assert control.settings == ExposureSettings()


def test_dark_face_steps_up_after_confirmation_then_settles() -> None:
    control = ExposureController()
    assert control.observe(70) is None
    assert control.observe(70) == LADDER[NEUTRAL + 1]
    # The sensor needs a frame or two: the next settle_frames frames are not judged.
    assert [control.observe(70) for _ in range(CONFIG.settle_frames)] == [None] * CONFIG.settle_frames
    control.observe(20)
    assert control.observe(20) == LADDER[NEUTRAL + 3]  # far below the band: two steps


def test_limits_hold_at_the_ends_of_the_ladder() -> None:
    control = ExposureController()
    for _ in range(60):
        control.observe(5.0)
    assert control.settings == LADDER[-1]
    for _ in range(60):
        control.observe(250.0)
    assert control.settings == LADDER[0]


def test_no_face_returns_to_neutral_once() -> None:
    control = ExposureController()
    control.observe(40)
    control.observe(40)
    assert control.settings != ExposureSettings()
    sent = [control.observe(None) for _ in range(CONFIG.reset_after_frames + 5)]
    assert [s for s in sent if s is not None] == [ExposureSettings()]
    assert sent[CONFIG.reset_after_frames - 1] == ExposureSettings()


def test_the_camera_clamps_what_it_is_sent_to_the_sensor_ranges() -> None:
    message = pb.CameraControls.FromString(controls(LADDER[-1]).SerializeToString())
    assert applied(message) == message
    wild = pb.CameraControls(ae_level=9, aec_value=5000, gain_ceiling=12, brightness=-9)
    assert applied(wild) == pb.CameraControls(ae_level=2, aec_value=1200, gain_ceiling=6, brightness=-2)


def test_simulator_model_darkens_and_brightens() -> None:
    grey = np.full((8, 8, 3), 100, np.uint8)
    assert expose(grey, pb.CameraControls(), 1.0) is grey
    assert expose(grey, pb.CameraControls(), 0.35).mean() == pytest.approx(35, abs=1)
    assert expose(grey, pb.CameraControls(ae_level=2), 0.5).mean() == pytest.approx(100, abs=1)
    assert expose(grey, pb.CameraControls(brightness=-2), 1.0).mean() == pytest.approx(76, abs=1)
    jpeg = cv2.imencode(".jpg", grey)[1].tobytes()
    assert expose_jpeg(jpeg, pb.CameraControls(), 1.0) is jpeg


@pytest.mark.parametrize("face_light", [0.35, 1.6])  # against a window; under a spotlight
def test_badly_lit_face_is_brought_into_range_within_a_few_frames(shared_dir: Path, face_light: float) -> None:
    """A QVGA stream of a real face under bad light: detect, measure, steer, re-render, repeat."""
    photo = sorted((shared_dir / "data" / "faces" / "Matt_Damon").glob("*.jpg"))[1]
    scene = letterbox(cv2.imread(str(photo)))
    detector = DetectorPool(shared_dir / "models", 1, BackendConfig())
    control, camera, lumas = ExposureController(), ExposureSettings(), []
    for _ in range(20):
        frame = expose(scene, controls(camera), face_light)
        faces = detector.detect(frame)
        box = faces[0].box if faces else None
        luma = face_luma(frame, (box.x, box.y, box.width, box.height)) if box else None
        lumas.append(luma)
        update = control.observe(luma)
        if update is not None:
            camera = update  # the camera applies it before its next frame
    first_good = next(i for i, v in enumerate(lumas) if v is not None and CONFIG.low <= v <= CONFIG.high)
    assert lumas[0] is None or not CONFIG.low <= lumas[0] <= CONFIG.high, lumas
    assert first_good <= 10, lumas
    assert all(v is not None and CONFIG.low <= v <= CONFIG.high for v in lumas[first_good:]), lumas


def test_the_live_node_brings_a_dark_camera_into_range(capture_node, start_sim, shared_dir: Path) -> None:
    """Through the real ingest and check-in flow: the node sends CameraControls until the simulated
    camera's face, against a bright window (0.35x light), is well exposed."""
    sim = start_sim("window-cam", [shared_dir / "data" / "faces" / "Hans_Blix" / sorted(
        p.name for p in (shared_dir / "data" / "faces" / "Hans_Blix").glob("*.jpg"))[1]], face_light=0.35, fps=10)
    assert wait_until(lambda: sim.sim.exposure != pb.CameraControls(), 10), "the box sent no CameraControls"
    scene = letterbox(cv2.imread(str(sorted((shared_dir / "data" / "faces" / "Hans_Blix").glob("*.jpg"))[1])))
    detector = DetectorPool(shared_dir / "models", 1, BackendConfig())

    def exposed_luma() -> float:
        frame = expose(scene, sim.sim.exposure, 0.35)
        box = detector.detect(frame)[0].box
        return face_luma(frame, (box.x, box.y, box.width, box.height))

    assert wait_until(lambda: CONFIG.low <= exposed_luma() <= CONFIG.high, 15), (sim.sim.exposure, exposed_luma())
