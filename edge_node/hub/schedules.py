"""The schedule versions of every node on the hub: stored once each, read for a site's timecards."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from edge_node.attendance.rules import PayRules
from edge_node.attendance.schedule import schedule_from_dict, schedule_to_dict
from edge_node.attendance.schedule_history import ScheduleVersion
from edge_node.common.errors import FailedPrecondition
from edge_node.hub.schema import HubTables
from edge_node.storage.timestamps import from_us, to_us

_INSERT = ("INSERT INTO hub_schedule_version (node_id, version, effective_from, schedule, actor, recorded_us, received_us)"
           " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (node_id, version) DO NOTHING")
_HELD = "SELECT effective_from, schedule FROM hub_schedule_version WHERE node_id = %s AND version = %s"


class HubSchedules:
    def __init__(self, tables: HubTables) -> None:
        self._t = tables

    def push(self, node_id: str, after_version: int, versions: list[ScheduleVersion], fallback: PayRules | None,
             now_us: int) -> tuple[int, int]:
        """Store versions covering (after_version, last] and the node's pay rules before its first version
        (`fallback`, when sent); (the node's acknowledged version, newly stored).

        The node row is locked for the transaction, so two pushes of one node never interleave. A resent
        version must be the one held (another one under its number comes from a copied database)."""
        db = self._t.db
        stored = 0
        with db.atomic():
            db.execute_sql("SELECT 1 FROM hub_node WHERE node_id = %s FOR UPDATE", (node_id,))
            acked = db.execute_sql("SELECT coalesce(max(version), 0) FROM hub_schedule_version WHERE node_id = %s",
                                   (node_id,)).fetchone()[0]
            if after_version <= acked and versions:
                for v in versions:
                    text = json.dumps(schedule_to_dict(v.schedule))
                    cursor = db.execute_sql(_INSERT, (node_id, v.version, v.effective_from.isoformat(), text, v.actor,
                                                      to_us(v.recorded_at), now_us))
                    if cursor.rowcount:
                        stored += 1
                    else:
                        _check_held(db, node_id, v, text)
                acked = max(acked, versions[-1].version)
            db.execute_sql("UPDATE hub_node SET last_seen_us = %s WHERE node_id = %s", (now_us, node_id))
            if fallback is not None:
                db.execute_sql("UPDATE hub_node SET fallback_pay = %s WHERE node_id = %s",
                               (json.dumps(fallback.as_dict()), node_id))
        return acked, stored

    def of_nodes(self, node_ids: list[str]) -> list[ScheduleVersion]:
        """The versions of these nodes (every node when empty), oldest recorded first. A version stored on its
        box before versions kept their pay rules gets that box's pay rules of those days, as on the box."""
        S = self._t.schedule_version
        query = S.select().order_by(S.recorded_us, S.node_id, S.version)
        if node_ids:
            query = query.where(S.node_id.in_(node_ids))
        fallbacks = self.fallbacks(node_ids)
        versions = []
        for r in query:
            schedule = schedule_from_dict(json.loads(r.schedule))
            if schedule.pay is None and r.node_id in fallbacks:
                schedule = replace(schedule, pay=fallbacks[r.node_id])
            versions.append(ScheduleVersion(r.version, date.fromisoformat(r.effective_from), schedule, r.actor,
                                            from_us(r.recorded_us), r.node_id))
        return versions

    def fallbacks(self, node_ids: list[str]) -> dict[str, PayRules]:
        """Each node's pay rules before its first version, of the nodes that sent them (all nodes when empty)."""
        N = self._t.node
        query = N.select(N.node_id, N.fallback_pay).where(N.fallback_pay != "").order_by(N.node_id)
        if node_ids:
            query = query.where(N.node_id.in_(node_ids))
        return {r.node_id: PayRules.from_dict(json.loads(r.fallback_pay)) for r in query}


def _check_held(db, node_id: str, version: ScheduleVersion, text: str) -> None:
    held = db.execute_sql(_HELD, (node_id, version.version)).fetchone()
    if held is not None and (held[0] != version.effective_from.isoformat() or json.loads(held[1]) != json.loads(text)):
        raise FailedPrecondition(f"node {node_id!r} sent schedule version {version.version} but the hub holds another "
                                 "version under that number; this database was copied from another box. Nothing was "
                                 "stored; give this box its own node id (`edge-node hub add-node NEW_ID`)")
