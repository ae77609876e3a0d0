"""Hub rows to protocol messages."""
from __future__ import annotations

import json

from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.attendance.timecard import DayCard
from edge_node.hub.events import SitePunchRow
from edge_node.sync.change_messages import ANOMALY_PB, EVENT_TYPE_PB
from edge_node.wire.timecards import timecard_day_to_pb
from edge_node.wire.timestamps import to_timestamp


def ts(us: int | None) -> Timestamp | None:
    return Timestamp(seconds=us // 1_000_000, nanos=us % 1_000_000 * 1000) if us is not None else None


def from_ts(message: pb.QueryEventsRequest, name: str) -> int | None:
    if not message.HasField(name):
        return None
    value = getattr(message, name)
    return value.seconds * 1_000_000 + value.nanos // 1000


def anomalies_pb(text: str) -> list[apb.Anomaly]:
    """Stored anomalies (JSON [[kind, reason], ...] or '') as messages."""
    return [apb.Anomaly(kind=ANOMALY_PB[k], reason=r) for k, r in json.loads(text)] if text else []


def hub_event(row) -> pb.HubEvent:
    anomalies = anomalies_pb(row.anomalies)
    event = pb.SyncEvent(seq=row.seq, person_id=row.person_id, person_name=row.person_name,
                         event_type=EVENT_TYPE_PB[row.event_type], occurred_at=ts(row.occurred_us),
                         local_date=row.local_date, confidence=row.confidence, camera_id=row.camera_id,
                         anomalies=anomalies, reason=row.reason)
    return pb.HubEvent(node_id=row.node_id, event=event, received_at=ts(row.received_us))


def node_info(row) -> pb.NodeInfo:
    return pb.NodeInfo(node_id=row.node_id, revoked=row.revoked, created_at=ts(row.created_us),
                       last_seen_at=ts(row.last_seen_us), acked_seq=row.acked_seq, queue_depth=row.queue_depth,
                       lag_seconds=row.lag_seconds, roster_version=row.roster_version,
                       installation_id=row.installation_id)


def site_summary(person_name: str, card: DayCard) -> pb.SiteSummary:
    """A person's shift day across the site's boxes; its punches count as IN and OUT alternately."""
    return pb.SiteSummary(person_id=card.person_id, person_name=person_name, node_ids=list(card.sources),
                          entry_count=(card.punches + 1) // 2, exit_count=card.punches // 2,
                          first_entry_at=to_timestamp(card.first_in), last_exit_at=to_timestamp(card.last_out),
                          anomaly_count=len(card.flags), day=timecard_day_to_pb(card))


def site_punch(row: SitePunchRow) -> pb.SitePunch:
    return pb.SitePunch(cursor=row.cursor, node_id=row.node_id, seq=row.seq, person_id=row.person_id,
                        event_type=EVENT_TYPE_PB[row.event_type], occurred_at=ts(row.occurred_us),
                        ref_seq=row.ref_seq or 0, anomalies=anomalies_pb(row.anomalies))
