"""The hub's roster: persons and templates with a version per change, tombstones for deletions.

Every write takes one transaction-scoped advisory lock before drawing versions, so versions become
visible in order and a kiosk that pulled up to version V can never later miss a change below V.
Deletion wins: a kiosk's stale upsert of a deleted person is refused and the tombstone re-issued.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import peewee as pw

from edge_node.attendance.persons import pseudonym
from edge_node.common.validation import check_display_name, check_person_id
from edge_node.common.errors import InvalidArgument, NotFound
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.hub.schema import HubTables
from edge_node.hub.validation import check_change, check_embedding
from edge_node.sync.change_messages import TEMPLATE_KIND_NAME, TEMPLATE_KIND_PB

ROSTER_LOCK = 0x524F_5354  # "ROST"
MAX_TEMPLATES_PER_ENROLL = 64


@dataclass(frozen=True)
class PushOutcome:
    acked_seq: int
    applied: int
    ignored: int


class HubRoster:
    def __init__(self, tables: HubTables) -> None:
        self._t = tables

    # -- writes -------------------------------------------------------------------------------------------

    def _begin_write(self) -> None:
        self._t.db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))

    def _next_version(self) -> int:
        return self._t.db.execute_sql("SELECT nextval('hub_roster_version')").fetchone()[0]

    def _alive(self, person_id: str) -> bool:
        P = self._t.person
        return P.select().where((P.person_id == person_id) & (P.deleted == False)).exists()  # noqa: E712

    def _upsert_person(self, person_id: str, name: str, active: bool, origin: str, now_us: int,
                       employment: tuple[str, str] | None = None, created_us: int | None = None) -> int:
        """Insert or update a person; `employment` (from, until as set) is kept when None (a hub enrolment),
        and the creation time is the earliest any box reported."""
        version = self._next_version()
        P = self._t.person
        employed = dict(zip((P.employed_from, P.employed_until), employment)) if employment else {}
        P.insert({P.person_id: person_id, P.display_name: name, P.active: active, P.deleted: False, P.version: version,
                  P.origin_node_id: origin, P.updated_us: now_us, P.created_us: created_us, **employed}).on_conflict(
            conflict_target=[P.person_id],
            update={P.display_name: name, P.active: active, P.deleted: False, P.version: version,
                    P.origin_node_id: origin, P.updated_us: now_us, P.created_us: pw.fn.LEAST(P.created_us, created_us),
                    **employed}).execute()
        return version

    def _upsert_template(self, template_id: str, person_id: str, model_id: str, embedding: bytes | None,
                         deleted: bool, origin: str, now_us: int, kind: str = "", source: str = "") -> int:
        """Insert or update a template (a tombstone when `deleted`); `kind` '' is an enrolled one of unknown kind."""
        version = self._next_version()
        T = self._t.template
        values = {T.person_id: person_id, T.model_id: model_id, T.embedding: embedding, T.deleted: deleted,
                  T.version: version, T.origin_node_id: origin, T.updated_us: now_us, T.kind: kind, T.source: source}
        T.insert({T.template_id: template_id, **values}).on_conflict(conflict_target=[T.template_id],
                                                                      update=values).execute()
        return version

    def _delete_person(self, person_id: str, origin: str, now_us: int,
                       name: str | None = None) -> tuple[int, int]:
        """Tombstone the person (under `name` when given) and every live template of theirs; (last version,
        templates deleted)."""
        P, T = self._t.person, self._t.template
        version = self._next_version()
        renamed = {} if name is None else {P.display_name: name}
        P.update({P.deleted: True, P.version: version, P.origin_node_id: origin, P.updated_us: now_us, **renamed}).where(
            P.person_id == person_id).execute()
        live = [r.template_id for r in T.select(T.template_id).where((T.person_id == person_id) & (T.deleted == False))]  # noqa: E712
        for template_id in live:
            version = self._upsert_template(template_id, person_id, "", None, True, origin, now_us)
        return version, len(live)

    def push(self, node_id: str, after_seq: int, changes: list[pb.RosterChange], now_us: int) -> PushOutcome:
        """Apply a node's journal changes (seq in `version`) exactly once, in order."""
        previous = after_seq
        for i, change in enumerate(changes):
            check_change(change, f"changes[{i}]")
            if change.version <= previous:
                raise InvalidArgument(f"changes[{i}].version {change.version} must be greater than {previous} "
                                      "(after_seq, then strictly increasing)")
            previous = change.version
        db = self._t.db
        applied = ignored = 0
        with db.atomic():
            acked = db.execute_sql("SELECT roster_acked_seq FROM hub_node WHERE node_id = %s FOR UPDATE",
                                   (node_id,)).fetchone()[0]
            if after_seq <= acked:
                self._begin_write()
                for change in changes:
                    if change.version <= acked:
                        continue
                    if self._apply_node_change(change, node_id, now_us):
                        applied += 1
                    else:
                        ignored += 1
                acked = max(acked, changes[-1].version) if changes else acked
            db.execute_sql("UPDATE hub_node SET roster_acked_seq = %s, last_seen_us = %s WHERE node_id = %s",
                           (acked, now_us, node_id))
        return PushOutcome(acked, applied, ignored)

    def _apply_node_change(self, c: pb.RosterChange, origin: str, now_us: int) -> bool:
        """Apply one change; False when it was refused (its effect undone on the kiosk by a new tombstone)."""
        P, T = self._t.person, self._t.template
        person = P.get_or_none(P.person_id == c.person_id)
        if c.entity == pb.ROSTER_ENTITY_PERSON and c.op == pb.ROSTER_OP_UPSERT:
            if person is not None and person.deleted:  # deletion wins; an erasure still replaces the name
                erased = c.display_name == pseudonym(c.person_id)
                self._delete_person(c.person_id, "", now_us, c.display_name if erased else None)
                return False
            created = c.created_at.ToMicroseconds() if c.HasField("created_at") else None
            self._upsert_person(c.person_id, c.display_name, c.active, origin, now_us,
                                (c.employed_from, c.employed_until), created)
        elif c.entity == pb.ROSTER_ENTITY_PERSON:
            if person is None or person.deleted:
                return False
            self._delete_person(c.person_id, origin, now_us)
        elif c.op == pb.ROSTER_OP_UPSERT:
            if person is None or person.deleted:
                self._upsert_template(c.template_id, c.person_id, "", None, True, "", now_us)
                return False
            self._upsert_template(c.template_id, c.person_id, c.model_id, c.embedding, False, origin, now_us,
                                  TEMPLATE_KIND_NAME.get(c.template_kind, ""), c.template_source)
        else:
            template = T.get_or_none(T.template_id == c.template_id)
            if template is None or template.deleted:
                return False
            self._upsert_template(c.template_id, template.person_id, "", None, True, origin, now_us)
        return True

    def enroll(self, person_id: str, name: str, active: bool, templates: list[tuple[str, bytes]],
               now_us: int) -> tuple[int, list[str]]:
        """Create or update a person (undeleting it) and add templates; (last version, new template ids)."""
        check_person_id(person_id)
        check_display_name(name)
        if len(templates) > MAX_TEMPLATES_PER_ENROLL:
            raise InvalidArgument(f"at most {MAX_TEMPLATES_PER_ENROLL} templates per request")
        for i, (model_id, embedding) in enumerate(templates):
            check_embedding(model_id, embedding, f"templates[{i}]")
        ids = [uuid.uuid4().hex for _ in templates]
        with self._t.db.atomic():
            self._begin_write()
            version = self._upsert_person(person_id, name, active, "", now_us)
            for template_id, (model_id, embedding) in zip(ids, templates):
                version = self._upsert_template(template_id, person_id, model_id, embedding, False, "", now_us)
        return version, ids

    def delete(self, person_id: str, now_us: int) -> tuple[int, int]:
        check_person_id(person_id)
        with self._t.db.atomic():
            self._begin_write()
            if not self._alive(person_id):
                raise NotFound(f"person {person_id!r} does not exist on the hub")
            return self._delete_person(person_id, "", now_us)

    # -- reads --------------------------------------------------------------------------------------------

    def changes_since(self, node_id: str, version: int, limit: int, now_us: int) -> tuple[list[pb.RosterChange], bool, int]:
        """Up to `limit` changes with a version above `version`, oldest first; (changes, more, latest).

        Persons and templates are read in one snapshot: with a statement each under READ COMMITTED, an
        enrolment committing between them would hand out its template without its person, and the kiosk,
        having moved past both versions, would never get the person.
        """
        P, T = self._t.person, self._t.template
        with self._t.db.atomic(isolation_level="REPEATABLE READ"):
            persons = list(P.select().where(P.version > version).order_by(P.version).limit(limit + 1))
            templates = list(T.select().where(T.version > version).order_by(T.version).limit(limit + 1))
            latest = self._t.db.execute_sql("SELECT greatest((SELECT max(version) FROM hub_person),"
                                            " (SELECT max(version) FROM hub_template))").fetchone()[0] or 0
        merged = sorted([*map(_person_change, persons), *map(_template_change, templates)], key=lambda c: c.version)
        self._t.node.update(roster_version=version, last_seen_us=now_us).where(self._t.node.node_id == node_id).execute()
        return merged[:limit], len(merged) > limit, latest


def _person_change(row) -> pb.RosterChange:
    op = pb.ROSTER_OP_DELETE if row.deleted else pb.ROSTER_OP_UPSERT
    change = pb.RosterChange(version=row.version, entity=pb.ROSTER_ENTITY_PERSON, op=op, person_id=row.person_id,
                             display_name=row.display_name, active=row.active, origin_node_id=row.origin_node_id,
                             employed_from=row.employed_from, employed_until=row.employed_until)
    if row.created_us is not None:
        change.created_at.FromMicroseconds(row.created_us)
    return change


def _template_change(row) -> pb.RosterChange:
    if row.deleted:
        return pb.RosterChange(version=row.version, entity=pb.ROSTER_ENTITY_TEMPLATE, op=pb.ROSTER_OP_DELETE,
                               person_id=row.person_id, template_id=row.template_id, origin_node_id=row.origin_node_id)
    return pb.RosterChange(version=row.version, entity=pb.ROSTER_ENTITY_TEMPLATE, op=pb.ROSTER_OP_UPSERT,
                           person_id=row.person_id, template_id=row.template_id, model_id=row.model_id,
                           embedding=bytes(row.embedding), origin_node_id=row.origin_node_id,
                           template_kind=TEMPLATE_KIND_PB.get(row.kind, pb.TEMPLATE_KIND_UNSPECIFIED),
                           template_source=row.source)
