"""The change journal: local roster changes recorded in the same transaction as the change itself."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from edge_node.storage.schema import Tables


@dataclass(frozen=True)
class Change:
    seq: int
    entity: str  # "person" | "template"
    op: str  # "upsert" | "delete"
    key: str  # person_id or template_id
    payload: dict[str, Any]
    created_us: int


class ChangeJournal:
    """Append-only list of roster changes; the sync worker reads and acknowledges it."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def record(self, entity: str, op: str, key: str, payload: dict[str, Any], created_us: int) -> None:
        """Append a change; call inside the transaction that makes it."""
        self._t.change.insert(entity=entity, op=op, key=key, payload=json.dumps(payload), created_us=created_us).execute()

    def pending(self, after_seq: int, limit: int) -> list[Change]:
        C = self._t.change
        rows = C.select().where(C.seq > after_seq).order_by(C.seq).limit(limit)
        return [Change(r.seq, r.entity, r.op, r.key, json.loads(r.payload) if r.payload else {}, r.created_us) for r in rows]

    def rename_person(self, person_id: str, name: str) -> int:
        """Replace the display name in every change of the person still held (an erasure: the journal of a box
        without a hub is never pruned, so it would keep the name forever); returns the changes rewritten."""
        return self._t.db.execute_sql(
            "UPDATE change_journal SET payload = json_set(payload, '$.display_name', ?) WHERE entity = 'person' "
            "AND key = ? AND json_extract(payload, '$.display_name') IS NOT NULL", (name, person_id)).rowcount

    def forget(self, entity: str, op: str, keys: list[str]) -> None:
        """Drop changes not sent yet that must not leave the box any more (a deleted template's embedding)."""
        C = self._t.change
        C.delete().where((C.entity == entity) & (C.op == op) & C.key.in_(keys)).execute()

    def prune(self, up_to_seq: int) -> int:
        """Drop changes the hub has acknowledged."""
        return self._t.change.delete().where(self._t.change.seq <= up_to_seq).execute()
