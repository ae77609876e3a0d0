"""Group commit on a real SQLite file with synchronous=FULL: waiting writes share one transaction,
each answered only after its commit (an event loop's callers all in one wake-up), a failing write rolls back alone."""
from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from edge_node.attendance.model import EventType
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.verify import verify_log
from edge_node.storage.group_commit import GroupCommitter
from edge_node.storage.schema import open_database


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "g.db", "FULL")
    database.execute_sql("CREATE TABLE mark (name TEXT PRIMARY KEY)")
    yield database
    database.close()


def _insert(db, name: str):
    return lambda: db.execute_sql("INSERT INTO mark (name) VALUES (?)", (name,)).lastrowid


def test_writes_waiting_together_share_a_commit_and_each_is_durable_when_answered(db, tmp_path: Path) -> None:
    committer = GroupCommitter(db)
    gate = threading.Event()
    blocker = committer.submit(gate.wait, grouped=False)  # holds the writer while the others queue up
    futures = [committer.submit(_insert(db, f"scan-{i}")) for i in range(40)]
    gate.set()
    assert blocker.result(10) is True
    for future in futures:
        future.result(10)
    assert committer.grouped_jobs == 40 and committer.commits < 10, (committer.commits, committer.grouped_jobs)
    reader = sqlite3.connect(tmp_path / "g.db")  # another connection sees every answered write
    assert reader.execute("SELECT count(*) FROM mark").fetchone()[0] == 40
    reader.close()
    committer.close()


def test_a_failing_write_rolls_back_alone_and_its_caller_gets_the_error(db, tmp_path: Path) -> None:
    committer = GroupCommitter(db)
    gate = threading.Event()
    committer.submit(gate.wait, grouped=False)

    def half_then_fail() -> None:
        db.execute_sql("INSERT INTO mark (name) VALUES ('half')")
        raise ValueError("refused")

    good, bad, twin = (committer.submit(_insert(db, "a")), committer.submit(half_then_fail),
                       committer.submit(_insert(db, "a")))
    after = committer.submit(_insert(db, "b"))
    gate.set()
    good.result(10)
    with pytest.raises(ValueError, match="refused"):
        bad.result(10)
    with pytest.raises(Exception, match="UNIQUE"):
        twin.result(10)
    after.result(10)
    names = {row[0] for row in sqlite3.connect(tmp_path / "g.db").execute("SELECT name FROM mark")}
    assert names == {"a", "b"}
    committer.close()


def test_a_write_that_must_run_alone_runs_in_order_between_batches(db) -> None:
    committer = GroupCommitter(db)
    seen: list[str] = []
    gate = threading.Event()
    committer.submit(gate.wait, grouped=False)
    futures = [committer.submit(lambda: seen.append("grouped-1")),
               committer.submit(lambda: seen.append(f"alone in a transaction: {db.in_transaction()}"), grouped=False),
               committer.submit(lambda: seen.append("grouped-2"))]
    gate.set()
    for future in futures:
        future.result(10)
    assert seen == ["grouped-1", "alone in a transaction: False", "grouped-2"]
    committer.close()


def test_an_atomic_job_gets_no_savepoint_of_ours_and_still_rolls_back_alone(db, tmp_path: Path) -> None:
    committer = GroupCommitter(db)
    gate = threading.Event()
    committer.submit(gate.wait, grouped=False)

    def atomic_then_fail() -> None:
        with db.atomic():
            db.execute_sql("INSERT INTO mark (name) VALUES ('half')")
            raise ValueError("refused")

    depths: list[int] = []
    first = committer.submit(lambda: depths.append(db.transaction_depth()), atomic=True)
    bad, good = committer.submit(atomic_then_fail, atomic=True), committer.submit(_insert(db, "kept"), atomic=True)
    gate.set()
    first.result(10)
    with pytest.raises(ValueError, match="refused"):
        bad.result(10)
    good.result(10)
    assert depths == [1]  # inside the batch's transaction, no savepoint around the job
    assert {row[0] for row in sqlite3.connect(tmp_path / "g.db").execute("SELECT name FROM mark")} == {"kept"}
    committer.close()


def test_an_event_loops_writes_are_answered_together_and_a_caller_that_gave_up_is_skipped(db, tmp_path: Path) -> None:
    committer = GroupCommitter(db)
    gate = threading.Event()

    async def main() -> tuple[list, bool]:
        blocker = committer.submit(gate.wait, grouped=False)
        futures = [committer.submit_async(_insert(db, f"scan-{i}")) for i in range(5)]
        gave_up = committer.submit_async(_insert(db, "gave-up"))
        failing = committer.submit_async(_insert(db, "scan-0"))  # UNIQUE: fails alone
        gave_up.cancel()
        gate.set()
        first = await futures[0]
        together = all(f.done() for f in (*futures, failing))  # no other turn of the loop was needed
        with pytest.raises(Exception, match="UNIQUE"):
            await failing
        await asyncio.wrap_future(blocker)
        return [first, *[await f for f in futures[1:]]], together

    ids, together = asyncio.run(main())
    assert together and len(set(ids)) == 5
    names = {row[0] for row in sqlite3.connect(tmp_path / "g.db").execute("SELECT name FROM mark")}
    assert names == {f"scan-{i}" for i in range(5)} | {"gave-up"}  # a caller that gave up does not undo its write
    assert committer.submit(_insert(db, "after")).result(10)  # the writer thread goes on
    committer.close()


def test_event_writes_in_one_batch_roll_back_alone_and_keep_the_chain_whole(tmp_path: Path) -> None:
    store = AttendanceStore.open(tmp_path / "a.db", AttendanceRules(time_zone="UTC"))
    store.persons.upsert("ann", "Ann")
    gate = threading.Event()
    blocker = store.writes.submit(gate.wait, grouped=False)

    def append_then_fail() -> None:
        with store.writer.transaction():
            store.writer.append(store.get_rules(), EventType.ENTRY, "ann", "Ann", store.clock.now())
            raise ValueError("refused")

    first = store.writes.submit(lambda: store.log.record_scan("ann"), atomic=True)
    bad = store.writes.submit(append_then_fail, atomic=True)
    second = store.writes.submit(lambda: store.log.record_scan("ann"), atomic=True)
    gate.set()
    blocker.result(10)
    kept = [first.result(10).event, second.result(10).event]
    with pytest.raises(ValueError, match="refused"):
        bad.result(10)
    assert [e.event_id for e in kept] == [1, 2] and kept[1].event_type is EventType.DUPLICATE
    assert verify_log(store.tables).ok
    store.close()
