"""Camera load: `edge-node camera-sim` as a child process streaming face photos to a node's camera ingest."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

import grpc

from edge_node.gen.edge.capture.v1 import capture_pb2, capture_pb2_grpc


class CameraSim:
    """A simulated ESP32-CAM showing `photos` in turn (kept across node restarts: it says Hello again with its stored link key)."""

    def __init__(self, work: Path, box: str, camera_id: str, photos: Sequence[Path], prefix: Sequence[str] = ()) -> None:
        folder = work / f"{camera_id}-images"
        folder.mkdir(parents=True, exist_ok=True)
        for path in photos:
            shutil.copy(path, folder / path.name)
        self.camera_id = camera_id
        self.log_path = work / f"{camera_id}.log"
        argv = [*prefix, sys.executable, "-m", "edge_node", "camera-sim", "--images", str(folder), "--box", box,
                "--camera-id", camera_id, "--hold", "1.5", "--gap", "0.5", "--state", str(work / f"{camera_id}.json")]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def approve(channel: grpc.Channel, auth: tuple, camera_id: str, timeout: float = 20.0) -> capture_pb2.Camera:
    """Wait for `camera_id` to say Hello, then approve it; the camera as approved."""
    stub = capture_pb2_grpc.CaptureServiceStub(channel)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cameras = stub.ListCameras(capture_pb2.ListCamerasRequest(), metadata=auth, timeout=5).cameras
        if any(c.camera_id == camera_id for c in cameras):
            return stub.ApproveCamera(capture_pb2.ApproveCameraRequest(camera_id=camera_id), metadata=auth,
                                      timeout=5).camera
        time.sleep(0.1)
    raise TimeoutError(f"camera {camera_id} did not say Hello within {timeout} s")
