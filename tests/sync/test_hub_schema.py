"""The hub's schema upgrades in place: a hub database from an older edge-node keeps its nodes and events."""
from __future__ import annotations

from edge_node.hub.migrations import SCHEMA_VERSION, migrate
from edge_node.hub.nodes import NodeRegistry
from edge_node.hub.schema import bind, open_database


def test_a_v1_hub_database_gains_installation_binding_and_keeps_its_nodes(hub_db):
    tables = bind(open_database(hub_db))
    try:
        migrate(tables)
        db = tables.db
        db.execute_sql("ALTER TABLE hub_node DROP COLUMN installation_id")  # what a v1 hub created
        db.execute_sql("UPDATE hub_schema_version SET version = 1")
        db.execute_sql("INSERT INTO hub_node (node_id, token_hash, revoked, created_us, acked_seq, roster_acked_seq,"
                       " queue_depth, lag_seconds, roster_version) VALUES ('old', 'h', false, 1, 42, 0, 0, 0, 0)")

        assert migrate(tables) == SCHEMA_VERSION
        assert db.execute_sql("SELECT node_id, acked_seq, installation_id FROM hub_node").fetchall() == [("old", 42, "")]
        NodeRegistry(tables).bind_installation("old", "box-1")  # the first push after the upgrade binds it
        assert db.execute_sql("SELECT installation_id FROM hub_node").fetchall() == [("box-1",)]
        assert migrate(tables) == SCHEMA_VERSION  # idempotent
    finally:
        tables.db.close()
