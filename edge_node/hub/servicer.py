"""SyncService on the hub: node RPCs authenticated by node token, admin RPCs (admin token checked by the
GuardInterceptor); database work runs on a fixed pool of threads, one connection each."""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from typing import Any, Callable, Sequence

import grpc
import peewee as pw
from grpc import aio

from edge_node.attendance.reports import parse_local_date
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.verify import VerifyResult
from edge_node.common.validation import check_person_id
from edge_node.common.errors import InvalidArgument, Unavailable
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from edge_node.hub import row_messages as convert
from edge_node.hub.hub import Hub
from edge_node.hub.log_state import site_log_state
from edge_node.hub.nodes import Unauthenticated, check_node_id
from edge_node.hub.timecards import SiteTimecards, site_timecards
from edge_node.hub.validation import MAX_SEQ, event_rows, fallback_pay, schedule_versions
from edge_node.wire.timecards import mark_log_state, timecard_to_pb, verify_result_to_pb
MAX_ROSTER_PAGE = 1000
DEFAULT_ROSTER_PAGE = 200
MAX_SITE_PAGE = 5000
DEFAULT_SITE_PAGE = 1000


def now_us() -> int:
    return time.time_ns() // 1000


class SyncServicer(pb_grpc.SyncServiceServicer):
    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._pool = ThreadPoolExecutor(hub.config.db_threads, thread_name_prefix="hub-db")

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    async def _db(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run `fn` on a database thread; a lost connection is dropped (reopened next time) and is UNAVAILABLE."""
        def call() -> Any:
            try:
                return fn(*args)
            except (pw.OperationalError, pw.InterfaceError) as exc:
                self._hub.tables.db.close()
                raise Unavailable(f"the hub's database is unavailable ({exc}); retry later") from None
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    async def _as_node(self, node_id: str, context: aio.ServicerContext, fn: Callable[[], Any],
                       installation_id: str | None = None) -> Any:
        """Authenticate the node's token (and, for pushes, its installation), then run `fn` in the same
        database thread call."""
        token = _bearer(context)

        def call() -> Any:
            self._hub.nodes.authenticate(node_id, token)
            if installation_id is not None:
                self._hub.nodes.bind_installation(node_id, installation_id)
            return fn()
        try:
            return await self._db(call)
        except Unauthenticated as exc:
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, str(exc))

    async def PushEvents(self, request: pb.PushEventsRequest, context) -> pb.PushEventsResponse:
        def push() -> Any:
            received = now_us()
            rows = event_rows(request.node_id, request, self._hub.config.max_batch_events, received)
            return self._hub.events.push(request.node_id, request.after_seq, rows, request.queue_depth,
                                         request.lag_seconds, received)
        result = await self._as_node(request.node_id, context, push, request.installation_id)
        return pb.PushEventsResponse(acked_seq=result.acked_seq, stored=result.stored, duplicates=result.duplicates)

    async def PushRoster(self, request: pb.PushRosterRequest, context) -> pb.PushRosterResponse:
        outcome = await self._as_node(request.node_id, context, lambda: self._hub.roster.push(
            request.node_id, request.after_seq, list(request.changes), now_us()), request.installation_id)
        return pb.PushRosterResponse(acked_seq=outcome.acked_seq, applied=outcome.applied, ignored=outcome.ignored)

    async def PullRoster(self, request: pb.PullRosterRequest, context) -> pb.PullRosterResponse:
        size = request.page_size or DEFAULT_ROSTER_PAGE
        if not 1 <= size <= MAX_ROSTER_PAGE:
            raise InvalidArgument(f"page_size must be between 1 and {MAX_ROSTER_PAGE}, or 0 for {DEFAULT_ROSTER_PAGE}")
        if request.since_version > MAX_SEQ:
            raise InvalidArgument(f"since_version {request.since_version} is above the largest version {MAX_SEQ}")
        changes, more, latest = await self._as_node(request.node_id, context, lambda: self._hub.roster.changes_since(
            request.node_id, request.since_version, size, now_us()))
        return pb.PullRosterResponse(changes=changes, more=more, latest_version=latest)

    async def PushSchedules(self, request: pb.PushSchedulesRequest, context) -> pb.PushSchedulesResponse:
        def push() -> Any:
            versions = schedule_versions(request.node_id, request)
            return self._hub.schedules.push(request.node_id, request.after_version, versions, fallback_pay(request),
                                            now_us())
        acked, stored = await self._as_node(request.node_id, context, push, request.installation_id)
        return pb.PushSchedulesResponse(acked_version=acked, stored=stored)

    async def PullSitePunches(self, request: pb.PullSitePunchesRequest, context) -> pb.PullSitePunchesResponse:
        size = request.page_size or DEFAULT_SITE_PAGE
        if not 1 <= size <= MAX_SITE_PAGE:
            raise InvalidArgument(f"page_size must be between 1 and {MAX_SITE_PAGE}, or 0 for {DEFAULT_SITE_PAGE}")
        if request.since_cursor > MAX_SEQ:
            raise InvalidArgument(f"since_cursor {request.since_cursor} is above the largest cursor {MAX_SEQ}")
        boxes = [check_node_id(n) for n in request.from_node_ids]
        rows, latest = await self._as_node(request.node_id, context, lambda: self._hub.events.site_punches(
            request.node_id, request.since_cursor, boxes, size + 1))
        return pb.PullSitePunchesResponse(punches=[convert.site_punch(r) for r in rows[:size]], more=len(rows) > size,
                                          latest_cursor=latest)

    async def CreateNode(self, request: pb.CreateNodeRequest, context) -> pb.CreateNodeResponse:
        token = await self._db(self._hub.nodes.create, request.node_id, now_us())
        return pb.CreateNodeResponse(node_id=request.node_id, token=token)

    async def RevokeNode(self, request: pb.RevokeNodeRequest, context) -> pb.RevokeNodeResponse:
        await self._db(self._hub.nodes.revoke, request.node_id)
        return pb.RevokeNodeResponse()

    async def ListNodes(self, request: pb.ListNodesRequest, context) -> pb.ListNodesResponse:
        rows = await self._db(self._hub.nodes.all)
        return pb.ListNodesResponse(nodes=[convert.node_info(r) for r in rows])

    async def QueryEvents(self, request: pb.QueryEventsRequest, context) -> pb.QueryEventsResponse:
        node_ids = [check_node_id(n) for n in request.node_ids]
        if request.person_id:
            check_person_id(request.person_id)
        rows, token = await self._db(self._hub.events.query, node_ids, request.person_id,
                                     convert.from_ts(request, "start_time"), convert.from_ts(request, "end_time"),
                                     request.page_size, request.page_token)
        return pb.QueryEventsResponse(events=[convert.hub_event(r) for r in rows], next_page_token=token)

    async def GetDailyReport(self, request: pb.GetDailyReportRequest, context) -> pb.GetDailyReportResponse:
        day = parse_local_date(request.date, "date")
        site = await self._site_timecards(day, day, request.time_zone, request.node_ids, "")
        summaries = [convert.site_summary(c.person_name, c.days[0]) for c in site.cards if c.days[0].scans]
        state = await self._log_state(day, day, request.node_ids)
        reply = pb.GetDailyReportResponse(date=day.isoformat(), summaries=summaries, schedule_conflicts=site.conflicts,
                                          log_verification=verify_result_to_pb(state))
        if not state.ok:
            for summary in reply.summaries:
                summary.day.exceptions.append(apb.DAY_EXCEPTION_BROKEN_LOG)
        return reply

    async def GetTimecards(self, request: pb.GetTimecardsRequest, context) -> pb.GetTimecardsResponse:
        first = parse_local_date(request.from_date, "from_date")
        last = parse_local_date(request.to_date, "to_date")
        site = await self._site_timecards(first, last, request.time_zone, request.node_ids, request.person_id)
        reply = pb.GetTimecardsResponse(time_zone=site.time_zone, schedule_conflicts=site.conflicts,
                                        timecards=[timecard_to_pb(c.person_id, c.person_name, c.days) for c in site.cards])
        mark_log_state(reply, await self._log_state(first, last, request.node_ids))
        return reply

    async def _site_timecards(self, first: date, last: date, time_zone: str, node_ids: Sequence[str],
                              person_id: str) -> SiteTimecards:
        if time_zone:
            AttendanceRules(time_zone=time_zone).validate()
        boxes = [check_node_id(n) for n in node_ids]
        if person_id:
            check_person_id(person_id)
        now = datetime.fromtimestamp(now_us() / 1e6, timezone.utc)
        return await self._db(site_timecards, self._hub.events, self._hub.schedules, time_zone, first, last, boxes,
                              person_id, now)

    async def _log_state(self, first: date, last: date, node_ids: Sequence[str]) -> VerifyResult:
        """The boxes' logs as the hub holds them, hashed again for the period's events."""
        return await self._db(site_log_state, self._hub.tables.db, first, last, list(node_ids))

    async def EnrollPerson(self, request: pb.EnrollPersonRequest, context) -> pb.EnrollPersonResponse:
        templates = [(t.model_id, t.embedding) for t in request.templates]
        version, ids = await self._db(self._hub.roster.enroll, request.person_id, request.display_name,
                                      not request.inactive, templates, now_us())
        return pb.EnrollPersonResponse(version=version, template_ids=ids)

    async def DeletePerson(self, request: pb.DeletePersonRequest, context) -> pb.DeletePersonResponse:
        version, removed = await self._db(self._hub.roster.delete, request.person_id, now_us())
        return pb.DeletePersonResponse(version=version, templates_deleted=removed)


def _bearer(context: aio.ServicerContext) -> str:
    supplied = str(dict(context.invocation_metadata() or ()).get("authorization", ""))
    return supplied[len("Bearer "):] if supplied.startswith("Bearer ") else ""
