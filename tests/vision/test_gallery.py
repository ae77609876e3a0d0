"""Gallery: per-person max (mean template included), top-k against brute force (also for a large
fused gallery's shortlist over int8 codes, on random and real embeddings), add/remove bookkeeping
and growth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from edge_node.vision import FacePipeline
from edge_node.vision.coarse_codes import CoarseCodes
from edge_node.vision.gallery import SHORTLIST_FROM, Gallery, StoredTemplate
from edge_node.vision.layout import EmbeddingLayout
from edge_node.vision.types import Match

FUSED = EmbeddingLayout.of(("s", 128), ("r", 256))


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
    people = [f"p{owners[i]}" for i in sorted(alive)]
    expected = _brute_force(vecs[sorted(alive)], people, query, top_k)
    got = gallery.search(query, top_k)
    assert [m.person_id for m in got] == [p for p, _ in expected]
    np.testing.assert_allclose([m.score for m in got], [s for _, s in expected], atol=1e-5)
    assert len(gallery) == len(alive) and gallery.persons() == len(set(people))


def _brute_force(units: np.ndarray, people: list[str], query: np.ndarray, top_k: int,
                 penalties: np.ndarray | None = None) -> list[tuple[str, float]]:
    """The best ``top_k`` (person, score) by exact float32 cosines over every template and every
    mean template (a person with two or more templates also has their normalised mean), less each
    template's penalty (a mean's: the largest of its templates')."""
    penalties = np.zeros(len(units), dtype=np.float32) if penalties is None else penalties
    scores = units @ query - penalties
    best: dict[str, float] = {}
    rows_of: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        best[p] = max(best.get(p, -2.0), float(scores[i]))
        rows_of.setdefault(p, []).append(i)
    for p, rows in rows_of.items():
        if len(rows) >= 2:
            mean = units[rows].sum(axis=0)
            score = float((mean / np.linalg.norm(mean)).astype(np.float32) @ query) - float(penalties[rows].max())
            best[p] = max(best[p], score)
    return sorted(best.items(), key=lambda kv: -kv[1])[:top_k]


def _assert_same(got: list[Match], expected: list[tuple[str, float]]) -> None:
    assert [m.person_id for m in got] == [p for p, _ in expected]
    np.testing.assert_allclose([m.score for m in got], [s for _, s in expected], rtol=0, atol=1e-6)


def _fused_units(rng: np.random.Generator, n: int) -> np.ndarray:
    """n random unit vectors in the fused layout (each part normalised, as ``join`` makes them)."""
    return np.stack([FUSED.join([rng.standard_normal(128), rng.standard_normal(256)]) for _ in range(n)])


def test_a_large_fused_gallery_finds_look_alikes_exactly_as_brute_force() -> None:
    """Families of three look-alike people, two templates each (a fifth of them learned, with a
    penalty), beyond SHORTLIST_FROM templates: a probe of one person must bring back the family in
    brute force's order and scores."""
    rng = np.random.default_rng(11)
    families = SHORTLIST_FROM // 6 + 100
    centres = _fused_units(rng, families)
    units, people = [], []
    for f in range(families):
        for member in range(3):
            face = centres[f] + 0.7 * _fused_units(rng, 1)[0]
            for _ in range(2):
                units.append(face + 0.3 * _fused_units(rng, 1)[0])
                people.append(f"f{f}m{member}")
    units = np.asarray(units, dtype=np.float32)
    units /= np.linalg.norm(units, axis=1, keepdims=True)
    penalties = np.where(np.arange(len(units)) % 5 == 0, 0.03, 0.0).astype(np.float32)  # some learned
    gallery = Gallery(FUSED)
    for i, (unit, person) in enumerate(zip(units, people)):
        gallery.add(f"t{i}", person, unit, float(penalties[i]))
    assert len(gallery) > SHORTLIST_FROM
    alive = list(range(len(units)))
    for k in range(30):
        if k == 15:  # the codes follow removals (the last row moves into the hole) and additions
            for i in rng.choice(len(units), 500, replace=False):
                assert gallery.remove(f"t{i}")
                alive.remove(int(i))
            for i in alive[:200]:
                gallery.add(f"again{i}", people[i], units[i], float(penalties[i]))
            alive += alive[:200]
        row = int(rng.choice(alive))
        probe = units[row] + 0.4 * _fused_units(rng, 1)[0]
        probe = (probe / np.linalg.norm(probe)).astype(np.float32)
        expected = _brute_force(units[alive], [people[i] for i in alive], probe, 3, penalties[alive])
        assert expected[0][0] == people[row]
        _assert_same(gallery.search(probe, 3), expected)


def test_a_large_fused_gallery_decides_real_faces_exactly_as_brute_force(
        empty_gallery_pipeline: FacePipeline, data_dir: Path) -> None:
    """Real fused embeddings (two enrolment photos a person) among random fillers beyond
    SHORTLIST_FROM templates; each person's next photo is the probe."""
    pipe = empty_gallery_pipeline
    units, people, probes = [], [], []
    for person in sorted((data_dir / "faces").iterdir())[:30]:
        embeddings = [obs.embedding for photo in sorted(person.glob("*.jpg"))[:3]
                      if (obs := pipe.observe_enrolment(photo.read_bytes())) is not None]
        if len(embeddings) == 3:
            units += embeddings[:2]
            people += [person.name] * 2
            probes.append(embeddings[2])
    assert len(probes) >= 20 and units[0].shape == (pipe.gallery.dim,)
    if pipe.gallery.dim == 128:
        pytest.skip("the pipeline matches with SFace alone: no shortlist")
    rng = np.random.default_rng(5)
    fillers = rng.standard_normal((SHORTLIST_FROM + 500 - len(units), pipe.gallery.dim)).astype(np.float32)
    units = np.concatenate([np.asarray(units, dtype=np.float32),
                            fillers / np.linalg.norm(fillers, axis=1, keepdims=True)])
    people += [f"filler{i // 2}" for i in range(len(fillers))]
    gallery = Gallery(pipe.gallery.layout)
    for i, (unit, person) in enumerate(zip(units, people)):
        gallery.add(f"t{i}", person, unit)
    for probe in probes:
        _assert_same(gallery.search(probe, 3), _brute_force(units, people, probe, 3))


@pytest.mark.parametrize("ort", [True, False], ids=["onnxruntime", "numpy"])
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(50, 3_000), k=st.integers(1, 40),
       spread=st.floats(0.01, 3.0))
def test_coarse_codes_keep_every_row_of_the_exact_top_k(ort: bool, seed: int, n: int, k: int, spread: float) -> None:
    """Whatever the rows' lengths and spread, the candidates hold the exact top k (ties included),
    with the first pass in ONNX Runtime (int8 query columns) or numpy (the float32 query)."""
    rng = np.random.default_rng(seed)
    rows = (rng.standard_normal((n, 128)) * rng.uniform(0.05, 1.0, (n, 1))
            + spread * rng.standard_normal(128)).astype(np.float32)
    codes = CoarseCodes(4, 128, ort)
    for i, row in enumerate(rows):
        if i == codes.capacity:
            codes.grow(i)
        codes.put(i, row)
    query = rng.standard_normal(128).astype(np.float32)
    # A block encodes as its rows one by one.
    assert np.array_equal(CoarseCodes.of(rows, n, ort).approximate(query, n), codes.approximate(query, n))
    exact = rows @ query
    kth = np.sort(exact)[n - k]
    candidates = set(codes.candidates(query, n, k).tolist())
    assert set(np.flatnonzero(exact >= kth).tolist()) <= candidates
    assert np.all(np.abs(codes.approximate(query, n) - exact) <= codes.error(query, n))


@pytest.mark.parametrize("ort", [True, False], ids=["onnxruntime", "numpy"])
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 2_000), k=st.integers(1, 40),
       noise=st.floats(0.0, 0.5))
def test_derived_rows_keep_the_bound_and_the_exact_top_k(ort: bool, seed: int, n: int, k: int, noise: float) -> None:
    """Rows derived from groups of encoded rows (a mean's from its templates), however far from
    their group's sum, are approximated within their error, and the candidates hold the exact top k."""
    rng = np.random.default_rng(seed)
    encoded = _unit(rng, n)
    owners = rng.integers(0, max(1, n // 3), n)
    groups = np.unique(owners)
    away = _unit(rng, len(groups))  # how far each derived row is from its group's sum
    derived = np.stack([encoded[owners == g].sum(axis=0) for g in groups]) + noise * away
    derived = (derived / np.linalg.norm(derived, axis=1, keepdims=True)).astype(np.float32)
    rows = np.concatenate([encoded, derived])
    total = len(rows)
    codes = CoarseCodes.of(rows, n, ort)
    codes.derive(np.arange(n, total), derived, np.arange(n), np.searchsorted(groups, owners))
    feeds = np.concatenate([n + np.searchsorted(groups, owners), np.zeros(len(groups), dtype=int)])
    for probe in (away[0], rng.standard_normal(128).astype(np.float32)):  # the first probe meets an error head-on
        error = np.abs(codes.approximate(probe, total, n, feeds) - rows @ probe)
        assert np.all(error <= codes.error(probe, total))
    query = rng.standard_normal(128).astype(np.float32)
    exact = rows @ query
    k = min(k, total - 1)
    needed = set(np.flatnonzero(exact >= np.sort(exact)[total - k]).tolist())
    assert needed <= set(codes.candidates(query, total, k, n, feeds).tolist())


def test_a_large_gallerys_codes_follow_every_change() -> None:
    """Beyond SHORTLIST_FROM templates, after additions, replacements and removals that move
    template and mean rows: every row's first-pass approximation is within its error of the exact
    product (a mean's follows its person's templates wherever they moved)."""
    rng = np.random.default_rng(21)
    gallery = Gallery(FUSED, capacity=8)
    for i in range(SHORTLIST_FROM + 300):
        gallery.add(f"t{i}", f"p{rng.integers(0, 9_000)}", rng.standard_normal(FUSED.dim))
    probe = _fused_units(rng, 1)[0]
    gallery.search(probe, 3)  # the codes are made
    for i in rng.choice(SHORTLIST_FROM, 600, replace=False):
        if i % 3 == 0:
            gallery.add(f"t{i}", f"p{i % 9_000}", rng.standard_normal(FUSED.dim))  # replaced
        elif i % 3 == 1:
            gallery.remove(f"t{i}")
        else:
            gallery.add(f"new{i}", f"p{rng.integers(0, 9_000)}", rng.standard_normal(FUSED.dim))
    gallery.remove_person("p7")
    n, codes = len(gallery._template_ids), gallery._codes
    assert codes is not None and gallery._templates == len(gallery) < n
    for query in _unit(rng, 5):
        approx = codes.approximate(query, n, gallery._templates, gallery._mean_of)
        assert np.all(np.abs(approx - gallery._coarse[:n] @ query) <= codes.error(query, n))


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


@pytest.mark.parametrize("sampled_rows", ["like the rest", "far above the rest"])
def test_coarse_codes_estimate_the_kth_from_a_sample_and_check_it(sampled_rows: str) -> None:
    """Beyond SAMPLE_FROM rows the cut-off comes from every SAMPLE_STEP-th row; a sample that
    misleads (its rows far above the rest) is caught by the count and the candidates stay whole."""
    from edge_node.vision.coarse_codes import SAMPLE_FROM, SAMPLE_STEP

    rng = np.random.default_rng(9)
    n, k = SAMPLE_FROM + 4_000, 1_024
    query = rng.standard_normal(128).astype(np.float32)
    rows = rng.standard_normal((n, 128)).astype(np.float32)
    if sampled_rows == "far above the rest":
        rows[::SAMPLE_STEP] += 0.5 * query
    codes = CoarseCodes.of(rows, n)
    exact = rows @ query
    needed = set(np.flatnonzero(exact >= np.sort(exact)[n - k]).tolist())
    candidates = codes.candidates(query, n, k)
    assert needed <= set(candidates.tolist()) and len(candidates) < 4 * k
