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


# A fused gallery beyond this many templates shortlists SHORTLIST rows by SFace's part of the score
# (a third of the work) before scoring them in full: a person the shortlist misses has an SFace
# cosine below those of SHORTLIST other templates, far below any match (README "Pipeline speed").
SHORTLIST_FROM = 20_000
SHORTLIST = 1_024


class Gallery:
    """Templates in one embedding layout; several per person, person score = max over them.

    Rows live in a preallocated matrix whose capacity doubles when full, so adding is
    amortised O(d); removal moves the last row into the hole. Not thread-safe: the caller
    serialises writes against searches.
    """

    def __init__(self, layout: EmbeddingLayout, capacity: int = 1024,
                 known_dims: Mapping[str, int] | None = None) -> None:
        self.layout = layout
        self.model_id = layout.model_id
        self.dim = layout.dim
        # Sizes of the recognisers stored templates may carry besides this layout's (``load``).
        self._known_dims = dict(known_dims or {})
        self._matrix = np.zeros((max(capacity, 1), self.dim), dtype=np.float32)
        self._template_ids: list[str] = []
        self._person_ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._per_person: Counter[str] = Counter()
        self._max_per_person = 0  # upper bound; recomputed lazily after removals
        self._max_stale = False

    def __len__(self) -> int:
        return len(self._template_ids)

    @property
    def capacity(self) -> int:
        return self._matrix.shape[0]

    def persons(self) -> int:
        """Number of distinct persons with at least one template."""
        return len(self._per_person)

    def load(self, templates: Iterable[StoredTemplate]) -> int:
        """Add stored templates in this gallery's view; return how many were skipped (a recogniser
        this gallery matches with is missing from them)."""
        skipped = 0
        for t in templates:
            vector = self.view(t.model_id, t.embedding)
            if vector is None:
                skipped += 1
                continue
            self.add(t.template_id, t.person_id, vector)
        return skipped

    def view(self, model_id: str, embedding: np.ndarray) -> np.ndarray | None:
        """A stored template's vector in this gallery's layout, or None when it cannot serve."""
        return self.layout.view(model_id, embedding, self._known_dims)

    def add(self, template_id: str, person_id: str, embedding: np.ndarray) -> None:
        """Add (or replace) one template; the embedding is L2-normalised here."""
        vec = np.asarray(embedding, dtype=np.float32).reshape(-1)
        if vec.shape[0] != self.dim:
            raise ValueError(f"embedding has {vec.shape[0]} values, gallery expects {self.dim}")
        norm = float(np.linalg.norm(vec))
        if not np.isfinite(norm) or norm == 0.0:
            raise ValueError("embedding is zero or not finite")
        if template_id in self._row_of:
            self.remove(template_id)
        n = len(self)
        if n == self.capacity:
            grown = np.zeros((self.capacity * 2, self.dim), dtype=np.float32)
            grown[:n] = self._matrix[:n]
            self._matrix = grown
        self._matrix[n] = vec / norm
        self._template_ids.append(template_id)
        self._person_ids.append(person_id)
        self._row_of[template_id] = n
        self._per_person[person_id] += 1
        self._max_per_person = max(self._max_per_person, self._per_person[person_id])

    def remove(self, template_id: str) -> bool:
        """Remove one template; False when it is not in the gallery."""
        row = self._row_of.pop(template_id, None)
        if row is None:
            return False
        person = self._person_ids[row]
        last = len(self) - 1
        if row != last:
            self._matrix[row] = self._matrix[last]
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
        return True

    def clear(self) -> None:
        """Remove every template (capacity is kept)."""
        self._template_ids.clear()
        self._person_ids.clear()
        self._row_of.clear()
        self._per_person.clear()
        self._max_per_person = 0
        self._max_stale = False

    def remove_person(self, person_id: str) -> int:
        """Remove all of a person's templates; return how many."""
        ids = [t for t, p in zip(self._template_ids, self._person_ids) if p == person_id]
        for t in ids:
            self.remove(t)
        return len(ids)

    def search(self, query: np.ndarray, top_k: int = 3) -> list[Match]:
        """Best ``top_k`` persons for a normalised query, highest cosine first."""
        n = len(self)
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
            matches.append(Match(person_id=person, score=float(scores[i]), template_id=self._template_ids[rows[i]]))
            if len(matches) == top_k:
                break
        return matches

    def _scores(self, query: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, their cosines to the query): every row, or in a large fused gallery the shortlist
        its first recogniser's part ranks highest (a fraction of the work), scored in full."""
        first = self.layout.parts[0][1]
        if n <= SHORTLIST_FROM or first == self.dim:
            return np.arange(n), self._matrix[:n] @ query
        coarse = self._matrix[:n, :first] @ query[:first]
        rows = np.argpartition(coarse, n - SHORTLIST)[n - SHORTLIST:]
        return rows, self._matrix[rows] @ query
