"""UpdateStreamSettings: an admin changes how a push camera streams; the camera hears it and the box keeps it."""
from __future__ import annotations

import zlib
from pathlib import Path

import cv2
import grpc
import numpy as np
import pytest

from edge_node.camera_sim.connect import ConnectClient
from edge_node.capture.registry import CameraRegistry
from edge_node.capture.stream_settings import StreamSettings
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from tests.capture.link_camera import LinkCamera
from tests.capture.test_ingest import listed, paired
from tests.conftest import wait_until

FRAME = cv2.imencode(".jpg", np.zeros((240, 320, 3), np.uint8))[1].tobytes()  # a blank QVGA frame
SLOW_VGA = pb.StreamSettings(frame_size=pb.FRAME_SIZE_VGA, fps=2, jpeg_quality=20)


def update(capture_node, camera_id: str, settings: pb.StreamSettings) -> pb.UpdateStreamSettingsResponse:
    return capture_node.capture.UpdateStreamSettings(
        pb.UpdateStreamSettingsRequest(camera_id=camera_id, settings=settings), metadata=capture_node.auth)


def test_settings_reach_a_paired_camera_and_outlive_a_restart(capture_node) -> None:
    client = ConnectClient(*capture_node.ingest)
    camera = paired(capture_node, client, "cam-settings")
    assert listed(capture_node, "cam-settings").stream_settings == pb.StreamSettings(
        frame_size=pb.FRAME_SIZE_QVGA, fps=10, jpeg_quality=12)  # the [capture] defaults

    reply = update(capture_node, "cam-settings", SLOW_VGA)
    assert reply.command_id > 0 and reply.camera.stream_settings == SLOW_VGA
    commands = camera.push(FRAME).commands
    assert [(c.command_id, c.stream_settings) for c in commands if c.HasField("stream_settings")] == [
        (reply.command_id, SLOW_VGA)]
    assert camera.hello().settings == SLOW_VGA  # after a camera reboot

    store = capture_node.node.store  # after a box restart: a fresh registry reads them back
    assert CameraRegistry(store.tables, store.clock).get("cam-settings").stream_settings == \
        StreamSettings("VGA", 2, 20)


def test_a_pending_camera_gets_its_settings_with_the_hello_that_pairs_it(capture_node) -> None:
    camera = LinkCamera(ConnectClient(*capture_node.ingest), "cam-early")
    code = camera.ask_to_pair()
    assert update(capture_node, "cam-early", SLOW_VGA).command_id == 0
    capture_node.node.capture.admin.approve("cam-early", code)
    reply = camera.hello()
    assert camera.outcome == "PAIRED" and reply.settings == SLOW_VGA


@pytest.mark.parametrize("settings, message", [
    (pb.StreamSettings(fps=5, jpeg_quality=12), "settings.frame_size must be one of QVGA"),
    (pb.StreamSettings(frame_size=pb.FRAME_SIZE_QVGA, fps=0, jpeg_quality=12), "settings.fps must be between 1 and 30"),
    (pb.StreamSettings(frame_size=pb.FRAME_SIZE_QVGA, fps=31, jpeg_quality=12), "settings.fps"),
    (pb.StreamSettings(frame_size=pb.FRAME_SIZE_QVGA, fps=5, jpeg_quality=3), "settings.jpeg_quality"),
    (pb.StreamSettings(frame_size=99, fps=5, jpeg_quality=12), "settings.frame_size"),
])
def test_bad_settings_are_refused_and_the_old_ones_stay(capture_node, settings, message) -> None:
    camera_id = f"cam-bad-{zlib.crc32(settings.SerializeToString())}"
    paired(capture_node, ConnectClient(*capture_node.ingest), camera_id)
    update(capture_node, camera_id, SLOW_VGA)
    with pytest.raises(grpc.RpcError) as caught:
        update(capture_node, camera_id, settings)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT and message in caught.value.details()
    assert listed(capture_node, camera_id).stream_settings == SLOW_VGA


def test_unknown_cameras_and_pull_sources_are_refused(capture_node, tmp_path: Path) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        update(capture_node, "nobody", SLOW_VGA)
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    capture_node.capture.AddSource(pb.AddSourceRequest(camera_id="folder-cam", url=f"folder:{tmp_path}"),
                                   metadata=capture_node.auth)
    with pytest.raises(grpc.RpcError) as caught:
        update(capture_node, "folder-cam", SLOW_VGA)
    assert caught.value.code() is grpc.StatusCode.FAILED_PRECONDITION and "pull_fps" in caught.value.details()
    assert not listed(capture_node, "folder-cam").HasField("stream_settings")


def test_the_simulated_camera_slows_down_when_told(capture_node, start_sim, shared_dir: Path) -> None:
    start_sim("cam-sim-fps", sorted((shared_dir / "data" / "noface").glob("*.jpg"))[:2])
    assert wait_until(lambda: listed(capture_node, "cam-sim-fps").fps >= 7, timeout=10)  # the default 10 fps
    update(capture_node, "cam-sim-fps", SLOW_VGA)
    assert wait_until(lambda: listed(capture_node, "cam-sim-fps").fps <= 3, timeout=15)
