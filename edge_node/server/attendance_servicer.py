"""AttendanceService: a thin adapter from protobuf requests to the attendance store.

Every call into the store runs on a small thread pool, never on the event loop: SQLite writes,
fsyncs and timecard computations would stall every other RPC and stream of the node.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, AsyncIterator, Callable, TypeVar

import grpc
from grpc import aio

from edge_node.common.bus import AsyncFeed
from edge_node.attendance.log import EventFilter
from edge_node.attendance.model import Employment
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.verify import verify_log
from edge_node.checkin.punch_corrections import PunchCorrections
from edge_node.common.errors import InvalidArgument
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.attendance.reports import parse_local_date
from edge_node.attendance.schedule import with_defaults
from edge_node.server.attendance_convert import (employment_from_pb, event_to_pb, event_type_from_pb, person_in_to_pb,
                                      person_to_pb, report_to_pb, review_to_pb, settings_changes_from_pb,
                                      settings_to_pb, summary_to_pb)
from edge_node.wire.schedules import schedule_from_pb, schedule_to_pb, version_to_pb
from edge_node.wire.timecards import annotate_timecards, timecard_to_pb, verify_result_to_pb
from edge_node.wire.timestamps import from_timestamp, required_timestamp
from edge_node.rpc.guard import caller_name
from edge_node.settings import SettingsManager

PERSON_MASK_FIELDS = {"display_name", "active", "employed_from", "employed_until"}
# Who a settings change is recorded as when UpdateConfig names nobody.
SETTINGS_ACTOR = "(settings)"
# How often an idle watch stream checks whether the server is closing.
WATCH_POLL_SECONDS = 0.5
# Writes serialise on the store's lock anyway: one thread runs them (scans waiting together share one
# transaction and one fsync: group commit), so a scan never waits behind a long report. Reads
# (timecards, reports, lists) get their own threads.
READ_THREADS = 2
# Punch reviews per reply: 1,000 crops of about 3 KB stay well inside server.max_message_bytes.
MAX_REVIEWS = 1000
T = TypeVar("T")


class AttendanceServicer(pb_grpc.AttendanceServiceServicer):
    def __init__(self, store: AttendanceStore, settings: SettingsManager, closing: asyncio.Event,
                 punches: PunchCorrections, template_count: Callable[[str], int] = lambda _person_id: 0) -> None:
        """`punches`: voids and moves, which take along the faces learned from the punch."""
        self._store = store
        self._punches = punches
        self._settings = settings
        self._closing = closing
        self._template_count = template_count
        self._reads = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="attendance-read")

    async def _run(self, fn: Callable[..., T], *args: Any, grouped: bool = False) -> T:
        """Run a blocking store write on the writer thread (in a shared transaction when `grouped`; such writes
        are atomic by themselves, see EventWriter.transaction)."""
        return await self._store.writes.submit_async(partial(fn, *args), grouped, atomic=grouped)

    async def _read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking store read on a reader thread."""
        return await asyncio.get_running_loop().run_in_executor(self._reads, partial(fn, *args))

    async def audit(self, actor: str, description: str) -> None:
        """Keep an admin action done through another service (an enrolment) on the chained log."""
        await self._run(self._store.corrections.admin_action, actor, description)

    def close(self) -> None:
        self._reads.shutdown(wait=False, cancel_futures=True)

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
            display_name = (await self._read(self._store.persons.get, person_id)).display_name
        active = request.person.active if "active" in paths else None
        employment = None
        if paths & {"employed_from", "employed_until"}:
            kept = await self._read(self._store.persons.find, person_id)
            employment = employment_from_pb(request.person, paths, kept.employment if kept else Employment())
        person, created = await self._run(self._store.persons.upsert, person_id, display_name, active,
                                          request.create_only, True, employment)
        return pb.UpsertPersonResponse(person=await self._read(self._person_pb, person), created=created)

    async def GetPerson(self, request: pb.GetPersonRequest, context) -> pb.GetPersonResponse:
        person = await self._read(self._store.persons.get, request.person_id)
        return pb.GetPersonResponse(person=await self._read(self._person_pb, person))

    async def ListPersons(self, request: pb.ListPersonsRequest, context) -> pb.ListPersonsResponse:
        persons, token, total = await self._read(self._store.persons.list, request.page_size, request.page_token,
                                                request.include_inactive)
        pbs = await self._read(lambda: [self._person_pb(p) for p in persons])
        return pb.ListPersonsResponse(persons=pbs, next_page_token=token, total_size=total)

    async def DeletePerson(self, request: pb.DeletePersonRequest, context) -> pb.DeletePersonResponse:
        return pb.DeletePersonResponse(templates_deleted=await self._run(self._store.persons.delete, request.person_id))

    async def RecordScan(self, request: pb.RecordScanRequest, context) -> pb.RecordScanResponse:
        result = await self._run(self._store.log.record_scan, request.person_id, request.confidence, request.camera_id,
                                 from_timestamp(request, "occurred_at"), request.liveness, grouped=True)
        return pb.RecordScanResponse(event=event_to_pb(result.event),
                                     summary=summary_to_pb(result.summary) if result.summary else None)

    async def ListEvents(self, request: pb.ListEventsRequest, context) -> pb.ListEventsResponse:
        flt = EventFilter(request.person_id, from_timestamp(request, "start_time"), from_timestamp(request, "end_time"),
                          tuple(event_type_from_pb(t) for t in request.event_types), request.anomalies_only)
        events, token = await self._read(self._store.log.list, flt, request.page_size, request.page_token)
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
        report = await self._read(self._store.reports.report, request.local_date)
        reply = report_to_pb(report)
        reply.log_verification.CopyFrom(verify_result_to_pb(
            await self._read(self._store.reports.log_state, report.local_date, report.local_date)))
        return reply

    async def GetConfig(self, request: pb.GetConfigRequest, context) -> pb.GetConfigResponse:
        return pb.GetConfigResponse(config=settings_to_pb(self._settings.current))

    async def UpdateConfig(self, request: pb.UpdateConfigRequest, context) -> pb.UpdateConfigResponse:
        changes = settings_changes_from_pb(request.config, list(request.update_mask.paths))
        effective = parse_local_date(request.effective_from, "effective_from") if request.effective_from else None
        updated = await self._run(self._settings.update, changes, caller_name() or SETTINGS_ACTOR, effective)
        return pb.UpdateConfigResponse(config=settings_to_pb(updated))

    async def AddPunch(self, request: pb.AddPunchRequest, context) -> pb.AddPunchResponse:
        at = required_timestamp(request, "occurred_at")
        event = await self._run(self._store.corrections.add_punch, request.person_id, at, request.reason,
                                caller_name())
        return pb.AddPunchResponse(event=event_to_pb(event))

    async def VoidPunch(self, request: pb.VoidPunchRequest, context) -> pb.VoidPunchResponse:
        done = await self._run(self._punches.void, request.event_id, request.reason, caller_name())
        return pb.VoidPunchResponse(event=event_to_pb(done.event), learned_templates_removed=done.faces_removed)

    async def MovePunch(self, request: pb.MovePunchRequest, context) -> pb.MovePunchResponse:
        done = await self._run(self._punches.move, request.event_id, request.to_person_id, request.reason,
                               caller_name(), from_timestamp(request, "to_time"))
        return pb.MovePunchResponse(event=event_to_pb(done.event), learned_templates_removed=done.faces_removed)

    async def GetTimecards(self, request: pb.GetTimecardsRequest, context) -> pb.GetTimecardsResponse:
        first, last = parse_local_date(request.from_date, "from_date"), parse_local_date(request.to_date, "to_date")
        reports = self._store.reports
        cards = await self._read(reports.timecards, first, last, request.person_id, request.include_unenrolled)
        reply = pb.GetTimecardsResponse(time_zone=self._store.get_rules().time_zone,
                                        timecards=[timecard_to_pb(c.person_id, c.person_name, c.days) for c in cards])
        annotate_timecards(reply, await self._read(reports.correction_notes, first, last, request.person_id),
                           await self._read(reports.log_state, first, last))
        return reply

    async def GetWhoIsIn(self, request: pb.GetWhoIsInRequest, context) -> pb.GetWhoIsInResponse:
        inside = await self._read(self._store.reports.who_is_in)
        return pb.GetWhoIsInResponse(persons=[person_in_to_pb(card.person_id, card.person_name, day)
                                              for card, day in inside])

    async def GetSchedule(self, request: pb.GetScheduleRequest, context) -> pb.GetScheduleResponse:
        schedules = self._store.schedules
        day = parse_local_date(request.at, "at") if request.at else schedules.today()
        history = schedules.history()
        return pb.GetScheduleResponse(schedule=schedule_to_pb(history.at(day)),
                                      version=version_to_pb(history.version_at(day), with_schedule=False),
                                      versions=[version_to_pb(v) for v in history.versions] if request.history else [])

    async def UpdateSchedule(self, request: pb.UpdateScheduleRequest, context) -> pb.UpdateScheduleResponse:
        schedule = schedule_from_pb(request.schedule)
        effective = parse_local_date(request.effective_from, "effective_from") if request.effective_from else None
        version = await self._run(self._store.set_schedule, schedule, caller_name(), effective)
        filled = with_defaults(version.schedule, self._store.schedules.fallback())
        return pb.UpdateScheduleResponse(schedule=schedule_to_pb(filled), version=version_to_pb(version, with_schedule=False))

    async def ErasePerson(self, request: pb.ErasePersonRequest, context) -> pb.ErasePersonResponse:
        event, erased = await self._run(self._store.corrections.erase_person, request.person_id, request.reason,
                                        caller_name())
        return pb.ErasePersonResponse(event=event_to_pb(event), events_anonymised=erased)

    async def ListPunchReviews(self, request: pb.ListPunchReviewsRequest, context) -> pb.ListPunchReviewsResponse:
        if request.event_id:
            review = await self._read(self._store.reviews.get, request.event_id)
            return pb.ListPunchReviewsResponse(reviews=[review_to_pb(review)])
        reviews = await self._read(self._store.reviews.list, from_timestamp(request, "start_time"),
                                   from_timestamp(request, "end_time"), request.include_reviewed,
                                   not request.without_crops)
        return pb.ListPunchReviewsResponse(reviews=[review_to_pb(r) for r in reviews[:MAX_REVIEWS]],
                                           truncated=len(reviews) > MAX_REVIEWS)

    async def MarkPunchReviewed(self, request: pb.MarkPunchReviewedRequest, context) -> pb.MarkPunchReviewedResponse:
        review, audit = await self._run(self._store.reviews.mark_reviewed, request.event_id, request.note,
                                        caller_name())
        return pb.MarkPunchReviewedResponse(review=review_to_pb(review), audit_event=event_to_pb(audit))

    async def VerifyLog(self, request: pb.VerifyLogRequest, context) -> pb.VerifyLogResponse:
        return verify_result_to_pb(await self._read(verify_log, self._store.tables))
