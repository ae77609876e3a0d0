"""Face templates in SQLite: the durable side of the in-memory gallery."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

import numpy as np

from edge_node.storage.timestamps import from_us, to_us
from edge_node.common.clock import Clock
from edge_node.storage.journal import ChangeJournal
from edge_node.storage.schema import Tables, purge_wal

EMBEDDING_DTYPE = np.float32
# The kind of image a template was made from.
PHOTO = "photo"  # an uploaded photo (Enroll)
CAMERA = "camera"  # a frame taken at a kiosk camera (EnrollFromCamera)
LEARNED = "learned"  # a kiosk punch kept to follow the person's face over time (RecognitionEngine.learn)


@dataclass(frozen=True)
class TemplateRecord:
    template_id: str
    person_id: str
    model_id: str
    embedding: np.ndarray
    created_at: datetime
    kind: str = PHOTO
    # Where it came from: a file name, a camera id; "<box>:<source>" or "hub" when synced (sync/roster.py).
    source: str = ""
    event_id: int | None = None  # a learned template's punch (None: not learned here, or before schema v12)


class TemplateStore:
    """Adds, lists and deletes templates; every local change is journaled for the hub."""

    def __init__(self, tables: Tables, clock: Clock, journal: ChangeJournal) -> None:
        self._t = tables
        self._clock = clock
        self._journal = journal

    def add(self, person_id: str, model_id: str, embedding: np.ndarray, template_id: str | None = None,
            journal: bool = True, kind: str = PHOTO, source: str = "", event_id: int | None = None) -> TemplateRecord:
        """Store one template (inside a transaction); `template_id` is given, and `journal` False, when it comes
        from the hub; `event_id` is the punch a learned template was learned from (kept when the hub's copy of it
        comes back)."""
        vector = np.ascontiguousarray(embedding, dtype=EMBEDDING_DTYPE).ravel()
        if not journal:  # the hub carries no punch: this box's own learned template, come back, keeps its own
            kept = self._t.template.get_or_none(self._t.template.template_id == template_id)
            event_id = kept.event_id if kept else None
        record = TemplateRecord(template_id or uuid.uuid4().hex, person_id, model_id, vector, self._clock.now(),
                                kind, source, event_id)
        with self._t.db.atomic():
            self._t.template.insert(template_id=record.template_id, person_id=person_id, model_id=model_id,
                                    embedding=vector.tobytes(), created_us=to_us(record.created_at), kind=kind,
                                    source=source, event_id=event_id).on_conflict_replace().execute()
            if journal:
                self._journal.record("template", "upsert", record.template_id,
                                     {"person_id": person_id, "model_id": model_id, "embedding": vector.tobytes().hex(),
                                      "kind": kind, "source": source},
                                     to_us(record.created_at))
        return record

    def atomic(self):  # noqa: ANN201 - peewee's transaction context
        """A transaction on the templates' database (nests inside a caller's)."""
        return self._t.db.atomic()

    def for_person(self, person_id: str) -> list[TemplateRecord]:
        T = self._t.template
        return [_record(r) for r in T.select().where(T.person_id == person_id).order_by(T.created_us)]

    def learned_from(self, event_ids: list[int]) -> list[TemplateRecord]:
        """The learned templates kept from these punches (none for a punch that taught nothing)."""
        T = self._t.template
        return [_record(r) for r in T.select().where(T.event_id.in_(event_ids) & (T.kind == LEARNED))]

    def count(self, person_id: str) -> int:
        return self._t.template.select().where(self._t.template.person_id == person_id).count()

    def all(self) -> Iterator[TemplateRecord]:
        for row in self._t.template.select().order_by(self._t.template.created_us).iterator():
            yield _record(row)

    def delete(self, person_id: str, template_ids: list[str] | None = None, journal: bool = True) -> list[str]:
        """Delete some (or all, when `template_ids` is None) of a person's templates; return the ids removed."""
        T = self._t.template
        with self._t.db.atomic():
            query = T.select(T.template_id).where(T.person_id == person_id)
            if template_ids is not None:
                query = query.where(T.template_id.in_(template_ids))
            ids = [r.template_id for r in query]
            if ids:
                T.delete().where(T.template_id.in_(ids)).execute()
                self._journal.forget("template", "upsert", ids)
            if journal:
                now_us = to_us(self._clock.now())
                for template_id in ids:
                    self._journal.record("template", "delete", template_id, {"person_id": person_id}, now_us)
        if ids:  # leave no copy of the deleted embeddings in the WAL (a no-op inside a caller's transaction)
            purge_wal(self._t.db)
        return ids

    def purge(self) -> None:
        """After the commit of a caller's transaction that deleted templates: no copy of them left in the WAL."""
        purge_wal(self._t.db)


def _record(row) -> TemplateRecord:
    return TemplateRecord(row.template_id, row.person_id, row.model_id,
                          np.frombuffer(bytes(row.embedding), dtype=EMBEDDING_DTYPE), from_us(row.created_us),
                          row.kind, row.source, row.event_id)
