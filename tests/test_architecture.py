"""docs/architecture.md kept true: its import rules hold for the code, every file and function its
frame-to-punch walk names exists, and a built wheel holds the product only."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "edge_node"
DOC = (REPO / "docs" / "architecture.md").read_text()
GRPC_MODULES = ("grpc", "grpc_health", "grpc_reflection")
# The domain imports no gRPC; the sync worker's hub client is the one transport module it owns.
NO_GRPC = ("common", "storage", "vision", "attendance", "recognition", "capture", "checkin")


def _table(heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after `heading`."""
    lines = DOC.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        if not set(line) <= set("|-: "):
            table.append([cell.strip() for cell in line.strip().removeprefix("|").removesuffix("|").split("|")])
    return table[1:]


def _allowed() -> dict[str, set[str]]:
    rows = _table("## Packages and what each may import")
    return {row[0]: {name.strip() for name in row[2].split(",") if name.strip()} for row in rows}


def _unit(path: Path) -> str | None:
    """The package (or top-level module) a file belongs to; None for entry points and edge_node/__init__."""
    rel = path.relative_to(PACKAGE)
    if rel.name == "__main__.py" or rel.name.endswith("_command.py") or rel == Path("__init__.py"):
        return None
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "gen" not in p.relative_to(PACKAGE).parts[:1]]


def test_every_package_imports_only_what_the_page_allows() -> None:
    allowed = _allowed()
    broken = []
    for path in _sources():
        unit = _unit(path)
        if unit is None:
            continue
        assert unit in allowed, f"{path.relative_to(REPO)}: package {unit!r} is missing from docs/architecture.md"
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] in ("tools", "tests"):
                broken.append(f"{path.relative_to(REPO)} imports {module} (test tooling)")
            if parts[0] == "edge_node" and len(parts) > 1 and parts[1] != unit and parts[1] not in allowed[unit]:
                broken.append(f"{path.relative_to(REPO)} imports {module}: {unit} may not import {parts[1]}")
            if unit in NO_GRPC and parts[0] in GRPC_MODULES:
                broken.append(f"{path.relative_to(REPO)} imports {module}: the domain imports no gRPC")
    assert not broken, "\n".join(sorted(broken))


def test_the_rules_reject_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself can fail: recognition importing attendance is against the page."""
    allowed = _allowed()
    assert "attendance" not in allowed["recognition"] and "recognition" not in allowed["attendance"]
    assert "server" not in allowed["hub"] and "checkin" not in allowed["capture"]
    probe = tmp_path / "probe.py"
    probe.write_text("from edge_node.attendance.log import ScanResult\n")
    assert "edge_node.attendance.log" in _imports(probe)


def test_every_step_of_the_walk_names_real_code() -> None:
    missing = []
    for row in _table("## The path of one frame to a punch"):
        for ref in re.findall(r"`([\w/]+\.py): ([\w.]+)`", row[1]):
            path, dotted = PACKAGE / ref[0], ref[1].split(".")
            if not path.is_file():
                missing.append(f"{ref[0]} (no such file)")
                continue
            scope: list[ast.stmt] = ast.parse(path.read_text()).body
            for name in dotted:
                found = next((n for n in scope if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                              and n.name == name), None)
                if found is None:
                    missing.append(f"{ref[0]}: {ref[1]}")
                    break
                scope = found.body
    assert not missing, "docs/architecture.md names code that does not exist:\n" + "\n".join(missing)


@pytest.mark.slow
def test_the_wheel_holds_the_product_only(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("edge_node-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    stray = [n for n in names if not (n.startswith("edge_node/") or n.startswith("edge_node-"))]
    assert not stray, f"the wheel ships more than the product: {stray[:10]}"
    assert not [n for n in names if "/faults/" in n or n.startswith("tools/") or n.startswith("tests/")]
    assert "edge_node/checkin/flow.py" in names
