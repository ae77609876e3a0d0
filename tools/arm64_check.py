"""Decisions proven on arm64: the same fixed set decided by the installed product on x86 and, under
qemu-user, in an arm64 Debian 12 root, with ONNX Runtime and with LiteRT; every decision compared.

The set (``fixed_set``): ``PEOPLE`` people of ``data/faces`` enrolled from one photo each; two further
photos of each as clean probes and the same photos as camera-grade probes (``tools.camera_conditions``,
severity ``SEVERITY``, rendered once on the host and passed in as PNG files); the ``data/spoof/fake``
samples. ``tools/arm64_decide.py`` runs it through a real ``Node``'s ``RecognitionEngine`` on each side.

The arm64 side (``arm64_side``): the cached arm64 root (``tools.debroot``), this checkout bind-mounted
read-only at /src, ``$EDGE_SHARED_DIR`` read-only at /shared; ``scripts/install-pi`` installs the wheel
built from this checkout and the models from /shared/models, then the wheel's ``litert`` extra is added.
Python packages come from a wheelhouse of aarch64 wheels downloaded on the host at the host venv's
versions, so both sides run the same library releases.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable

import cv2

from tools.accuracy_set import identities, seed_of
from tools.camera_conditions import camera_grade
from tools.debroot.root import CACHE, chroot, debian_root

REPO = Path(__file__).resolve().parents[1]
DECIDE = "tools/arm64_decide.py"
BACKENDS = ("onnxruntime", "litert")
PEOPLE = 6
PROBES_PER_PERSON = 2
SEVERITY = "moderate"
SPOOFS = 6
# How far each score may differ between the architectures, chosen from run 2026-12-06 (docs/arm64.md):
# cosines moved by at most 9e-5 and the nearest cosine sat 0.0144 from its threshold; the liveness
# probability moved by up to 0.023 (a sub-pixel change of the detected box shifts the liveness crop)
# and the nearest sat 0.05 from its threshold. Each tolerance lies between the two.
TOLERANCES = {"match_score": 0.001, "runner_up": 0.001, "liveness_score": 0.03}
SCORES = tuple(TOLERANCES)
ROOT_PYTHON = "3.11"  # Debian 12's python3
AARCH64_PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_17_aarch64", "manylinux_2_27_aarch64",
                     "manylinux_2_28_aarch64", "manylinux_2_31_aarch64", "manylinux_2_34_aarch64")
# The CPU qemu-user emulates (``--cpu``): a Raspberry Pi 4's Cortex-A72 (no dot product, no fp16) by
# default, or a Pi 5's Cortex-A76, so the runtimes pick the kernels they pick on that Pi rather than
# those of qemu's default "max" CPU. Under qemu-user /proc/cpuinfo is the x86 host's, on which ONNX
# Runtime's cpuinfo crashes at import (SIGSEGV): the root sees the Pi's instead.
PI_CPUS = {  # qemu CPU: (MIDR part number, /proc/cpuinfo features, board)
    "cortex-a72": ("0xd08", "fp asimd evtstrm crc32 cpuid", "Raspberry Pi 4 Model B"),
    "cortex-a76": ("0xd0b", "fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm "
                            "lrcpc dcpop asimddp", "Raspberry Pi 5 Model B"),
}
DEFAULT_CPU = "cortex-a72"
VENV = "/opt/edge-node/venv"
STATE = "/var/lib/edge-node"
MISSING_TOOLS_HINT = ("install them once with: apt-get install qemu-user-static binfmt-support debootstrap "
                      "(qemu-user-static registers qemu-aarch64 with binfmt_misc; check with "
                      "cat /proc/sys/fs/binfmt_misc/qemu-aarch64)")


def preflight() -> list[str]:
    """What is missing on this machine to run the arm64 side (empty when ready)."""
    problems = []
    if os.geteuid() != 0:
        problems.append("run as root (debootstrap, chroot and bind mounts need it)")
    binfmt = Path("/proc/sys/fs/binfmt_misc/qemu-aarch64")
    if not binfmt.is_file() or not binfmt.read_text().startswith("enabled"):
        problems.append("qemu-aarch64 is not registered with binfmt_misc")
    elif "F" not in next((line.split()[1] for line in binfmt.read_text().splitlines()
                          if line.startswith("flags:")), ""):
        problems.append("qemu-aarch64 is registered without the F flag (use Debian's qemu-user-static)")
    if subprocess.run(["which", "debootstrap"], capture_output=True).returncode != 0:
        problems.append("debootstrap is not installed")
    return problems


def fixed_set(shared: Path, rendered: Path) -> list[dict[str, Any]]:
    """The set's items (enrolments first); renders the camera-grade probes into ``rendered`` as PNG."""
    rendered.mkdir(parents=True, exist_ok=True)
    data = shared / "data"
    people = [(name, paths) for name, paths in identities(data / "faces").items()
              if len(paths) > PROBES_PER_PERSON][:PEOPLE]
    items = [{"id": f"enrol/{name}", "kind": "enrol", "person": name, "root": "shared",
              "file": str(paths[0].relative_to(data))} for name, paths in people]
    camera = []
    for name, paths in people:
        for path in paths[1 : 1 + PROBES_PER_PERSON]:
            items.append({"id": f"clean/{path.stem}", "kind": "clean", "person": name, "root": "shared",
                          "file": str(path.relative_to(data))})
            frame = camera_grade(cv2.imread(str(path)), SEVERITY, seed_of(path))[0]
            out = rendered / f"{path.stem}_{SEVERITY}.png"
            cv2.imwrite(str(out), frame)
            camera.append({"id": f"camera/{path.stem}", "kind": "camera", "person": name, "root": "rendered",
                           "file": out.name})
    spoofs = [{"id": f"spoof/{path.stem}", "kind": "spoof", "person": "", "root": "shared",
               "file": str(path.relative_to(data))} for path in sorted((data / "spoof" / "fake").glob("*.jpg"))]
    return items + camera + spoofs[:SPOOFS]


def working_tree_copy(target: Path) -> Path:
    """The checkout's tracked and untracked-but-not-ignored files, copied: the wheel is built from what is
    in the working tree, never from a stale build/ directory."""
    names = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    return target


def build_wheelhouse(wheels: Path) -> Path:
    """The product's wheel built from this checkout plus aarch64 wheels of its dependencies (with the
    ``litert`` and ``mdns`` extras) at the versions installed in this venv; returns the product wheel."""
    wheels.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    source = working_tree_copy(wheels.parent / "source")
    built = subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)], capture_output=True,
                           text=True, timeout=600)
    if built.returncode != 0:
        raise SystemExit(f"arm64_check: building the wheel failed:\n{built.stderr[-3000:]}")
    wheel = max(wheels.glob("edge_node-*.whl"), key=lambda p: p.stat().st_mtime)
    constraints = wheels / "constraints.txt"
    constraints.write_text("".join(f"{d.metadata['Name']}=={d.version}\n" for d in metadata.distributions()
                                   if d.metadata["Name"] and d.metadata["Name"].lower() != "edge-node"))
    platforms = [arg for name in AARCH64_PLATFORMS for arg in ("--platform", name)]
    subprocess.run([*pip, "download", "--dest", str(wheels), "--only-binary=:all:", *platforms,
                    "--python-version", ROOT_PYTHON, "--implementation", "cp", "-c", str(constraints),
                    f"{wheel}[litert,mdns]"], check=True, timeout=1800)
    return wheel


def host_side(items_file: Path, shared: Path, rendered: Path, work: Path) -> dict[str, list[dict]]:
    """The set decided by this checkout's venv on this machine, per backend."""
    models = work / "host-models"
    subprocess.run([sys.executable, "-m", "edge_node", "models", "fetch", "--from", str(shared / "models"),
                    "--dest", str(models)], check=True, capture_output=True, timeout=600)
    lines = {}
    for backend in BACKENDS:
        out = work / f"x86-{backend}.jsonl"
        with out.open("w") as sink:
            subprocess.run([sys.executable, str(REPO / DECIDE), "--set", str(items_file), "--shared",
                            str(shared / "data"), "--rendered", str(rendered), "--models", str(models),
                            "--data", str(work / f"x86-data-{backend}"), "--backend", backend],
                           check=True, stdout=sink, timeout=3600)
        lines[backend] = read_lines(out)
    return lines


class Mounts:
    """Read-only and read-write bind mounts into a root, undone in reverse order."""

    def __init__(self) -> None:
        self.points: list[Path] = []

    def bind(self, source: Path, point: Path, read_only: bool) -> None:
        if source.is_dir():
            point.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "--bind", str(source), str(point)], check=True, timeout=30)
        self.points.append(point)
        if read_only:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(point)], check=True, timeout=30)

    def undo(self) -> None:
        for point in reversed(self.points):
            subprocess.run(["umount", "--lazy", str(point)], check=False, timeout=30)


def pi_cpuinfo(path: Path, cpu: str) -> Path:
    """The /proc/cpuinfo of the Pi with this CPU, with as many cores as this machine has."""
    part, features, board = PI_CPUS[cpu]
    entry = (f"BogoMIPS\t: 108.00\nFeatures\t: {features}\nCPU implementer\t: 0x41\nCPU architecture: 8\n"
             f"CPU variant\t: 0x0\nCPU part\t: {part}\nCPU revision\t: 3\n\n")
    cores = "".join(f"processor\t: {n}\n{entry}" for n in range(os.cpu_count() or 1))
    path.write_text(f"{cores}Model\t\t: {board} (emulated by qemu-user)\n")
    return path


def arm64_side(items_file: Path, shared: Path, rendered: Path, work: Path, wheel: Path, cpu: str,
               log: Any) -> dict[str, list[dict]]:
    """The set decided by the installed product in the arm64 root under qemu-user, per backend."""
    out = work / "arm64-out"
    out.mkdir(exist_ok=True)
    env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/wheels", "QEMU_CPU": cpu}
    with debian_root(work / "root", "arm64") as root:
        mounts = Mounts()
        try:
            mounts.bind(REPO, root / "src", read_only=True)
            mounts.bind(shared, root / "shared", read_only=True)
            mounts.bind(wheel.parent, root / "wheels", read_only=True)
            mounts.bind(items_file.parent, root / "set", read_only=True)
            mounts.bind(rendered, root / "rendered", read_only=True)
            mounts.bind(out, root / "out", read_only=False)
            mounts.bind(pi_cpuinfo(work / "cpuinfo", cpu), root / "proc" / "cpuinfo", read_only=True)
            steps = [("install-pi", ["/src/scripts/install-pi", "--source", f"/wheels/{wheel.name}",
                                     "--models-from", "/shared/models"]),
                     ("litert extra", [f"{VENV}/bin/pip", "install", "--quiet", f"/wheels/{wheel.name}[litert]"])]
            for what, argv in steps:
                log(f"arm64: {what} (under qemu-user: slow)")
                done = chroot(root, *argv, timeout=5400, env=env)
                if done.returncode != 0:
                    raise SystemExit(f"arm64_check: {what} failed in the arm64 root:\n"
                                     f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
            lines = {}
            for backend in BACKENDS:
                log(f"arm64: deciding the set with {backend} (progress: {out}/arm64-{backend}.jsonl)")
                decide = (f"runuser -u edge-node -- {VENV}/bin/python /src/{DECIDE} --set /set/{items_file.name} "
                          f"--shared /shared/data --rendered /rendered --models {STATE}/models "
                          f"--data {STATE}/arm64-check-{backend} --backend {backend} "
                          f"> /out/arm64-{backend}.jsonl 2> /out/arm64-{backend}.err")
                done = chroot(root, "sh", "-c", decide, timeout=14400, env={"QEMU_CPU": cpu})
                if done.returncode != 0:
                    raise SystemExit(f"arm64_check: the {backend} run failed in the arm64 root:\n"
                                     f"{(out / f'arm64-{backend}.err').read_text()[-3000:]}")
                lines[backend] = read_lines(out / f"arm64-{backend}.jsonl")
            return lines
        finally:
            mounts.undo()


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def margins(line: dict, thresholds: dict[str, float]) -> dict[str, float]:
    """How far each score of one decision is from the threshold it is compared with."""
    found = {}
    if line.get("match_score") is not None:
        found["match"] = abs(line["match_score"] - thresholds["match"])
        if line.get("runner_up") is not None:
            found["margin"] = abs(line["match_score"] - line["runner_up"] - thresholds["margin"])
    if line.get("liveness_score") is not None:
        found["liveness"] = abs(line["liveness_score"] - thresholds["liveness"])
        found["spoof_below"] = abs(line["liveness_score"] - thresholds["spoof_below"])
    return found


def stage_medians(lines: Iterable[dict]) -> dict[str, float]:
    """Median milliseconds per pipeline stage over the decisions that ran it."""
    stages: dict[str, list[float]] = {}
    for line in lines:
        for stage, ms in line.get("timings_ms", {}).items():
            stages.setdefault(stage, []).append(ms)
    return {stage: round(statistics.median(values), 1) for stage, values in sorted(stages.items())}


def compare(x86: list[dict], arm: list[dict]) -> dict[str, Any]:
    """Per-decision comparison of one backend's two runs: differences, margins, stage times."""
    thresholds = x86[0]["run"]["thresholds"]
    if arm[0]["run"]["thresholds"] != thresholds:
        raise SystemExit(f"arm64_check: thresholds differ: x86 {thresholds}, arm64 {arm[0]['run']['thresholds']}")
    x86_by, arm_by = ({line["probe"]: line for line in lines[1:]} for lines in (x86, arm))
    if x86_by.keys() != arm_by.keys():
        raise SystemExit(f"arm64_check: the runs decided different probes: {sorted(x86_by.keys() ^ arm_by.keys())}")
    rows, largest, nearest = [], dict.fromkeys(SCORES, 0.0), (float("inf"), "", "")
    for probe, a in x86_by.items():
        b = arm_by[probe]
        same = (a["decision"], a.get("matched")) == (b["decision"], b.get("matched"))
        diffs = {k: abs(a[k] - b[k]) for k in SCORES if a.get(k) is not None and b.get(k) is not None}
        if {k for k in SCORES if a.get(k) is not None} != {k for k in SCORES if b.get(k) is not None}:
            same = False
        largest = {k: max(v, diffs.get(k, 0.0)) for k, v in largest.items()}
        for name, distance in margins(a, thresholds).items():
            nearest = min(nearest, (distance, probe, name))
        rows.append({"probe": probe, "kind": a["kind"], "person": a["person"], "x86": a["decision"],
                     "arm64": b["decision"], "same": same, "max_diff": round(max(diffs.values(), default=0.0), 6)})
    return {"decisions": len(rows), "identical": all(r["same"] for r in rows), "rows": rows,
            "max_score_diff": round(max(largest.values()), 6),
            "max_diff_by_score": {k: round(v, 6) for k, v in largest.items()},
            "within_tolerance": all(largest[k] <= TOLERANCES[k] for k in SCORES),
            "min_margin_to_threshold": round(nearest[0], 4),
            "nearest": {"probe": nearest[1], "threshold": nearest[2]}, "thresholds": thresholds,
            "versions": {"x86": x86[0]["run"]["versions"], "arm64": arm[0]["run"]["versions"]},
            "x86_stage_ms": stage_medians(x86[1:]), "arm64_emulated_stage_ms": stage_medians(arm[1:])}


def summary(per_backend: dict[str, dict], commit: str, cpu: str = DEFAULT_CPU) -> dict[str, Any]:
    """The last line of --json: totals over both backends and each backend's figures."""
    return {"commit": commit, "host": platform.machine(), "emulated_cpu": cpu, "tolerances": TOLERANCES,
            "decisions": sum(r["decisions"] for r in per_backend.values()),
            "identical": all(r["identical"] for r in per_backend.values()),
            "max_score_diff": max(r["max_score_diff"] for r in per_backend.values()),
            "within_tolerance": all(r["within_tolerance"] for r in per_backend.values()),
            "min_margin_to_threshold": min(r["min_margin_to_threshold"] for r in per_backend.values()),
            "arm64_times": f"qemu-user emulating a {cpu} on an x86 host: not Raspberry Pi figures",
            "backends": {name: {k: v for k, v in r.items() if k != "rows"} for name, r in per_backend.items()}}


def report(per_backend: dict[str, dict]) -> list[str]:
    """Human-readable lines: every decision side by side, then each backend's figures."""
    lines = []
    for name, r in per_backend.items():
        lines.append(f"== {name}: {r['decisions']} decisions, identical: {r['identical']}, "
                     f"largest differences {r['max_diff_by_score']} (tolerances {TOLERANCES}), "
                     f"nearest score to a threshold: {r['min_margin_to_threshold']:.4f} "
                     f"({r['nearest']['probe']}, {r['nearest']['threshold']})")
        for row in r["rows"]:
            mark = "same" if row["same"] else "DIFFERENT"
            lines.append(f"  {row['probe']:<40} x86 {row['x86']:<12} arm64 {row['arm64']:<12} "
                         f"max diff {row['max_diff']:.6f}  {mark}")
        lines.append(f"  per-stage median ms, x86 host (loaded, shared): {r['x86_stage_ms']}")
        lines.append(f"  per-stage median ms, arm64 UNDER QEMU EMULATION (not Pi figures): "
                     f"{r['arm64_emulated_stage_ms']}")
    return lines


def progress(as_json: bool) -> Callable[[str], None]:
    """Where progress goes: stderr with --json (stdout holds the JSON lines), else stdout."""
    return lambda message: print(message, file=sys.stderr if as_json else sys.stdout, flush=True)


def run(shared: Path, work: Path, as_json: bool, cpu: str = DEFAULT_CPU) -> int:
    """Render the set, decide it on both sides, compare; exit status 0 when every decision is the same."""
    log = progress(as_json)
    problems = preflight()
    if problems:
        for problem in problems:
            print(f"arm64_check: {problem}", file=sys.stderr)
        print(f"arm64_check: {MISSING_TOOLS_HINT}", file=sys.stderr)
        return 2
    work.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    (work / "run.json").write_text(json.dumps({"commit": commit, "cpu": cpu}))
    log(f"arm64_check: work directory {work} (commit {commit})")
    rendered, set_dir = work / "rendered", work / "set"
    set_dir.mkdir(exist_ok=True)
    items = fixed_set(shared, rendered)
    items_file = set_dir / "set.json"
    items_file.write_text(json.dumps(items, indent=1))
    log(f"arm64_check: fixed set of {len(items)} items; building the aarch64 wheelhouse")
    wheel = build_wheelhouse(work / "wheels")
    log("arm64_check: x86 side (this checkout's venv)")
    x86 = host_side(items_file, shared, rendered, work)
    log(f"arm64_check: arm64 side (cached Debian 12 arm64 root, qemu-user emulating a {cpu})")
    arm = arm64_side(items_file, shared, rendered, work, wheel, cpu, log)
    return conclude(x86, arm, commit, cpu, as_json, log)


def conclude(x86: dict[str, list[dict]], arm: dict[str, list[dict]], commit: str, cpu: str, as_json: bool,
             log: Any) -> int:
    """Compare, print every decision line, the report and the summary; 0 when every decision agrees."""
    per_backend = {backend: compare(x86[backend], arm[backend]) for backend in BACKENDS}
    for backend in BACKENDS:
        for line in x86[backend][1:] + arm[backend][1:]:
            print(json.dumps(line))
    for line in report(per_backend):
        log(line)
    result = summary(per_backend, commit, cpu)
    print(json.dumps(result) if as_json else json.dumps(result, indent=1), flush=True)
    return 0 if result["identical"] and result["within_tolerance"] else 1


def compare_again(work: Path, as_json: bool, cpu: str = DEFAULT_CPU) -> int:
    """The comparison of a finished run's work directory again (e.g. after changing a tolerance)."""
    log = progress(as_json)
    x86 = {backend: read_lines(work / f"x86-{backend}.jsonl") for backend in BACKENDS}
    arm = {backend: read_lines(work / "arm64-out" / f"arm64-{backend}.jsonl") for backend in BACKENDS}
    recorded = json.loads((work / "run.json").read_text()) if (work / "run.json").is_file() else {}
    return conclude(x86, arm, recorded.get("commit", "unknown"), recorded.get("cpu", cpu), as_json, log)


def default_work() -> Path:
    """A fresh work directory per run, outside the repository, beside the cached Debian roots."""
    return CACHE.parent / "arm64-check" / time.strftime("%Y%m%dT%H%M%S")
