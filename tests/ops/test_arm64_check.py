"""scripts/arm64_check's x86 half and its comparison, on the real models and shared images: the fixed set
renders to the same bytes every time, an installed node decides it (one line per item), and the
comparison reports a flipped decision, the largest score difference and the nearest threshold.
The arm64 half (qemu-user, tens of minutes) is run by hand; its output is in docs/arm64.md."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tools.arm64_check import BACKENDS, compare, compare_again, fixed_set, host_side, margins, summary


@pytest.fixture(scope="module")
def decided(tmp_path_factory, shared_dir: Path) -> tuple[list[dict], dict[str, list[dict]]]:
    """The fixed set and its x86 decisions on both backends, through arm64_decide and a real Node."""
    work = tmp_path_factory.mktemp("arm64-x86")
    items = fixed_set(shared_dir, work / "rendered")
    (work / "set").mkdir()
    items_file = work / "set" / "set.json"
    items_file.write_text(json.dumps(items))
    return items, host_side(items_file, shared_dir, work / "rendered", work)


def test_fixed_set_renders_the_same_bytes_every_time(tmp_path, shared_dir: Path) -> None:
    first = fixed_set(shared_dir, tmp_path / "a")
    second = fixed_set(shared_dir, tmp_path / "b")
    assert first == second
    kinds = [item["kind"] for item in first]
    assert (kinds.count("enrol"), kinds.count("clean"), kinds.count("camera"), kinds.count("spoof")) == (6, 12, 12, 6)
    rendered = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(rendered) == 12
    for name in rendered:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_every_item_decided_once_per_backend(decided) -> None:
    items, lines = decided
    for backend in BACKENDS:
        run, *rest = lines[backend]
        assert run["run"]["backend"] == backend and run["run"]["arch"] == "x86_64"
        assert [line["probe"] for line in rest] == [item["id"] for item in items]
        assert all(line["decision"] == "ENROLLED" for line in rest if line["kind"] == "enrol")
        # a MATCH is always the probe's own person, and no spoof sample is accepted
        assert all(line["matched"] == line["person"] for line in rest if line["decision"] == "MATCH")
        assert not any(line["decision"] == "MATCH" for line in rest if line["kind"] == "spoof")


def test_comparison_reports_a_flipped_decision_and_the_largest_difference(decided) -> None:
    _, lines = decided
    x86 = lines["onnxruntime"]
    arm = copy.deepcopy(x86)
    same = compare(x86, arm)
    assert same["identical"] and same["max_score_diff"] == 0.0
    matched = next(line for line in arm[1:] if line["decision"] == "MATCH")
    matched["match_score"] += 0.004
    matched["decision"] = "UNKNOWN"
    flipped = compare(x86, arm)
    assert not flipped["identical"]
    assert flipped["max_score_diff"] == pytest.approx(0.004, abs=1e-6)
    assert [row["probe"] for row in flipped["rows"] if not row["same"]] == [matched["probe"]]
    result = summary({"onnxruntime": flipped, "litert": compare(lines["litert"], lines["litert"])}, "abc")
    assert not result["identical"] and result["decisions"] == 2 * (len(x86) - 1)


def test_margin_is_the_room_to_each_threshold() -> None:
    thresholds = {"match": 0.48, "margin": 0.03, "liveness": 0.6, "spoof_below": 0.3}
    room = margins({"match_score": 0.5086, "runner_up": 0.1526, "liveness_score": 0.539}, thresholds)
    assert room == pytest.approx({"match": 0.0286, "margin": 0.326, "liveness": 0.061, "spoof_below": 0.239})
    assert margins({"match_score": None, "liveness_score": None}, thresholds) == {}


def test_compare_only_reads_a_finished_run(decided, tmp_path, capsys) -> None:
    _, lines = decided
    (tmp_path / "arm64-out").mkdir()
    for backend in BACKENDS:
        text = "".join(json.dumps(line) + "\n" for line in lines[backend])
        (tmp_path / f"x86-{backend}.jsonl").write_text(text)
        (tmp_path / "arm64-out" / f"arm64-{backend}.jsonl").write_text(text)
    (tmp_path / "run.json").write_text(json.dumps({"commit": "abc1234", "cpu": "cortex-a76"}))
    assert compare_again(tmp_path, as_json=True) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (last["commit"], last["emulated_cpu"], last["identical"], last["max_score_diff"]) == \
        ("abc1234", "cortex-a76", True, 0.0)
    assert last["decisions"] == sum(len(lines[backend]) - 1 for backend in BACKENDS)
