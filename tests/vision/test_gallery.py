"""Gallery: per-person max (mean template included), top-k against brute force, add/remove
bookkeeping and growth."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from edge_node.vision.gallery import Gallery, StoredTemplate
from edge_node.vision.layout import EmbeddingLayout


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, 128)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 120), persons=st.integers(1, 30),
       top_k=st.integers(1, 6), removals=st.integers(0, 20))
def test_search_equals_brute_force(seed: int, n: int, persons: int, top_k: int, removals: int) -> None:
    rng = np.random.default_rng(seed)
    vecs = _unit(rng, n)
    owners = rng.integers(0, persons, n)
    gallery = Gallery(EmbeddingLayout.of(("m", 128)), capacity=4)
    for i in range(n):
        gallery.add(f"t{i}", f"p{owners[i]}", vecs[i])
    alive = set(range(n))
    for i in rng.choice(n, min(removals, n - 1), replace=False):
        assert gallery.remove(f"t{i}")
        alive.discard(int(i))
    query = _unit(rng, 1)[0]
    best: dict[str, float] = {}
    for i in alive:
        p = f"p{owners[i]}"
        best[p] = max(best.get(p, -2.0), float(vecs[i] @ query))
    for p in best:  # a person with two or more templates also has their normalised mean
        rows = [vecs[i] for i in alive if f"p{owners[i]}" == p]
        if len(rows) >= 2:
            mean = np.sum(rows, axis=0)
            best[p] = max(best[p], float(mean @ query / np.linalg.norm(mean)))
    expected = sorted(best.items(), key=lambda kv: -kv[1])[:top_k]
    got = gallery.search(query, top_k)
    assert [m.person_id for m in got] == [p for p, _ in expected]
    np.testing.assert_allclose([m.score for m in got], [s for _, s in expected], atol=1e-5)
    assert len(gallery) == len(alive) and gallery.persons() == len(best)


def test_growth_is_geometric_and_rows_survive() -> None:
    rng = np.random.default_rng(1)
    vecs = _unit(rng, 100)
    gallery = Gallery(EmbeddingLayout.of(("m", 128)), capacity=8)
    capacities = set()
    for i, v in enumerate(vecs):
        gallery.add(f"t{i}", "p", v)
        capacities.add(gallery.capacity)
    assert capacities == {8, 16, 32, 64, 128}  # 100 templates and the person's mean
    assert gallery.search(vecs[57], 1)[0].template_id == "t57"


def test_a_mean_template_follows_its_persons_templates() -> None:
    rng = np.random.default_rng(3)
    a, b, c = _unit(rng, 3)
    gallery = Gallery(EmbeddingLayout.of(("m", 128)))
    gallery.add("t1", "ann", a)
    mean_probe = (a + b) / np.linalg.norm(a + b)
    assert gallery.search(mean_probe, 1)[0].template_id == "t1"  # one template: no mean
    gallery.add("t2", "ann", b)
    found = gallery.search(mean_probe, 1)[0]
    assert found.template_id == "" and found.score == pytest.approx(1.0, abs=1e-5)  # through the mean
    assert len(gallery) == 2 and gallery.persons() == 1
    gallery.add("t3", "ann", c)
    assert gallery.search(mean_probe, 1)[0].score < 0.99  # the mean moved with the new template
    assert gallery.remove("t3") and gallery.search(mean_probe, 1)[0].score == pytest.approx(1.0, abs=1e-5)
    assert gallery.remove("t2") and gallery.search(mean_probe, 1)[0].template_id == "t1"
    assert gallery.remove_person("ann") == 1 and len(gallery) == 0 and gallery.search(mean_probe) == []


def test_replace_remove_person_clear_and_model_filter() -> None:
    rng = np.random.default_rng(2)
    a, b, c = _unit(rng, 3)
    gallery = Gallery(EmbeddingLayout.of(("sface-1", 128)))
    skipped = gallery.load([StoredTemplate("t1", "alice", "sface-1", a), StoredTemplate("t2", "bob", "other", b),
                            StoredTemplate("t3", "alice", "sface-1", c)])
    assert skipped == 1 and len(gallery) == 2
    gallery.add("t1", "alice", b * 5)  # replacing re-normalises
    assert abs(gallery.search(b, 1)[0].score - 1.0) < 1e-6
    assert gallery.remove_person("alice") == 2 and len(gallery) == 0 and gallery.search(a) == []
    assert not gallery.remove("t1")
    gallery.add("x", "z", a)
    gallery.clear()
    assert len(gallery) == 0 and gallery.persons() == 0


@pytest.mark.parametrize("bad", [np.zeros(128), np.ones(64), np.full(128, np.nan)])
def test_rejects_bad_embeddings(bad: np.ndarray) -> None:
    with pytest.raises(ValueError):
        Gallery(EmbeddingLayout.of(("m", 128))).add("t", "p", bad)
