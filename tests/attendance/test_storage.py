"""SQLite storage: concurrent writers wait for each other instead of failing; old databases upgrade in place."""
from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import numpy as np

from edge_node.attendance.log import EventFilter
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.verify import verify_log
from edge_node.recognition.templates import TemplateStore
from edge_node.storage.migrations import MIGRATIONS, SCHEMA_VERSION, current_version, migrate
from edge_node.storage.schema import bind, open_database


def test_a_transaction_that_reads_then_writes_waits_for_another_writer(tmp_path):
    """A deferred transaction that read before another connection committed failed at its first write with
    "database is locked", without waiting (seen as INTERNAL on UpsertPerson while the node started)."""
    tables = bind(open_database(tmp_path / "edge-node.db"))
    migrate(tables)
    read_done, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def read_then_write() -> None:
        try:
            with tables.db.atomic():
                tables.setting.select().count()
                read_done.set()
                release.wait(5)
                tables.setting.insert(key="first", value="1").execute()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    def write() -> None:
        try:
            read_done.wait(5)
            with tables.db.atomic():
                tables.setting.insert(key="second", value="2").execute()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=read_then_write), threading.Thread(target=write)]
    for thread in threads:
        thread.start()
    read_done.wait(5)
    time.sleep(0.3)  # the second writer tries while the first transaction is open
    release.set()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert sorted(r.key for r in tables.setting.select()) == ["first", "second"]
    tables.db.close()


FIRST_RELEASE_SQL = Path(__file__).parent / "data" / "first_release_v3.sql"


def restore_first_release(path: Path) -> None:
    """A database file written by the first release (commit 7881967, schema v3), from its SQL dump."""
    connection = sqlite3.connect(path)
    connection.executescript(FIRST_RELEASE_SQL.read_text())
    connection.close()


def test_a_first_release_database_upgrades_in_place_and_keeps_every_record(tmp_path, clock):
    """The dump was captured from a database the first release's own code wrote, so a missing ALTER fails here."""
    path = tmp_path / "edge-node.db"
    restore_first_release(path)
    store = AttendanceStore.open(path, AttendanceRules(time_zone="Europe/Berlin"), clock)
    try:
        assert current_version(store.tables) == SCHEMA_VERSION
        assert store.persons.get("ann").display_name == "Ann Example"
        events = store.log.list(EventFilter())[0]
        assert [(e.event_id, e.person_id, e.event_type.value) for e in reversed(events)] == [
            (1, "ann", "ENTRY"), (2, "ann", "DUPLICATE"), (3, "ann", "EXIT"), (4, "bob", "ENTRY"),
            (5, "nobody", "REJECTED")]
        assert store.load_setting("cooldown_seconds") == 90
        assert store.tables.camera.get_by_id("cam1").stream_settings == ""
        assert verify_log(store.tables).ok  # the old events were chained by the migration
        card = store.reports.timecards(date(2026, 11, 23), date(2026, 11, 23), "ann")[0].days[0]
        assert (card.worked_minutes, card.paid_minutes) == (541, 481)  # 08:00-17:00:30 Berlin (540.5 min), lunch 1 h
        TemplateStore(store.tables, clock, store.journal).add("ann", "m", np.ones(128, dtype="<f4"))
        assert store.journal.pending(0, 10)[-1].entity == "template"
        assert store.log.record_scan("bob").event.event_id == 6
    finally:
        store.close()


def test_each_frozen_migration_ends_at_the_schema_of_todays_models(tmp_path):
    """The frozen DDL and the peewee models describe the same tables and columns."""
    migrated = bind(open_database(tmp_path / "migrated.db"))
    migrate(migrated)
    modelled = bind(open_database(tmp_path / "modelled.db"))
    modelled.db.create_tables([model for model in modelled.__dict__.values() if isinstance(model, type)])

    def columns(tables) -> dict[str, list[tuple]]:
        names = [r[0] for r in tables.db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'"
                                                      " AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted((c.name, c.data_type.upper(), c.null, c.primary_key) for c in tables.db.get_columns(n))
                for n in names}
    assert columns(migrated) == columns(modelled)
    assert len(MIGRATIONS) == SCHEMA_VERSION


def test_a_counted_scan_sets_the_persons_last_seen_time_and_a_duplicate_or_a_refusal_does_not(tmp_path, clock):
    store = AttendanceStore.open(tmp_path / "s.db", AttendanceRules(time_zone="UTC"), clock)
    try:
        store.persons.upsert("ann", "Ann")
        store.persons.upsert("bob", "Bob", active=False)
        entry = store.log.record_scan("ann").event
        assert store.persons.get("ann").last_seen_at == entry.occurred_at
        clock.advance(10)
        assert store.log.record_scan("ann").event.event_type.value == "DUPLICATE"
        assert store.persons.get("ann").last_seen_at == entry.occurred_at
        clock.advance(3600)
        exit_ = store.log.record_scan("ann").event
        assert exit_.event_type.value == "EXIT" and store.persons.get("ann").last_seen_at == exit_.occurred_at
        assert store.log.record_scan("bob").event.event_type.value == "REJECTED"
        assert store.persons.get("bob").last_seen_at is None
    finally:
        store.close()
