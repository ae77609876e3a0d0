"""AttendanceService: a thin adapter from protobuf requests to the attendance store."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator, Callable

import grpc
from grpc import aio

from edge_node.common.bus import AsyncFeed
from edge_node.attendance.log import EventFilter
from edge_node.attendance.store import AttendanceStore
from edge_node.common.errors import InvalidArgument
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.server.convert import (event_to_pb, event_type_from_pb, from_timestamp, person_to_pb, report_to_pb,
                                      settings_changes_from_pb, settings_to_pb, summary_to_pb)
from edge_node.settings import SettingsManager

PERSON_MASK_FIELDS = {"display_name", "active"}
# How often an idle watch stream checks whether the server is closing.
WATCH_POLL_SECONDS = 0.5


class AttendanceServicer(pb_grpc.AttendanceServiceServicer):
    def __init__(self, store: AttendanceStore, settings: SettingsManager, closing: asyncio.Event,
                 template_count: Callable[[str], int] = lambda _person_id: 0) -> None:
        self._store = store
        self._settings = settings
        self._closing = closing
        self._template_count = template_count

    def _person_pb(self, person) -> pb.Person:
        return person_to_pb(person, self._template_count(person.person_id))

    async def UpsertPerson(self, request: pb.UpsertPersonRequest, context) -> pb.UpsertPersonResponse:
        paths = set(request.update_mask.paths)
        if paths - PERSON_MASK_FIELDS:
            raise InvalidArgument(f"update_mask may only name {sorted(PERSON_MASK_FIELDS)} (got {sorted(paths)})")
        person_id = request.person.person_id
        if not paths or "display_name" in paths:
            display_name = request.person.display_name
        else:
            display_name = self._store.persons.get(person_id).display_name
        active = request.person.active if "active" in paths else None
        person, created = self._store.persons.upsert(person_id, display_name, active, request.create_only)
        return pb.UpsertPersonResponse(person=self._person_pb(person), created=created)

    async def GetPerson(self, request: pb.GetPersonRequest, context) -> pb.GetPersonResponse:
        return pb.GetPersonResponse(person=self._person_pb(self._store.persons.get(request.person_id)))

    async def ListPersons(self, request: pb.ListPersonsRequest, context) -> pb.ListPersonsResponse:
        persons, token, total = self._store.persons.list(request.page_size, request.page_token, request.include_inactive)
        return pb.ListPersonsResponse(persons=[self._person_pb(p) for p in persons], next_page_token=token, total_size=total)

    async def DeletePerson(self, request: pb.DeletePersonRequest, context) -> pb.DeletePersonResponse:
        return pb.DeletePersonResponse(templates_deleted=self._store.persons.delete(request.person_id))

    async def RecordScan(self, request: pb.RecordScanRequest, context) -> pb.RecordScanResponse:
        result = self._store.log.record_scan(request.person_id, request.confidence, request.camera_id,
                                             from_timestamp(request, "occurred_at"))
        return pb.RecordScanResponse(event=event_to_pb(result.event),
                                     summary=summary_to_pb(result.summary) if result.summary else None)

    async def ListEvents(self, request: pb.ListEventsRequest, context) -> pb.ListEventsResponse:
        flt = EventFilter(request.person_id, from_timestamp(request, "start_time"), from_timestamp(request, "end_time"),
                          tuple(event_type_from_pb(t) for t in request.event_types), request.anomalies_only)
        events, token = self._store.log.list(flt, request.page_size, request.page_token)
        return pb.ListEventsResponse(events=[event_to_pb(e) for e in events], next_page_token=token)

    async def WatchEvents(self, request: pb.WatchEventsRequest, context: aio.ServicerContext) -> AsyncIterator[pb.WatchEventsResponse]:
        types = {event_type_from_pb(t) for t in request.event_types}
        feed: AsyncFeed = AsyncFeed(asyncio.get_running_loop())
        self._store.events.subscribe(feed)
        try:
            while not self._closing.is_set():
                event = await feed.get(timeout=WATCH_POLL_SECONDS)
                if feed.overflowed:
                    await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED,
                                        "the watcher fell behind; reconnect and use ListEvents to catch up")
                if event is None or (request.person_id and event.person_id != request.person_id) or (types and event.event_type not in types):
                    continue
                yield pb.WatchEventsResponse(event=event_to_pb(event))
        finally:
            self._store.events.unsubscribe(feed)

    async def GetDailyReport(self, request: pb.GetDailyReportRequest, context) -> pb.GetDailyReportResponse:
        return report_to_pb(self._store.reports.report(request.local_date))

    async def GetConfig(self, request: pb.GetConfigRequest, context) -> pb.GetConfigResponse:
        return pb.GetConfigResponse(config=settings_to_pb(self._settings.current))

    async def UpdateConfig(self, request: pb.UpdateConfigRequest, context) -> pb.UpdateConfigResponse:
        changes = settings_changes_from_pb(request.config, list(request.update_mask.paths))
        return pb.UpdateConfigResponse(config=settings_to_pb(self._settings.update(changes)))
