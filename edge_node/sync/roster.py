"""Applies roster changes pulled from the hub to the node's SQLite, and tells listeners (the gallery)."""
from __future__ import annotations

import logging
from typing import Callable, Sequence

import numpy as np

from edge_node.attendance.persons import pseudonym
from edge_node.attendance.rows import employment_from_text
from edge_node.attendance.store import AttendanceStore
from edge_node.common.errors import DomainError, FailedPrecondition, NotFound
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.recognition.templates import EMBEDDING_DTYPE, PHOTO, TemplateRecord, TemplateStore
from edge_node.storage.schema import purge_wal
from edge_node.sync.change_messages import TEMPLATE_KIND_NAME
from edge_node.sync.state import ROSTER_VERSION, SyncState

log = logging.getLogger(__name__)

TemplateAdded = Callable[[TemplateRecord], None]
TemplatesRemoved = Callable[[list[str]], None]


class RosterApplier:
    """Hub changes are stored with journal=False (they must not go back to the hub as local changes);
    a page of changes and the new roster version commit together, then listeners run (sync thread).

    A template keeps the kind its box gave it: a learned one from another box is learned here too (matched
    with the penalty, counted in its person's cap; the recognition engine reads the kind)."""

    def __init__(self, store: AttendanceStore, templates: TemplateStore, state: SyncState, node_id: str) -> None:
        self._store = store
        self._templates = templates
        self._state = state
        self._node_id = node_id
        self._added: list[TemplateAdded] = []
        self._removed: list[TemplatesRemoved] = []
        self._usable: Callable[[str], bool] | None = None
        self._matching_id = ""

    def require_model(self, usable: Callable[[str], bool], matching_id: str) -> None:
        """Refuse hub templates whose model id ``usable`` rejects: they lack a recogniser this node
        matches with (``matching_id``), so they cannot be compared."""
        self._usable = usable
        self._matching_id = matching_id

    def on_template_added(self, listener: TemplateAdded) -> None:
        """Call `listener(record)` for every template stored from the hub (after commit)."""
        self._added.append(listener)

    def on_templates_removed(self, listener: TemplatesRemoved) -> None:
        """Call `listener(template_ids)` with the templates a hub change deleted (after commit)."""
        self._removed.append(listener)

    @property
    def version(self) -> int:
        return self._state.get(ROSTER_VERSION)

    def apply(self, changes: Sequence[pb.RosterChange]) -> None:
        """Apply changes (ordered by version) and advance the roster version to the last one, atomically."""
        if not changes:
            return
        added: list[TemplateRecord] = []
        removed: list[str] = []
        with self._store.tables.db.atomic():
            for change in changes:
                try:
                    self._apply_one(change, added, removed)
                except DomainError as exc:  # a change this node cannot take must not wedge the sync
                    log.warning("skipped roster change %d (%s): %s", change.version, change.person_id, exc)
            self._state.set(ROSTER_VERSION, changes[-1].version)
        if removed or any(c.display_name == pseudonym(c.person_id) for c in changes):
            purge_wal(self._store.tables.db)
        for record in added:
            for listener in self._added:
                listener(record)
        if removed:
            for listener in self._removed:
                listener(removed)

    def _apply_one(self, change: pb.RosterChange, added: list[TemplateRecord], removed: list[str]) -> None:
        persons = self._store.persons
        if change.entity == pb.ROSTER_ENTITY_PERSON and change.op == pb.ROSTER_OP_UPSERT:
            persons.upsert(change.person_id, change.display_name, active=change.active, journal=False,
                           employment=employment_from_text(change.employed_from, change.employed_until))
            if change.display_name == pseudonym(change.person_id):  # erased on another box: the faces here go too
                self._store.reviews.delete_person(change.person_id)
        elif change.entity == pb.ROSTER_ENTITY_PERSON and change.op == pb.ROSTER_OP_DELETE:
            removed.extend(self._templates.delete(change.person_id, journal=False))
            try:
                persons.delete(change.person_id, journal=False)
            except NotFound:
                pass
        elif change.entity == pb.ROSTER_ENTITY_TEMPLATE and change.op == pb.ROSTER_OP_UPSERT:
            if persons.find(change.person_id) is None:  # deleted here, and the deletion is on its way to the hub
                log.warning("skipped roster change %d: template %s of %r, who is not on this node",
                            change.version, change.template_id, change.person_id)
                return
            if self._usable is not None and not self._usable(change.model_id):
                raise FailedPrecondition(
                    f"template {change.template_id} was made by model {change.model_id!r} but this node "
                    f"recognises with {self._matching_id!r}; re-enrol the person on a node running "
                    f"{self._matching_id!r}")
            vector = np.frombuffer(change.embedding, dtype=EMBEDDING_DTYPE)
            added.append(self._templates.add(
                change.person_id, change.model_id, vector, change.template_id, journal=False,
                kind=TEMPLATE_KIND_NAME.get(change.template_kind, PHOTO), source=self._source_here(change)))
        elif change.entity == pb.ROSTER_ENTITY_TEMPLATE and change.op == pb.ROSTER_OP_DELETE:
            removed.extend(self._templates.delete(change.person_id, [change.template_id], journal=False))
        else:
            log.warning("skipped roster change %d: unknown entity/op %d/%d", change.version, change.entity, change.op)

    def _source_here(self, change: pb.RosterChange) -> str:
        """A template's source as this box shows it: as it was for one of its own, "<box>:<source>" for
        another box's, "hub" when the hub has none (made on the hub, or sent by an older box)."""
        if not change.template_source:
            return "hub"
        if change.origin_node_id == self._node_id:
            return change.template_source
        return f"{change.origin_node_id}:{change.template_source}"
