"""Node rows and journal changes to and from the sync protocol's messages."""
from __future__ import annotations

import json
from typing import Sequence

from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.storage.journal import Change
from edge_node.sync.outbox import EventTuple

EVENT_TYPE_PB = {name[len("EVENT_TYPE_"):]: value for name, value in apb.EventType.items() if value}
EVENT_TYPE_NAME = {value: name for name, value in EVENT_TYPE_PB.items()}
ANOMALY_PB = {name[len("ANOMALY_KIND_"):]: value for name, value in apb.AnomalyKind.items() if value}
ANOMALY_NAME = {value: name for name, value in ANOMALY_PB.items()}
ENTITY_PB = {"person": pb.ROSTER_ENTITY_PERSON, "template": pb.ROSTER_ENTITY_TEMPLATE}
OP_PB = {"upsert": pb.ROSTER_OP_UPSERT, "delete": pb.ROSTER_OP_DELETE}
# A template's kind as a node stores it ("photo", "camera", "learned"); UNSPECIFIED (an older sender) is "photo".
TEMPLATE_KIND_PB = {name[len("TEMPLATE_KIND_"):].lower(): value for name, value in pb.TemplateKind.items() if value}
TEMPLATE_KIND_NAME = {value: name for name, value in TEMPLATE_KIND_PB.items()}
TEMPLATE_SOURCE_CHARS = 256  # RosterChange.template_source's limit (the hub refuses longer)


def event_to_pb(row: EventTuple) -> pb.SyncEvent:
    (seq, person_id, person_name, event_type, occurred_us, local_date, confidence, camera_id, anomalies, reason,
     liveness, ref_seq, actor, prev_hash, digest) = row
    event = pb.SyncEvent(seq=seq, person_id=person_id, person_name=person_name, event_type=EVENT_TYPE_PB[event_type],
                         occurred_at=Timestamp(seconds=occurred_us // 1_000_000, nanos=occurred_us % 1_000_000 * 1000),
                         local_date=local_date, confidence=confidence, camera_id=camera_id, reason=reason,
                         liveness=liveness, ref_seq=ref_seq or 0, actor=actor, prev_hash=prev_hash, hash=digest)
    if anomalies:
        event.anomalies.extend(apb.Anomaly(kind=ANOMALY_PB[kind], reason=why) for kind, why in json.loads(anomalies))
    return event


def anomalies_text(anomalies: Sequence[apb.Anomaly]) -> str:
    """Anomaly messages as an event row stores them (JSON [[kind, reason], ...], '' for none); unknown kinds
    (from a newer box) are left out."""
    known = [[ANOMALY_NAME[a.kind], a.reason] for a in anomalies if a.kind in ANOMALY_NAME]
    return json.dumps(known) if known else ""


def change_to_pb(change: Change) -> pb.RosterChange:
    """A journal entry as sent to the hub; `version` carries the journal sequence number."""
    msg = pb.RosterChange(version=change.seq, entity=ENTITY_PB[change.entity], op=OP_PB[change.op])
    payload = change.payload
    if change.entity == "person":
        msg.person_id = change.key
        if change.op == "upsert":
            msg.display_name = payload["display_name"]
            msg.active = bool(payload["active"])
            msg.employed_from = payload.get("employed_from", "")
            msg.employed_until = payload.get("employed_until", "")
            if "created_us" in payload:
                msg.created_at.FromMicroseconds(payload["created_us"])
    else:
        msg.template_id = change.key
        msg.person_id = payload.get("person_id", "")
        if change.op == "upsert":
            msg.model_id = payload["model_id"]
            msg.embedding = bytes.fromhex(payload["embedding"])
            msg.template_kind = TEMPLATE_KIND_PB.get(payload.get("kind", ""), pb.TEMPLATE_KIND_UNSPECIFIED)
            # A file name may be longer, or hold a NUL PostgreSQL cannot store: the hub gets what it can keep.
            msg.template_source = payload.get("source", "").replace("\x00", "")[:TEMPLATE_SOURCE_CHARS]
    return msg
