"""SQLite storage: concurrent writers wait for each other instead of failing; old databases upgrade in place."""
from __future__ import annotations

import threading
import time

import numpy as np

from edge_node.attendance.log import EventFilter
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
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


def test_a_v1_database_upgrades_in_place_and_keeps_its_log(tmp_path, clock):
    """A box updated from the first release: persons and events stay, the later tables appear."""
    path = tmp_path / "edge-node.db"
    tables = bind(open_database(path))
    tables.db.create_tables([tables.version])
    MIGRATIONS[0](tables)
    tables.version.create(version=1)
    tables.db.close()
    v1 = AttendanceStore(bind(open_database(path)), AttendanceRules(time_zone="UTC"), clock)
    v1.persons.upsert("ann", "Ann", journal=False)
    scan = v1.log.record_scan("ann")
    v1.close()

    store = AttendanceStore.open(path, AttendanceRules(time_zone="UTC"), clock)
    try:
        assert current_version(store.tables) == SCHEMA_VERSION
        assert store.persons.get("ann").display_name == "Ann"
        assert [e.event_id for e in store.log.list(EventFilter())[0]] == [scan.event.event_id]
        TemplateStore(store.tables, clock, store.journal).add("ann", "m", np.ones(128, dtype="<f4"))
        assert store.journal.pending(0, 10)[0].entity == "template"
    finally:
        store.close()
