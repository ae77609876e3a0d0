"""The hub's schema upgrades in place: a hub database from an older edge-node keeps its nodes and events."""
from __future__ import annotations

from datetime import date, datetime, timezone

from edge_node.attendance.schedule import Schedule, Shift, WeeklyPattern
from edge_node.attendance.schedule_history import ScheduleVersion
from edge_node.hub.migrations import SCHEMA_VERSION, migrate
from edge_node.hub.schedules import HubSchedules
from edge_node.hub.nodes import NodeRegistry
from edge_node.hub.schema import bind, open_database
from tests.sync.conftest import old_hub_tables


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


def test_a_first_release_hub_database_keeps_its_events_and_gains_the_chain(hub_db):
    """Built with the first release's frozen DDL (not today's models), then upgraded."""
    with old_hub_tables(hub_db, 1) as tables:
        db = tables.db
        db.execute_sql("INSERT INTO hub_node (node_id, token_hash, revoked, created_us, acked_seq, roster_acked_seq,"
                       " queue_depth, lag_seconds, roster_version) VALUES ('old', 'h', false, 1, 1, 0, 0, 0, 0)")
        db.execute_sql("INSERT INTO hub_event (node_id, seq, person_id, person_name, event_type, occurred_us, local_date,"
                       " confidence, camera_id, anomalies, reason, received_us) VALUES"
                       " ('old', 1, 'ann', 'Ann', 'ENTRY', 5, '2026-11-23', 0.9, 'door', '', '', 6)")
        assert migrate(tables) == SCHEMA_VERSION
        assert db.execute_sql("SELECT seq, person_id, liveness, ref_seq, hash FROM hub_event").fetchall() == [
            (1, "ann", 0.0, None, "")]
        assert db.execute_sql("SELECT installation_id, chain_head FROM hub_node").fetchall() == [("", "")]


def test_a_v3_hub_database_gains_schedule_versions_and_keeps_its_nodes_and_events(hub_db):
    """Built with the frozen DDL of versions 1-3 (not today's models), then upgraded; old nodes have no versions."""
    with old_hub_tables(hub_db, 3) as tables:
        db = tables.db
        db.execute_sql("INSERT INTO hub_node (node_id, token_hash, revoked, created_us, acked_seq, roster_acked_seq,"
                       " queue_depth, lag_seconds, roster_version, chain_head) VALUES ('old', 'h', false, 1, 7, 0, 0, 0, 0,"
                       " 'abc')")
        assert migrate(tables) == SCHEMA_VERSION
        assert db.execute_sql("SELECT node_id, acked_seq, chain_head FROM hub_node").fetchall() == [("old", 7, "abc")]
        schedules = HubSchedules(tables)
        assert schedules.of_nodes([]) == []
        night = Schedule(shifts=(Shift("night", 1320, 1800),), patterns=(WeeklyPattern("n", ("night",) * 7),),
                         default_pattern="n")
        recorded = datetime(2026, 11, 20, tzinfo=timezone.utc)
        assert schedules.push("old", 0, [ScheduleVersion(1, date(2026, 11, 16), night, "hr", recorded)], None, 5) == (1, 1)
        assert schedules.of_nodes(["old"]) == [ScheduleVersion(1, date(2026, 11, 16), night, "hr", recorded, "old")]
        assert migrate(tables) == SCHEMA_VERSION  # idempotent


def test_a_v4_hub_database_numbers_its_events_in_the_order_received_and_new_ones_after(hub_db):
    """The site cursor of events held before version 5 follows their arrival; new events draw larger ones."""
    with old_hub_tables(hub_db, 4) as tables:
        db = tables.db
        for node_id, seq, received in (("b", 1, 10), ("a", 1, 20), ("a", 2, 20), ("b", 2, 30)):
            db.execute_sql("INSERT INTO hub_event (node_id, seq, person_id, person_name, event_type, occurred_us,"
                           " local_date, confidence, camera_id, anomalies, reason, received_us) VALUES"
                           " (%s, %s, 'ann', '', 'ENTRY', 5, '2026-11-23', 0.9, '', '', '', %s)", (node_id, seq, received))
        assert migrate(tables) == SCHEMA_VERSION
        db.execute_sql("INSERT INTO hub_event (node_id, seq, person_id, person_name, event_type, occurred_us,"
                       " local_date, confidence, camera_id, anomalies, reason, received_us) VALUES"
                       " ('a', 3, 'ann', '', 'EXIT', 6, '2026-11-23', 0.9, '', '', '', 40)")
        assert db.execute_sql("SELECT node_id, seq FROM hub_event ORDER BY site_cursor").fetchall() == [
            ("b", 1), ("a", 1), ("a", 2), ("b", 2), ("a", 3)]
        assert migrate(tables) == SCHEMA_VERSION  # idempotent
