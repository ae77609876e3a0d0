"""Fixtures for sync tests: a fresh PostgreSQL schema per test, the hub as an `edge-node hub` process."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import grpc
import psycopg2
import pytest

from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from edge_node.hub.migrations import MIGRATIONS
from edge_node.hub.schema import HubTables, bind, open_database
from tests.conftest import free_port


@pytest.fixture
def hub_db(pg_url: str) -> Iterator[str]:
    """A hub database URL whose search_path is a new schema, dropped after the test."""
    schema = f"hubtest_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg2.connect(pg_url)
    except psycopg2.OperationalError as exc:
        pytest.fail(f"PostgreSQL not reachable at {pg_url} (set EDGE_HUB_TEST_PG, or stop what answers there "
                    f"so the tests start their own): {exc}")
    admin.autocommit = True
    admin.cursor().execute(f"CREATE SCHEMA {schema}")
    yield f"{pg_url}?options=-csearch_path%3D{schema}"
    admin.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
    admin.close()


@contextmanager
def old_hub_tables(database: str, version: int) -> Iterator[HubTables]:
    """The hub's tables at `database` with the schema of `version` as an older edge-node made it (its frozen DDL,
    not today's models); closed afterwards."""
    tables = bind(open_database(database))
    try:
        for statements in MIGRATIONS[:version]:
            for statement in statements:
                tables.db.execute_sql(statement)
        tables.db.execute_sql('CREATE TABLE "hub_schema_version" ("id" SERIAL NOT NULL PRIMARY KEY,'
                              ' "version" INTEGER NOT NULL)')
        tables.db.execute_sql("INSERT INTO hub_schema_version (version) VALUES (%s)", (version,))
        yield tables
    finally:
        tables.db.close()


class HubProcess:
    """`edge-node hub` as a child process, plus an admin stub and a direct SQL view of its events."""

    def __init__(self, database: str, data_dir: Path, port: int) -> None:
        self.database = database
        self.data_dir = data_dir
        self.port = port
        self.address = f"127.0.0.1:{port}"
        self.log_path = data_dir.parent / f"hub-{port}.log"
        self.proc: subprocess.Popen | None = None
        self.start()
        self.token = (data_dir / "hub-admin.token").read_text().strip()
        self.channel = grpc.insecure_channel(self.address)
        self.stub = pb_grpc.SyncServiceStub(self.channel)
        self.auth = (("authorization", f"Bearer {self.token}"),)
        self._sql = psycopg2.connect(database)
        self._sql.autocommit = True

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "edge_node", "hub", "--listen", self.address, "--database", self.database,
                 "--data-dir", str(self.data_dir)], stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        channel = grpc.insecure_channel(self.address)
        try:
            grpc.channel_ready_future(channel).result(timeout=20)
        except grpc.FutureTimeoutError:
            raise AssertionError(f"hub did not start; log:\n{self.log_path.read_text()}") from None
        finally:
            channel.close()

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def add_node(self, node_id: str) -> str:
        return self.stub.CreateNode(pb.CreateNodeRequest(node_id=node_id), metadata=self.auth).token

    def sql(self, query: str, *args: object) -> list[tuple]:
        with self._sql.cursor() as cur:
            cur.execute(query, args)
            return cur.fetchall()

    def event_count(self, node_id: str) -> int:
        return self.sql("SELECT count(*) FROM hub_event WHERE node_id = %s", node_id)[0][0]

    def stop(self) -> None:
        self.channel.close()
        self._sql.close()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)


@pytest.fixture
def hub(hub_db: str, tmp_path: Path) -> Iterator[HubProcess]:
    process = HubProcess(hub_db, tmp_path / "hub", free_port())
    yield process
    process.stop()


def sync_env(hub_address: str, node_id: str, token: str, batch_size: int = 100) -> dict[str, str]:
    """Environment for `edge-node serve` syncing quickly with the hub (fast retries for tests)."""
    return {"EDGE_NODE_SYNC_ENABLED": "1", "EDGE_NODE_SYNC_HUB": hub_address, "EDGE_NODE_SYNC_NODE_ID": node_id,
            "EDGE_NODE_SYNC_TOKEN": token, "EDGE_NODE_SYNC_BATCH_SIZE": str(batch_size),
            "EDGE_NODE_SYNC_INTERVAL_SECONDS": "0.2", "EDGE_NODE_SYNC_BACKOFF_INITIAL_SECONDS": "0.1",
            "EDGE_NODE_SYNC_BACKOFF_MAX_SECONDS": "0.5", "EDGE_NODE_ATTENDANCE_TIME_ZONE": "UTC",
            "EDGE_NODE_RECOGNITION_ENABLED": "0"}
