"""Fault tests run the scripts themselves in a short version and check the figures they print."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from tools.faults.procs import Child, free_port, hub_child, pg_schema
from tests.conftest import REPO


def run_script(name: str, *args: str, timeout: float = 300) -> tuple[dict, subprocess.CompletedProcess]:
    """Run scripts/<name> --json with `args`; the JSON object of its last line, and the finished process."""
    done = subprocess.run([sys.executable, str(REPO / "scripts" / name), "--json", *args], capture_output=True,
                          text=True, timeout=timeout)
    lines = done.stdout.strip().splitlines()
    assert lines, f"{name} printed nothing (exit {done.returncode}); stderr:\n{done.stderr[-4000:]}"
    return json.loads(lines[-1]), done


@pytest.fixture(scope="session", autouse=True)
def _hub_database(pg_url: str) -> str:
    """Every fault test may reach the hub database through $EDGE_HUB_TEST_PG (set by `pg_url`), including the
    fault scripts they run."""
    return pg_url


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[Child, str]]:
    """A plaintext `edge-node hub` on a fresh PostgreSQL schema: (child, database URL)."""
    try:
        schema = pg_schema()
        database = schema.__enter__()
    except Exception as exc:  # noqa: BLE001 - any connection failure
        pytest.fail(f"PostgreSQL not reachable (set EDGE_HUB_TEST_PG): {exc}")
    child = hub_child(database, tmp_path / "hub", f"127.0.0.1:{free_port()}").start()
    yield child, database
    child.stop()
    schema.__exit__(None, None, None)


@pytest.fixture
def children() -> Iterator[list[Child]]:
    """Append started children here; they are stopped after the test."""
    started: list[Child] = []
    yield started
    for child in started:
        child.stop()


def bearer(token: str) -> tuple:
    return (("authorization", f"Bearer {token}"),)
