"""The sync worker: a background thread that pushes events and roster changes to the hub and pulls the roster
and the other boxes' punches."""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import grpc

from edge_node.storage.timestamps import to_us
from edge_node.attendance.store import AttendanceStore
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.recognition.templates import TemplateStore
from edge_node.sync.backoff import Backoff
from edge_node.rpc.pinning import PinRefused, Unreachable
from edge_node.sync.client import KNOWN_HUBS_FILE, HubClient
from edge_node.sync.config import SyncConfig
from edge_node.sync.change_messages import change_to_pb, event_to_pb
from edge_node.sync.outbox import Outbox
from edge_node.sync.roster import RosterApplier
from edge_node.sync.site_punches import SitePunches
from edge_node.sync.state import EVENTS_ACKED, ROSTER_PUSHED, SCHEDULES_PUSHED, SyncState
from edge_node.sync.status import SyncStatus
from edge_node.wire.schedules import pay_to_pb, version_to_pb

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 600.0
SCHEDULE_VERSIONS_PER_PUSH = 20
# Answers to PushSchedules that retrying soon will not change (an old hub, a version it refuses).
SCHEDULES_REFUSED = (grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION)


class SyncWorker:
    """One round: push pending journal changes, pull the roster and the other boxes' punches, then push event
    batches back to back
    for up to `interval_seconds`; idle rounds wait `interval_seconds`, failed ones an exponential backoff.

    The hub's answer is the only thing that moves a cursor, and it is saved after the hub stored the data,
    so a crash of either side at any point resends (the hub drops duplicates) and never skips.
    """

    def __init__(self, store: AttendanceStore, config: SyncConfig, token_file: str, templates: TemplateStore) -> None:
        self._store = store
        self._config = config
        self._token_file = token_file
        self._state = SyncState(store)
        self._outbox = Outbox(store.tables)
        self.roster = RosterApplier(store, templates, self._state, config.node_id)
        self.site_punches = SitePunches(store, self._state)
        self._backoff = Backoff(config.backoff_initial_seconds, config.backoff_max_seconds)
        self._client: HubClient | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_success: datetime | None = None
        self._last_error = ""
        self._next_prune = 0.0
        self._installation: str | None = None
        self._schedules_refused: str | None = None
        self._site_refused: str | None = None
        self._fallback_sent = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()
        log.info("sync with hub %s as node %r started", self._config.hub, self._config.node_id)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread; an RPC in flight is cancelled (its batch is resent after the next start)."""
        self._stop.set()
        if self._client is not None:
            self._client.close()
        if self._thread is not None:
            self._thread.join(timeout)

    def status(self) -> SyncStatus:
        acked = self._state.get(EVENTS_ACKED)
        oldest = self._outbox.oldest_pending_us(acked)
        lag = max(0.0, (to_us(self._store.clock.now()) - oldest) / 1e6) if oldest is not None else 0.0
        return SyncStatus(self._config.hub, self._config.node_id, self._outbox.depth(acked), lag,
                          self._outbox.last_seq(), acked, self.roster.version, self._last_success,
                          self._last_error, self._backoff.failures)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.sync_round()
            except grpc.RpcError as exc:
                delay = self._failed(f"{exc.code().name}: {exc.details()}")
            except PinRefused as exc:  # the hub's certificate is not the pinned one: said once, retried
                delay = self._failed(f"refused the hub's certificate: {exc}")
            except Unreachable as exc:  # no connection to the hub to read its certificate from
                delay = self._failed(f"UNAVAILABLE: {exc}")
            except Exception as exc:  # noqa: BLE001 - the worker must outlive any single failure
                log.exception("sync round failed")
                delay = self._failed(f"{type(exc).__name__}: {exc}")
            else:
                self._backoff.reset()
                self._last_success = datetime.now().astimezone()
                self._last_error = ""
                delay = 0.0 if busy else self._config.interval_seconds
            self._stop.wait(delay)

    def _failed(self, error: str) -> float:
        delay = self._backoff.next_delay()
        if self._stop.is_set():
            return 0.0
        if error != self._last_error:
            log.warning("sync with %s failed (%s); retrying in %.1f s", self._config.hub, error, delay)
        self._last_error = error
        return delay

    def sync_round(self) -> bool:
        """Run one round; True when work is left (the next round should start at once)."""
        client = self._connect()
        more = self._push_roster(client)
        more = self._pull_roster(client) or more
        more = self._pull_site_punches(client) or more
        deadline = time.monotonic() + self._config.interval_seconds
        while not self._stop.is_set():
            if not self._push_events(client):
                break
            if time.monotonic() > deadline:
                more = True
                break
        more = self._push_schedules(client) or more
        self._prune()
        return more

    def _installation_id(self) -> str:
        if self._installation is None:
            self._installation = self._state.installation_id()
        return self._installation

    def _connect(self) -> HubClient:
        if self._client is None:
            token = self._config.token or self._read_token()
            self._client = HubClient(self._config, token, Path(self._token_file).with_name(KNOWN_HUBS_FILE))
        return self._client

    def _read_token(self) -> str:
        try:
            with open(self._token_file) as handle:
                token = handle.read().strip()
        except FileNotFoundError:
            token = ""
        if not token:
            raise RuntimeError(f"no node token: set sync.token or write it to {self._token_file}")
        return token

    def _push_events(self, client: HubClient) -> bool:
        """Send one batch; True if a full batch went and more may be waiting."""
        acked = self._state.get(EVENTS_ACKED)
        rows = self._outbox.batch(acked, self._config.batch_size)
        if not rows:
            return False
        last = rows[-1][0]
        now_us = to_us(self._store.clock.now())
        request = pb.PushEventsRequest(node_id=self._config.node_id, installation_id=self._installation_id(),
                                       after_seq=acked, events=[event_to_pb(r) for r in rows],
                                       queue_depth=self._outbox.depth(last),
                                       lag_seconds=max(0.0, (now_us - rows[0][4]) / 1e6), chain_head=rows[-1][-1])
        reply = client.push_events(request)
        if reply.acked_seq < acked:
            log.warning("hub has events of this node only up to %d (we had %d acknowledged); resending",
                        reply.acked_seq, acked)
        self._state.set(EVENTS_ACKED, min(reply.acked_seq, last))
        return reply.acked_seq >= last and len(rows) == self._config.batch_size

    def _push_roster(self, client: HubClient) -> bool:
        pushed = self._state.get(ROSTER_PUSHED)
        changes = self._store.journal.pending(pushed, self._config.roster_page_size)
        if not changes:
            return False
        reply = client.push_roster(pb.PushRosterRequest(node_id=self._config.node_id, after_seq=pushed,
                                                        installation_id=self._installation_id(),
                                                        changes=[change_to_pb(c) for c in changes]))
        acked = min(reply.acked_seq, changes[-1].seq)
        with self._store.tables.db.atomic():
            self._state.set(ROSTER_PUSHED, acked)
            self._store.journal.prune(acked)
        return len(changes) == self._config.roster_page_size

    def _push_schedules(self, client: HubClient) -> bool:
        """Send schedule versions the hub has not acknowledged, with the box's pay rules of the days before its
        first version (once per run even without versions); True if a full page went. A version the hub
        refuses, or a hub from before schedule versions (UNIMPLEMENTED), is logged once and waits; events
        keep flowing."""
        pushed = self._state.get(SCHEDULES_PUSHED)
        versions = [v for v in self._store.schedules.all() if v.version > pushed][:SCHEDULE_VERSIONS_PER_PUSH]
        if not versions and self._fallback_sent:
            return False
        request = pb.PushSchedulesRequest(node_id=self._config.node_id, after_version=pushed,
                                          installation_id=self._installation_id(),
                                          versions=[version_to_pb(v) for v in versions],
                                          fallback_pay=pay_to_pb(self._store.schedules.fallback()))
        try:
            reply = client.push_schedules(request)
        except grpc.RpcError as exc:
            if exc.code() not in SCHEDULES_REFUSED:
                raise
            if exc.details() != self._schedules_refused:
                log.warning("hub %s did not take this box's pay rules and schedule versions after %d (%s: %s); its "
                            "site timecards use what it has until then", self._config.hub, pushed, exc.code().name,
                            exc.details())
            self._schedules_refused = exc.details()
            return False
        self._schedules_refused = None
        self._fallback_sent = True
        if not versions:
            return False
        self._state.set(SCHEDULES_PUSHED, min(reply.acked_version, versions[-1].version))
        return reply.acked_version >= versions[-1].version and len(versions) == SCHEDULE_VERSIONS_PER_PUSH

    def _pull_roster(self, client: HubClient) -> bool:
        reply = client.pull_roster(pb.PullRosterRequest(node_id=self._config.node_id, since_version=self.roster.version,
                                                        page_size=self._config.roster_page_size))
        self.roster.apply(reply.changes)
        return reply.more

    def _pull_site_punches(self, client: HubClient) -> bool:
        """Learn one page of the other boxes' punches; True if more are waiting. A hub from before site
        punches (UNIMPLEMENTED) is logged once: this box then decides from its own punches only."""
        request = pb.PullSitePunchesRequest(node_id=self._config.node_id, since_cursor=self.site_punches.cursor,
                                            from_node_ids=list(self._config.site_nodes),
                                            page_size=self._config.site_page_size)
        try:
            reply = client.pull_site_punches(request)
        except grpc.RpcError as exc:
            if exc.code() is not grpc.StatusCode.UNIMPLEMENTED:
                raise
            if exc.details() != self._site_refused:
                log.warning("hub %s does not serve the other boxes' punches (%s); IN/OUT here follows this box's "
                            "own punches only", self._config.hub, exc.details())
            self._site_refused = exc.details()
            return False
        self._site_refused = None
        if reply.latest_cursor < request.since_cursor:
            log.warning("hub %s holds site punches only up to cursor %d, below this box's %d: it lost events (restored "
                        "or rebuilt); learning the other boxes' punches again from the start", self._config.hub,
                        reply.latest_cursor, request.since_cursor)
            self.site_punches.restart()
            return True
        self.site_punches.apply(reply.punches)
        return reply.more

    def _prune(self) -> None:
        if time.monotonic() < self._next_prune:
            return
        self._next_prune = time.monotonic() + PRUNE_EVERY_S
        cutoff = self._store.clock.now() - timedelta(days=self._config.retention_days)
        removed = self._outbox.prune(self._state.get(EVENTS_ACKED), to_us(cutoff))
        if removed:
            log.info("pruned %d synced events older than %s", removed, cutoff.isoformat())
        forgotten = self.site_punches.prune(to_us(cutoff))
        if forgotten:
            log.info("forgot %d punches of other boxes older than %s", forgotten, cutoff.isoformat())
