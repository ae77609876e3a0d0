"""Templates that carry several recognisers' embeddings in one vector under one model id.

A template made with SFace and the second recogniser (score fusion) stores both normalised
embeddings side by side, each scaled by 1/sqrt(k) so the whole vector has unit norm; its model
id joins the parts' ids with "+". The cosine of two such vectors is the mean of the parts'
cosines. A gallery that matches with a subset of the parts (fusion switched off, or a node
without the second model) takes its view of each stored template, so switching needs no
re-enrolment: only a template that lacks a part the node matches with is unusable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

SEPARATOR = "+"


@dataclass(frozen=True)
class EmbeddingLayout:
    """The ordered recognisers (model id, embedding size) whose embeddings make one vector."""

    parts: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, *parts: tuple[str, int]) -> EmbeddingLayout:
        if not parts:
            raise ValueError("a layout needs at least one recogniser")
        return cls(tuple(parts))

    @property
    def model_id(self) -> str:
        return SEPARATOR.join(model_id for model_id, _ in self.parts)

    @property
    def dim(self) -> int:
        return sum(dim for _, dim in self.parts)

    def join(self, vectors: Sequence[np.ndarray]) -> np.ndarray:
        """One unit vector from one embedding per part (each normalised, weighted equally)."""
        if len(vectors) != len(self.parts):
            raise ValueError(f"{self.model_id} has {len(self.parts)} parts, got {len(vectors)} embeddings")
        scale = 1.0 / math.sqrt(len(vectors))
        pieces = []
        for vector, (model_id, dim) in zip(vectors, self.parts):
            vec = np.asarray(vector, dtype=np.float32).reshape(-1)
            if vec.shape[0] != dim:
                raise ValueError(f"{model_id} embeddings have {dim} values, got {vec.shape[0]}")
            norm = float(np.linalg.norm(vec))
            pieces.append(vec * (scale / norm) if norm > 0 else vec)
        return np.concatenate(pieces).astype(np.float32)

    def view(self, model_id: str, vector: np.ndarray, known_dims: Mapping[str, int]) -> np.ndarray | None:
        """This layout's vector from a stored one of layout ``model_id``; None when a part is missing.

        The stored parts' sizes come from this layout and ``known_dims`` (with at most one unknown
        part, whose size is what remains); a vector that does not add up is refused (None).
        """
        stored_ids = model_id.split(SEPARATOR)
        vec = np.asarray(vector, dtype=np.float32).reshape(-1)
        known_dims = {**known_dims, **dict(self.parts)}
        unknown = [m for m in stored_ids if m not in known_dims]
        if len(unknown) > 1:
            return None
        sizes = {m: known_dims.get(m, 0) for m in stored_ids}
        if unknown:
            sizes[unknown[0]] = vec.shape[0] - sum(sizes.values())
        if sum(sizes.values()) != vec.shape[0] or min(sizes.values()) <= 0:
            return None
        offsets, start = {}, 0
        for m in stored_ids:
            offsets[m] = (start, start + sizes[m])
            start += sizes[m]
        if any(m not in offsets or offsets[m][1] - offsets[m][0] != dim for m, dim in self.parts):
            return None
        return self.join([vec[offsets[m][0]:offsets[m][1]] for m, _ in self.parts])

    def carries(self, model_id: str) -> bool:
        """Whether a template of layout ``model_id`` holds every part this layout matches with."""
        stored = set(model_id.split(SEPARATOR))
        return all(m in stored for m, _ in self.parts)
