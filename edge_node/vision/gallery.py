"""In-memory template gallery: one normalised float32 matrix, 1:N top-k by one matrix product."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

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
    Rows live in a preallocated matrix whose capacity doubles when full, so adding is amortised
    O(d); removal moves the last row into the hole. Not thread-safe: the caller serialises
    writes against searches.
    """

    def __init__(self, layout: EmbeddingLayout, capacity: int = 1024,
                 known_dims: Mapping[str, int] | None = None) -> None:
        self.layout = layout
        self.model_id = layout.model_id
        self.dim = layout.dim
        # Sizes of the recognisers stored templates may carry besides this layout's (``load``).
        self._known_dims = dict(known_dims or {})
        self._matrix = np.zeros((max(capacity, 1), self.dim), dtype=np.float32)
        self._penalty = np.zeros(max(capacity, 1), dtype=np.float32)  # subtracted from each row's cosine
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
        return self._matrix.shape[0]

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
        self._drop(template_id)
        self._templates_of[person].discard(template_id)
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
        ids = self._templates_of.get(person_id, set())
        if len(ids) < 2:
            if mean_id in self._row_of:
                self._drop(mean_id)
            return
        rows = [self._row_of[t] for t in ids]
        total = self._matrix[rows].sum(axis=0)
        penalty = float(self._penalty[rows].max())
        norm = float(np.linalg.norm(total))
        if mean_id in self._row_of:
            self._drop(mean_id)
        if norm > 0:
            self._put(mean_id, person_id, total / norm, penalty)

    def _put(self, template_id: str, person_id: str, unit: np.ndarray, penalty: float = 0.0) -> None:
        n = len(self._template_ids)
        if n == self.capacity:
            grown = np.zeros((self.capacity * 2, self.dim), dtype=np.float32)
            grown[:n] = self._matrix[:n]
            self._matrix = grown
            self._penalty = np.concatenate([self._penalty, np.zeros_like(self._penalty)])
        self._matrix[n] = unit
        self._penalty[n] = penalty
        self._template_ids.append(template_id)
        self._person_ids.append(person_id)
        self._row_of[template_id] = n
        self._per_person[person_id] += 1
        self._max_per_person = max(self._max_per_person, self._per_person[person_id])

    def _drop(self, template_id: str) -> None:
        row = self._row_of.pop(template_id)
        person = self._person_ids[row]
        last = len(self._template_ids) - 1
        if row != last:
            self._matrix[row] = self._matrix[last]
            self._penalty[row] = self._penalty[last]
            self._template_ids[row] = self._template_ids[last]
            self._person_ids[row] = self._person_ids[last]
            self._row_of[self._template_ids[row]] = row
        self._template_ids.pop()
        self._person_ids.pop()
        if self._per_person[person] == self._max_per_person:
            self._max_stale = True
        self._per_person[person] -= 1
        if self._per_person[person] == 0:
            del self._per_person[person]

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
        """(rows, their cosines to the query): every row, or in a large fused gallery the shortlist
        its first recogniser's part ranks highest (a fraction of the work), scored in full."""
        first = self.layout.parts[0][1]
        if n <= SHORTLIST_FROM or first == self.dim:
            return np.arange(n), self._matrix[:n] @ query - self._penalty[:n]
        coarse = self._matrix[:n, :first] @ query[:first]
        rows = np.argpartition(coarse, n - SHORTLIST)[n - SHORTLIST:]
        return rows, self._matrix[rows] @ query - self._penalty[rows]
