"""In-memory template gallery: normalised float32 rows, 1:N top-k by matrix products.

A row is stored as two contiguous float32 blocks: the first recogniser's part (the "coarse" block)
and the rest (empty without score fusion). A row's cosine is the sum of the two blocks' products,
so a large fused gallery shortlists rows by the coarse part alone, then adds the rest for those rows.
The shortlist's first pass reads int8 codes of the coarse block (``vision/coarse_codes.py``), whose
error bound lets the exact float32 coarse products of a few candidates pick the same shortlist an
exact pass would: scores are exact float32, with an eighteenth of the bytes of one full product read.
Templates' rows come first and mean templates' rows after them, so the first pass reads the
templates' codes alone and derives each mean's approximation from its person's templates'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from edge_node.vision.coarse_codes import CoarseCodes, doubled
from edge_node.vision.layout import EmbeddingLayout
from edge_node.vision.types import Match


@dataclass(frozen=True)
class StoredTemplate:
    """A persisted template as the store hands it over."""

    template_id: str
    person_id: str
    model_id: str
    embedding: np.ndarray
    penalty: float = 0.0  # see Gallery.add


# A fused gallery beyond this many templates shortlists SHORTLIST rows by SFace's part of the score
# (a third of the work) before scoring them in full: a person the shortlist misses has an SFace
# cosine below those of SHORTLIST other templates, far below any match (README "Pipeline speed").
SHORTLIST_FROM = 20_000
SHORTLIST = 1_024
# Row id of a person's mean template: NUL cannot appear in a stored template id.
_MEAN = "\x00mean\x00"


def _is_mean(template_id: str) -> bool:
    return template_id.startswith(_MEAN)


class Gallery:
    """Templates in one embedding layout; several per person, person score = max over them.

    A person with two or more templates also has a mean template (the normalised mean of theirs),
    derived here and never stored: it averages out what differs between photos (pose, light) and
    lifts camera-grade faces' scores without lifting strangers' (README "Recognition accuracy").
    A template added with a penalty (a learned one) scores that much lower, and so does the mean of
    a person with such a template (the largest of their penalties).
    Rows live in preallocated blocks whose capacity doubles when full, so adding is amortised
    O(d); removal moves the last row of its kind into the hole (and the last mean into a template's
    freed row). Not thread-safe: the caller serialises
    writes against searches.
    """

    def __init__(self, layout: EmbeddingLayout, capacity: int = 1024,
                 known_dims: Mapping[str, int] | None = None) -> None:
        self.layout = layout
        self.model_id = layout.model_id
        self.dim = layout.dim
        # Sizes of the recognisers stored templates may carry besides this layout's (``load``).
        self._known_dims = dict(known_dims or {})
        self._first = layout.parts[0][1]  # columns of the coarse block
        self._coarse = np.zeros((max(capacity, 1), self._first), dtype=np.float32)
        self._rest = np.zeros((max(capacity, 1), self.dim - self._first), dtype=np.float32)
        self._penalty = np.zeros(max(capacity, 1), dtype=np.float32)  # subtracted from each row's cosine
        # Rows [0, _templates) are templates, the mean templates' rows follow; a template's row
        # holds its person's mean row here (0: no mean).
        self._templates = 0
        self._mean_of = np.zeros(max(capacity, 1), dtype=np.intp)
        # Int8 codes of the coarse block for the shortlist's first pass, made when first needed.
        self._codes: CoarseCodes | None = None
        self._template_ids: list[str] = []
        self._person_ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._templates_of: dict[str, set[str]] = {}  # a person's stored templates (not the mean)
        self._per_person: Counter[str] = Counter()  # rows per person, the mean included
        self._max_per_person = 0  # upper bound; recomputed lazily after removals
        self._max_stale = False

    def __len__(self) -> int:
        """Stored templates (mean templates are not counted)."""
        return sum(len(ids) for ids in self._templates_of.values())

    @property
    def capacity(self) -> int:
        return self._coarse.shape[0]

    def persons(self) -> int:
        """Number of distinct persons with at least one template."""
        return len(self._templates_of)

    def load(self, templates: Iterable[StoredTemplate]) -> int:
        """Add stored templates in this gallery's view; return how many were skipped (a recogniser
        this gallery matches with is missing from them)."""
        skipped = 0
        for t in templates:
            vector = self.view(t.model_id, t.embedding)
            if vector is None:
                skipped += 1
                continue
            self.add(t.template_id, t.person_id, vector, t.penalty)
        return skipped

    def view(self, model_id: str, embedding: np.ndarray) -> np.ndarray | None:
        """A stored template's vector in this gallery's layout, or None when it cannot serve."""
        return self.layout.view(model_id, embedding, self._known_dims)

    def add(self, template_id: str, person_id: str, embedding: np.ndarray, penalty: float = 0.0) -> None:
        """Add (or replace) one template; the embedding is L2-normalised here. A match through it
        scores ``penalty`` lower (a learned template must clear the threshold by that much more)."""
        vec = np.asarray(embedding, dtype=np.float32).reshape(-1)
        if vec.shape[0] != self.dim:
            raise ValueError(f"embedding has {vec.shape[0]} values, gallery expects {self.dim}")
        norm = float(np.linalg.norm(vec))
        if not np.isfinite(norm) or norm == 0.0:
            raise ValueError("embedding is zero or not finite")
        if template_id in self._row_of:
            self.remove(template_id)
        self._put(template_id, person_id, vec / norm, penalty)
        self._templates_of.setdefault(person_id, set()).add(template_id)
        self._refresh_mean(person_id)

    def remove(self, template_id: str) -> bool:
        """Remove one template; False when it is not in the gallery."""
        row = self._row_of.get(template_id)
        if row is None or _is_mean(template_id):
            return False
        person = self._person_ids[row]
        self._templates_of[person].discard(template_id)
        self._drop(template_id)
        if not self._templates_of[person]:
            del self._templates_of[person]
        self._refresh_mean(person)
        return True

    def clear(self) -> None:
        """Remove every template (capacity is kept)."""
        self._template_ids.clear()
        self._person_ids.clear()
        self._row_of.clear()
        self._templates_of.clear()
        self._per_person.clear()
        self._templates = 0
        self._max_per_person = 0
        self._max_stale = False

    def remove_person(self, person_id: str) -> int:
        """Remove all of a person's templates; return how many."""
        ids = list(self._templates_of.get(person_id, ()))
        for t in ids:
            self.remove(t)
        return len(ids)

    def _refresh_mean(self, person_id: str) -> None:
        """Recompute (or drop) the person's mean template from their stored ones."""
        mean_id = _MEAN + person_id
        rows = self._template_rows(person_id)
        self._mean_of[rows] = 0
        if mean_id in self._row_of:
            self._drop(mean_id)
        if len(rows) < 2:
            return
        total = np.concatenate([self._coarse[rows].sum(axis=0), self._rest[rows].sum(axis=0)])
        penalty = float(self._penalty[rows].max())
        norm = float(np.linalg.norm(total))
        if norm > 0:
            self._put(mean_id, person_id, total / norm, penalty)

    def _template_rows(self, person_id: str) -> list[int]:
        return [self._row_of[t] for t in self._templates_of.get(person_id, ())]

    def _put(self, template_id: str, person_id: str, unit: np.ndarray, penalty: float = 0.0) -> None:
        """Write a row: a template's after the last template (the first mean moves to the end), a
        mean's at the end, linked from its person's templates."""
        n = len(self._template_ids)
        if n == self.capacity:
            self._coarse, self._rest = doubled(self._coarse, n), doubled(self._rest, n)
            self._penalty, self._mean_of = doubled(self._penalty, n), doubled(self._mean_of, n)
            if self._codes is not None:
                self._codes.grow(n)
        self._template_ids.append(template_id)
        self._person_ids.append(person_id)
        mean = _is_mean(template_id)
        row = n
        if not mean:
            row = self._templates
            if row < n:
                self._move(row, n)
            self._templates += 1
        self._template_ids[row] = template_id
        self._person_ids[row] = person_id
        self._coarse[row] = unit[: self._first]
        self._rest[row] = unit[self._first:]
        self._penalty[row] = penalty
        self._mean_of[row] = 0
        self._row_of[template_id] = row
        if mean:
            sources = self._template_rows(person_id)
            self._mean_of[sources] = row
            if self._codes is not None:
                one_owner = np.zeros(len(sources), dtype=np.intp)
                self._codes.derive(np.array([row]), self._coarse[row], np.array(sources), one_owner)
        elif self._codes is not None:
            self._codes.put(row, self._coarse[row])
        self._per_person[person_id] += 1
        self._max_per_person = max(self._max_per_person, self._per_person[person_id])

    def _drop(self, template_id: str) -> None:
        """Remove a row: a template's hole is filled by the last template and that one's by the
        last mean; a mean's by the last mean."""
        row = self._row_of.pop(template_id)
        person = self._person_ids[row]
        last = len(self._template_ids) - 1
        if not _is_mean(template_id):
            self._templates -= 1
            if row != self._templates:
                self._move(self._templates, row)
            row = self._templates
        if row != last:
            self._move(last, row)
        self._template_ids.pop()
        self._person_ids.pop()
        if self._per_person[person] == self._max_per_person:
            self._max_stale = True
        self._per_person[person] -= 1
        if self._per_person[person] == 0:
            del self._per_person[person]

    def _move(self, source: int, target: int) -> None:
        """Copy row ``source`` over row ``target``; a moved mean's templates follow it."""
        for block in (self._coarse, self._rest, self._penalty, self._mean_of):
            block[target] = block[source]
        if self._codes is not None:
            self._codes.move(source, target)
        template_id, person = self._template_ids[source], self._person_ids[source]
        self._template_ids[target], self._person_ids[target] = template_id, person
        self._row_of[template_id] = target
        if _is_mean(template_id):
            self._mean_of[self._template_rows(person)] = target

    def search(self, query: np.ndarray, top_k: int = 3) -> list[Match]:
        """Best ``top_k`` persons for a normalised query, highest cosine first (a match through a
        person's mean template carries no template id)."""
        n = len(self._template_ids)
        if n == 0 or top_k <= 0:
            return []
        rows, scores = self._scores(np.asarray(query, dtype=np.float32).reshape(-1), n)
        if self._max_stale:
            self._max_per_person = max(self._per_person.values())
            self._max_stale = False
        # The top-k persons' best templates are all among the top k * (max templates per person).
        m = min(len(rows), top_k * self._max_per_person)
        cand = np.argpartition(scores, len(rows) - m)[len(rows) - m :] if m < len(rows) else np.arange(len(rows))
        cand = cand[np.argsort(-scores[cand], kind="stable")]
        matches: list[Match] = []
        seen: set[str] = set()
        for i in cand:
            person = self._person_ids[rows[i]]
            if person in seen:
                continue
            seen.add(person)
            template_id = self._template_ids[rows[i]]
            matches.append(Match(person_id=person, score=float(scores[i]),
                                 template_id="" if _is_mean(template_id) else template_id))
            if len(matches) == top_k:
                break
        return matches

    def _scores(self, query: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, their cosines to the query, less their penalties): every row, or in a large fused
        gallery the SHORTLIST rows whose first-recogniser part scores highest, the rest added."""
        head, tail = query[: self._first], query[self._first:]
        if not tail.size:
            return np.arange(n), self._coarse[:n] @ head - self._penalty[:n]
        if n <= SHORTLIST_FROM:
            return np.arange(n), self._coarse[:n] @ head + self._rest[:n] @ tail - self._penalty[:n]
        if self._codes is None:
            self._codes = self._coded(n)
        candidates = self._codes.candidates(head, n, SHORTLIST, self._templates, self._mean_of)
        coarse = self._coarse[candidates] @ head
        best = np.argpartition(coarse, len(candidates) - SHORTLIST)[len(candidates) - SHORTLIST:]
        rows = candidates[best]
        return rows, coarse[best] + self._rest[rows] @ tail - self._penalty[rows]

    def _coded(self, n: int) -> CoarseCodes:
        """Codes of the templates' coarse rows, and each mean derived from its person's templates."""
        codes = CoarseCodes.of(self._coarse, self._templates)
        sources = np.flatnonzero(self._mean_of[: self._templates])
        if n > self._templates:
            means = np.arange(self._templates, n)
            codes.derive(means, self._coarse[means], sources, self._mean_of[sources] - self._templates)
        return codes
