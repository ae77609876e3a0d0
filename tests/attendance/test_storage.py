"""SQLite storage: concurrent writers on their own connections wait for each other instead of failing."""
from __future__ import annotations

import threading
import time

from edge_node.storage.migrations import migrate
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
