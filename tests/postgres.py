"""The PostgreSQL the hub tests use: $EDGE_HUB_TEST_PG, else the server on 127.0.0.1:5432 (database `test`),
else a throwaway cluster made with Debian's initdb / pg_ctl in a temporary directory on a free loopback port."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from tools.faults.procs import DEFAULT_PG_URL, free_port

# Debian's server binaries; initdb and pg_ctl on PATH are tried first.
BINARY_GLOB = "/usr/lib/postgresql/*/bin"
# initdb refuses to run as root: the cluster then belongs to this user (Debian's postgresql package makes it).
CLUSTER_USER = "postgres"


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when something accepts TCP connections at the URL's host and port."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=timeout):
            return True
    except OSError:
        return False


@contextmanager
def hub_test_database(env: dict[str, str] | None = None) -> Iterator[str]:
    """The URL of a database the hub tests may make schemas in, for as long as the context lasts.

    $EDGE_HUB_TEST_PG is used as given; otherwise $EDGE_HUB_TEST_PG_DEFAULT (the usual address, 5432 unless a
    test moves it) when it lets us in, else a throwaway cluster that is removed afterwards. (A server that answers
    but refuses us, such as the cluster Debian's package starts with password auth, counts as none.)"""
    env = os.environ if env is None else env
    if env.get("EDGE_HUB_TEST_PG"):
        yield env["EDGE_HUB_TEST_PG"]
        return
    usual = env.get("EDGE_HUB_TEST_PG_DEFAULT", DEFAULT_PG_URL)
    if answers(usual) and lets_in(usual):
        yield usual
        return
    with throwaway_cluster() as url:
        yield url


def lets_in(url: str) -> bool:
    """True when the database at `url` accepts a connection."""
    import psycopg2  # the hub extra: only the hub tests need it

    try:
        psycopg2.connect(url, connect_timeout=5).close()
    except psycopg2.OperationalError:
        return False
    return True


def binary(name: str) -> str:
    """initdb or pg_ctl: on PATH, else in Debian's versioned directory (the newest)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"{BINARY_GLOB}/{name}"), key=lambda p: int(Path(p).parts[-3]))
    if candidates:
        return candidates[-1]
    raise RuntimeError(f"no {name}: install Debian's `postgresql` package (scripts/setup does), or set "
                       "EDGE_HUB_TEST_PG to a PostgreSQL you have")


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A new PostgreSQL cluster on a free loopback port with a database `test` (trust auth); removed at the end."""
    import psycopg2  # the hub extra: only the hub tests need it

    root = Path(tempfile.mkdtemp(prefix="edge-hub-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam(CLUSTER_USER)
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", CLUSTER_USER, "--"]
    data, log, port = root / "data", root / "server.log", free_port()
    pg_ctl = [*as_owner, binary("pg_ctl"), "-D", str(data)]
    try:
        _run([*as_owner, binary("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync",
              "-E", "UTF8", "--locale=C"])
        _run([*pg_ctl, "-l", str(log), "-w", "-t", "60", "-o",
              f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"])
        admin = psycopg2.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres")
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE test")
        admin.close()
        yield f"postgresql://postgres@127.0.0.1:{port}/test"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
