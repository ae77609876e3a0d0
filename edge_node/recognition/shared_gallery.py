"""A Gallery that many pipeline threads can search while enrolment and sync change it."""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

import numpy as np

from edge_node.vision.gallery import Gallery, StoredTemplate
from edge_node.vision.layout import EmbeddingLayout
from edge_node.vision.types import Match


class SharedGallery(Gallery):
    """The vision Gallery with every read and write behind one lock (a search over 100k fused templates
    takes a few ms: docs/recognition.md, "Gallery: 1:N search and memory")."""

    def __init__(self, layout: EmbeddingLayout, known_dims: Mapping[str, int] | None = None) -> None:
        super().__init__(layout, known_dims=known_dims)
        self._lock = threading.RLock()  # the base class calls its own public methods

    def load(self, templates: Iterable[StoredTemplate]) -> int:
        with self._lock:
            return super().load(templates)

    def add(self, template_id: str, person_id: str, embedding: np.ndarray, penalty: float = 0.0) -> None:
        with self._lock:
            super().add(template_id, person_id, embedding, penalty)

    def remove(self, template_id: str) -> bool:
        with self._lock:
            return super().remove(template_id)

    def remove_person(self, person_id: str) -> int:
        with self._lock:
            return super().remove_person(person_id)

    def clear(self) -> None:
        with self._lock:
            super().clear()

    def search(self, query: np.ndarray, top_k: int = 3) -> list[Match]:
        with self._lock:
            return super().search(query, top_k)
