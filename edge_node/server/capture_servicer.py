"""CaptureService over gRPC: the camera protocol (Hello, PushFrame; frames signed with the link key) and
the admin RPCs; a thin adapter over the node's capture system, blocking work in threads off the event loop."""
from __future__ import annotations

import asyncio
from typing import Callable, TypeVar

import grpc

from edge_node.capture.protocol_errors import PermissionDenied, Unauthenticated
from edge_node.capture.system import CaptureSystem
from edge_node.capture.stream_settings import StreamSettings
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from edge_node.gen.edge.capture.v1 import capture_pb2_grpc as pb_grpc
from edge_node.server.capture_convert import camera_to_pb, frame_size_of
from edge_node.wire.timestamps import to_timestamp
T = TypeVar("T")


class CaptureServicer(pb_grpc.CaptureServiceServicer):
    def __init__(self, capture: CaptureSystem) -> None:
        self._protocol = capture.protocol
        self._admin = capture.admin

    async def _run(self, context: grpc.aio.ServicerContext, call: Callable[[], T]) -> T:
        try:
            return await asyncio.to_thread(call)
        except Unauthenticated as exc:
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, str(exc))
        except PermissionDenied as exc:
            await context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
        raise AssertionError("unreachable")

    async def Hello(self, request: pb.HelloRequest, context) -> pb.HelloResponse:
        peer = context.peer()  # e.g. "ipv4:10.0.0.7:53211"
        address = peer.split(":", 1)[-1].rpartition(":")[0] if ":" in peer else peer
        return await self._run(context, lambda: self._protocol.hello(request, address))

    async def PushFrame(self, request: pb.PushFrameRequest, context) -> pb.PushFrameResponse:
        return await self._run(context, lambda: self._protocol.push_frame(request))

    async def ListCameras(self, request: pb.ListCamerasRequest, context) -> pb.ListCamerasResponse:
        return pb.ListCamerasResponse(cameras=[camera_to_pb(c) for c in self._admin.cameras()])

    async def ApproveCamera(self, request: pb.ApproveCameraRequest, context) -> pb.ApproveCameraResponse:
        status = await self._run(context, lambda: self._admin.approve(request.camera_id, request.pairing_code))
        return pb.ApproveCameraResponse(camera=camera_to_pb(status))

    async def RemoveCamera(self, request: pb.RemoveCameraRequest, context) -> pb.RemoveCameraResponse:
        await self._run(context, lambda: self._admin.remove(request.camera_id))
        return pb.RemoveCameraResponse()

    async def GetSnapshot(self, request: pb.GetSnapshotRequest, context) -> pb.GetSnapshotResponse:
        self._admin.camera(request.camera_id)
        frame = self._admin.latest_frame(request.camera_id)
        if frame is None:
            await context.abort(grpc.StatusCode.NOT_FOUND,
                                f"camera {request.camera_id!r} has sent no frame yet; check ListCameras")
        return pb.GetSnapshotResponse(jpeg=frame.jpeg, captured_at=to_timestamp(frame.captured_at),
                                      frame_size=frame_size_of(frame.width, frame.height),
                                      width=frame.width, height=frame.height)

    async def RequestCapture(self, request: pb.RequestCaptureRequest, context) -> pb.RequestCaptureResponse:
        command_id = self._admin.request_capture(request.camera_id, request.frame_size)
        return pb.RequestCaptureResponse(command_id=command_id)

    async def UpdateStreamSettings(self, request: pb.UpdateStreamSettingsRequest,
                                   context) -> pb.UpdateStreamSettingsResponse:
        settings = StreamSettings.from_pb(request.settings)
        status, command_id = await self._run(
            context, lambda: self._admin.update_stream_settings(request.camera_id, settings))
        return pb.UpdateStreamSettingsResponse(camera=camera_to_pb(status), command_id=command_id)

    async def AddSource(self, request: pb.AddSourceRequest, context) -> pb.AddSourceResponse:
        status = await self._run(context, lambda: self._admin.add_source(request.camera_id, request.url))
        return pb.AddSourceResponse(camera=camera_to_pb(status))
