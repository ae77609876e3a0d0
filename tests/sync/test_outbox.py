"""The outbox keeps every unsynced event; synced ones go after the retention period."""
from __future__ import annotations

from datetime import timedelta

from edge_node.storage.timestamps import to_us
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.verify import verify_log
from edge_node.attendance.rules import AttendanceRules
from edge_node.sync.outbox import Outbox


def test_prune_removes_only_synced_events_past_retention(tmp_path, clock):
    store = AttendanceStore.open(tmp_path / "node.db", AttendanceRules(time_zone="UTC"), clock)
    for _ in range(4):
        store.log.record_scan("nobody")
        clock.advance(timedelta(days=1).total_seconds())
    outbox = Outbox(store.tables)
    cutoff = to_us(clock.now() - timedelta(days=2, hours=12))  # events 1 and 2 are older than this
    assert outbox.prune(acked_seq=1, older_than_us=cutoff) == 1  # event 2 is old but not acknowledged
    assert [row[0] for row in outbox.batch(0, 10)] == [2, 3, 4]
    assert outbox.prune(acked_seq=4, older_than_us=cutoff) == 1
    assert [row[0] for row in outbox.batch(0, 10)] == [3, 4] and outbox.depth(2) == 2
    store.log.record_scan("nobody")
    assert outbox.last_seq() == 5  # ids are never reused after pruning
    assert verify_log(store.tables).ok  # what remains links to the anchor the pruning kept
    store.tables.db.execute_sql("DELETE FROM event WHERE id = 3")  # removing the oldest remaining one is seen
    assert verify_log(store.tables).broken.problem.startswith("record 3 is missing")
    store.close()


def test_pruning_everything_keeps_the_chain_going(tmp_path, clock):
    store = AttendanceStore.open(tmp_path / "node.db", AttendanceRules(time_zone="UTC"), clock)
    for _ in range(3):
        store.log.record_scan("nobody")
    outbox = Outbox(store.tables)
    clock.advance(timedelta(days=1).total_seconds())
    assert outbox.prune(acked_seq=3, older_than_us=to_us(clock.now())) == 3
    assert store.log.record_scan("nobody").event.event_id == 4
    result = verify_log(store.tables)
    assert (result.ok, result.checked) == (True, 1)
    store.close()
