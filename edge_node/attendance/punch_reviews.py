"""Punch review: the camera punches a manager should look at, and the small face crop kept of each.

A row per punch (keyed by its event id) holds why it is suspicious, its margins and, by the site's
crop policy, a JPEG of the face. A punch a correction (void or move) later names is listed too, from
the log itself. Crops go after the retention and with the person's erasure; marking a punch reviewed
is kept on the chained log with the actor.
"""
from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from edge_node.attendance.corrections import MAX_REASON_CHARS, Corrections
from edge_node.attendance.model import Event
from edge_node.attendance.review_config import ReviewConfig
from edge_node.attendance.rows import event_from_row
from edge_node.attendance.writer import EventWriter
from edge_node.common.clock import Clock
from edge_node.common.errors import InvalidArgument, NotFound
from edge_node.storage.schema import Tables, purge_wal
from edge_node.storage.timestamps import from_us, to_us

PRUNE_EVERY = timedelta(hours=1)
MAX_CROP_BYTES = 64 * 1024
_PUNCHES = ("ENTRY", "EXIT")
# Punches in [start, end) that a void or a move names.
_CORRECTED = ("SELECT DISTINCT p.id FROM event p JOIN event c ON c.ref_seq = p.id"
              " WHERE p.occurred_us >= ? AND p.occurred_us < ? AND p.event_type IN ('ENTRY', 'EXIT')"
              " AND c.event_type IN ('PUNCH_VOIDED', 'PUNCH_MOVED')")


class ReviewReason(enum.Enum):
    LOW_LIVENESS_MARGIN = "LOW_LIVENESS_MARGIN"
    LOW_MATCH_MARGIN = "LOW_MATCH_MARGIN"
    LEARNED_TEMPLATE = "LEARNED_TEMPLATE"
    LIVENESS_DOUBT = "LIVENESS_DOUBT"
    CORRECTED = "CORRECTED"


@dataclass(frozen=True)
class PunchEvidence:
    """What the check-in path knows of a punch: why to review it, its margins, the crop (or None)."""

    reasons: tuple[ReviewReason, ...]
    match_margin: float
    runner_up_margin: float
    liveness_margin: float
    crop: bytes | None


@dataclass(frozen=True)
class PunchReview:
    event: Event
    reasons: tuple[ReviewReason, ...]
    match_margin: float = 0.0
    runner_up_margin: float = 0.0
    liveness_margin: float = 0.0
    crop: bytes | None = None
    has_crop: bool = False
    reviewed_at: datetime | None = None
    reviewed_by: str = ""
    note: str = ""


class PunchReviews:
    def __init__(self, tables: Tables, clock: Clock, writer: EventWriter, corrections: Corrections,
                 config: Callable[[], ReviewConfig]) -> None:
        self._t = tables
        self._writer = writer
        self._clock = clock
        self._corrections = corrections
        self._config = config
        self._lock = threading.Lock()
        self._next_prune: datetime | None = None

    def keep(self, event: Event, evidence: PunchEvidence) -> None:
        """Store a camera punch's evidence when it is to be reviewed or its crop kept; prune when due."""
        if not evidence.reasons and evidence.crop is None:
            return
        if not event.event_type.counted:
            return
        crop = evidence.crop if evidence.crop is not None and len(evidence.crop) <= MAX_CROP_BYTES else None
        with self._writer.transaction():
            self._t.punch_review.insert(
                event_id=event.event_id, person_id=event.person_id, occurred_us=to_us(event.occurred_at),
                reasons=",".join(r.value for r in evidence.reasons), match_margin=evidence.match_margin,
                runner_up_margin=evidence.runner_up_margin, liveness_margin=evidence.liveness_margin, crop=crop,
                reviewed_by="", note="").on_conflict_replace().execute()
        self.prune_if_due()

    def list(self, start: datetime | None, end: datetime | None, include_reviewed: bool = False,
             with_crops: bool = True) -> list[PunchReview]:
        """The punches to review in [start, end), oldest first: those kept with reasons and those corrected."""
        start_us = to_us(start) if start else 0
        end_us = to_us(end) if end else to_us(self._clock.now()) + 1
        if end_us <= start_us:
            raise InvalidArgument("end_time must be after start_time")
        R, E = self._t.punch_review, self._t.event
        corrected = {row[0] for row in self._t.db.execute_sql(_CORRECTED, (start_us, end_us))}
        # The listed rows without their crops (under crops = "all" most rows are clear punches' crops).
        columns = (R.event_id, R.reasons, R.match_margin, R.runner_up_margin, R.liveness_margin, R.reviewed_us,
                   R.reviewed_by, R.note, R.crop.is_null(False).alias("has_crop"))
        kept = {r.event_id: r for r in R.select(*columns).where(
            (R.occurred_us >= start_us) & (R.occurred_us < end_us) & ((R.reasons != "") | R.event_id.in_(list(corrected))))}
        ids = sorted(corrected | set(kept))
        if not ids:
            return []
        events = {e.id: event_from_row(e) for e in E.select().where(E.id.in_(ids))}
        crops = ({r.event_id: bytes(r.crop) for r in R.select(R.event_id, R.crop).where(
            R.event_id.in_(ids) & R.crop.is_null(False))} if with_crops else {})
        reviews = [self._review(events[i], kept.get(i), i in corrected, crops.get(i)) for i in ids if i in events]
        return [r for r in reviews if include_reviewed or r.reviewed_at is None]

    def get(self, event_id: int) -> PunchReview:
        """One punch's review entry (with its crop), listed or not."""
        E, R = self._t.event, self._t.punch_review
        row = E.get_or_none(E.id == event_id)
        if row is None or row.event_type not in _PUNCHES:
            raise NotFound(f"event {event_id} is not a camera punch on this node (ENTRY or EXIT)")
        corrected = self._t.db.execute_sql(
            "SELECT 1 FROM event WHERE ref_seq = ? AND event_type IN ('PUNCH_VOIDED', 'PUNCH_MOVED') LIMIT 1",
            (event_id,)).fetchone() is not None
        kept = R.get_or_none(R.event_id == event_id)
        return self._review(event_from_row(row), kept, corrected, bytes(kept.crop) if kept and kept.crop else None)

    def mark_reviewed(self, event_id: int, note: str, actor: str) -> tuple[PunchReview, Event]:
        """Mark a punch reviewed; the ADMIN event keeping it on the chained log is returned too."""
        if event_id <= 0:
            raise InvalidArgument(f"event_id must be positive (got {event_id})")
        if not note.strip() or len(note) > MAX_REASON_CHARS or "\x00" in note:
            raise InvalidArgument(f"note is required: what you found, 1-{MAX_REASON_CHARS} characters")
        with self._writer.transaction():
            review = self.get(event_id)
            audit = self._corrections.admin_action(actor, f"reviewed punch {event_id}: {note}")
            R = self._t.punch_review
            at_us = to_us(audit.occurred_at)
            if R.get_or_none(R.event_id == event_id) is None:
                R.insert(event_id=event_id, person_id=review.event.person_id,
                         occurred_us=to_us(review.event.occurred_at), reasons="", match_margin=0.0,
                         runner_up_margin=0.0, liveness_margin=0.0, crop=None, reviewed_by="", note="").execute()
            R.update(reviewed_us=at_us, reviewed_by=actor, note=note).where(R.event_id == event_id).execute()
        return self.get(event_id), audit

    def delete_person(self, person_id: str) -> int:
        """Erasure and person delete: drop the person's crops (the review entries stay, without a face), inside
        the caller's transaction, which empties the WAL after its commit; returns how many. No lock of its own:
        erasure holds the event writer's, delete the registry's, each taking them in its own order."""
        R = self._t.punch_review
        return R.update(crop=None).where((R.person_id == person_id) & R.crop.is_null(False)).execute()

    def prune_if_due(self) -> None:
        now = self._clock.now()
        with self._lock:
            if self._next_prune is not None and now < self._next_prune:
                return
            self._next_prune = now + PRUNE_EVERY
        self.prune()

    def prune(self) -> int:
        """Delete the crops older than the retention (rows without reasons go entirely); returns crops removed."""
        days = self._config().retention_days
        if days <= 0:
            return 0
        cutoff_us = to_us(self._clock.now() - timedelta(days=days))
        R = self._t.punch_review
        old = (R.occurred_us < cutoff_us)
        with self._writer.transaction():
            removed = R.update(crop=None).where(old & R.crop.is_null(False)).execute()
            R.delete().where(old & (R.reasons == "") & R.reviewed_us.is_null()).execute()
        if removed:
            purge_wal(self._t.db)
        return removed

    @staticmethod
    def _review(event: Event, row, corrected: bool, crop: bytes | None) -> PunchReview:
        """The entry of a punch from its row (None: only corrected); `row.has_crop` or its `crop` says if one is kept."""
        reasons = tuple(ReviewReason(r) for r in row.reasons.split(",") if r) if row is not None else ()
        if corrected:
            reasons = (*reasons, ReviewReason.CORRECTED)
        if row is None:
            return PunchReview(event, reasons)
        return PunchReview(event, reasons, row.match_margin, row.runner_up_margin, row.liveness_margin,
                           crop, bool(getattr(row, "has_crop", row.crop is not None)),
                           from_us(row.reviewed_us) if row.reviewed_us is not None else None, row.reviewed_by,
                           row.note)
