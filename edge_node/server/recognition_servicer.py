"""RecognitionService: a thin adapter; model work runs on a worker pool, off the event loop."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import AsyncIterator, Awaitable, Callable, TypeVar

from edge_node.common.errors import Unavailable
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc
from edge_node.checkin.camera_enrolment import DONE
from edge_node.checkin.flow import CheckInFlow
from edge_node.recognition.engine import EnrollRequest, RecognitionEngine
from edge_node.recognition.templates import PHOTO
from edge_node.rpc.guard import caller_name
from edge_node.server.recognition_convert import enroll_to_pb, enrolment_progress_to_pb, recognize_to_pb, template_to_pb

T = TypeVar("T")
# Keeps an admin action on the chained log: (actor, description), awaited off the event loop.
Audit = Callable[[str, str], Awaitable[object]]
# How long one wait for enrolment progress blocks a thread before the stream checks again.
_PROGRESS_POLL_S = 0.5


class RecognitionServicer(pb_grpc.RecognitionServiceServicer):
    def __init__(self, engine: RecognitionEngine | None, checkin: CheckInFlow | None, unavailable_reason: str,
                 workers: int, audit: Audit) -> None:
        """`audit` keeps each enrolment on the chained log, under the name of the caller's token."""
        self._engine = engine
        self._audit = audit
        self._checkin = checkin
        self._reason = unavailable_reason
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="recognition")

    async def _run(self, call: Callable[[RecognitionEngine], T]) -> T:
        if self._engine is None:
            raise Unavailable(f"recognition is not running on this node: {self._reason}")
        return await asyncio.get_running_loop().run_in_executor(self._executor, partial(call, self._engine))

    async def Enroll(self, request: pb.EnrollRequest, context) -> pb.EnrollResponse:
        how = EnrollRequest(PHOTO, list(request.sources), request.allow_duplicate, request.override_reason.strip(),
                            caller_name())
        outcome = await self._run(lambda e: e.enroll(request.person_id, list(request.images), how))
        added = sum(1 for item in outcome.items if item.template_id)
        if added:
            await self._audit(caller_name(), f"enrolled {added} face template(s) of {request.person_id!r}")
        return enroll_to_pb(outcome)

    async def Recognize(self, request: pb.RecognizeRequest, context) -> pb.RecognizeResponse:
        frames = list(request.extra_frames)
        if request.record and self._checkin is not None:
            checkin = self._checkin
            done = await self._run(lambda _: checkin.check_in(request.image, frames, request.camera_id, request.top_k))
            return recognize_to_pb(done.recognition, done.scan)
        outcome = await self._run(lambda e: e.recognize(request.image, frames, request.top_k))
        return recognize_to_pb(outcome, None)

    async def ListTemplates(self, request: pb.ListTemplatesRequest, context) -> pb.ListTemplatesResponse:
        records = await self._run(lambda e: e.list_templates(request.person_id))
        return pb.ListTemplatesResponse(templates=[template_to_pb(r) for r in records])

    async def DeleteTemplates(self, request: pb.DeleteTemplatesRequest, context) -> pb.DeleteTemplatesResponse:
        deleted = await self._run(lambda e: e.delete_templates(request.person_id, list(request.template_ids)))
        return pb.DeleteTemplatesResponse(deleted=deleted)

    async def EnrollFromCamera(self, request: pb.EnrollFromCameraRequest,
                               context) -> AsyncIterator[pb.EnrollFromCameraResponse]:
        if self._checkin is None:
            raise Unavailable(f"recognition is not running on this node: {self._reason}")
        checkin = self._checkin
        enrolment = await asyncio.to_thread(checkin.enrolments.start, request.camera_id, request.person_id,
                                            request.frames, request.timeout_seconds, request.allow_duplicate,
                                            request.override_reason.strip(), caller_name())
        seen = 0
        actor = caller_name()
        try:
            while True:
                updates = await asyncio.to_thread(checkin.enrolments.updates, enrolment, seen, _PROGRESS_POLL_S)
                seen += len(updates)
                for progress in updates:
                    if progress.state == DONE:
                        await self._audit(actor, f"enrolled {progress.accepted} face template(s) of "
                                                 f"{request.person_id!r} at camera {request.camera_id!r}")
                    yield enrolment_progress_to_pb(progress)
                if updates and updates[-1].final:
                    return
        finally:
            checkin.enrolments.cancel(enrolment)  # a no-op once it ended; else the admin went away

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
