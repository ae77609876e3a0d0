"""The hub tests set up their own PostgreSQL when none answers: a throwaway cluster (tests/postgres.py)."""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile

import psycopg2

from tests.conftest import REPO, free_port
from tests.postgres import answers, hub_test_database

HUB_TEST = "tests/sync/test_hub_schema.py::test_a_v1_hub_database_gains_installation_binding_and_keeps_its_nodes"


def _closed_url() -> str:
    """A PostgreSQL URL on a loopback port where nothing listens."""
    port = free_port()
    url = f"postgresql://postgres@127.0.0.1:{port}/test"
    assert not answers(url)
    return url


def _clusters() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "edge-hub-pg-*")))


def test_with_nothing_at_the_usual_address_a_throwaway_cluster_serves_and_is_removed():
    closed = _closed_url()
    before = _clusters()
    with hub_test_database(env={"EDGE_HUB_TEST_PG_DEFAULT": closed}) as url:
        assert url != closed
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute("SELECT current_database()")
            assert cur.fetchone()[0] == "test"
        assert _clusters() - before, "the cluster lives in a temporary directory"
    assert not answers(url), "the throwaway cluster is stopped afterwards"
    assert _clusters() == before, "and its directory removed"


def test_a_hub_test_passes_against_the_throwaway_cluster_when_the_usual_port_is_closed():
    env = {k: v for k, v in os.environ.items() if k != "EDGE_HUB_TEST_PG"}
    env["EDGE_HUB_TEST_PG_DEFAULT"] = _closed_url()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", HUB_TEST], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_a_given_database_is_used_as_given():
    with hub_test_database(env={"EDGE_HUB_TEST_PG": "postgresql://somewhere:6543/hub"}) as url:
        assert url == "postgresql://somewhere:6543/hub"
