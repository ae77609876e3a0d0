"""Group commit: durable writes at a high rate on a small box.

With `synchronous = FULL` every commit waits for its fsync (a few ms on an SD card), so writers that
commit one by one are capped at a few hundred per second. The committer runs write jobs on one
thread and puts the grouped jobs that are waiting at the same moment into one transaction, each job
in its own savepoint (a failing job rolls back alone): one fsync then makes the whole batch durable,
and only after it is every caller answered. A job that must not share a transaction (one that
checkpoints the WAL, say) runs alone, in order.

What a job shows the world (an event broadcast to watchers) goes through `after_commit`: in a batch it
waits for the commit, and it is dropped when the job or the batch rolls back, so no watcher ever sees a
write that was not stored.
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
from concurrent.futures import Future, InvalidStateError
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable

import peewee as pw

from edge_node.common.errors import Unavailable

log = logging.getLogger(__name__)
# The most jobs one transaction carries: bounds how long the first of them waits for its answer.
MAX_BATCH = 64


@dataclass
class _Job:
    fn: Callable[[], Any]
    grouped: bool
    atomic: bool  # the job keeps all its writes in a `db.atomic()` of its own: no savepoint is added for it
    future: Future | asyncio.Future = field(default_factory=Future)
    loop: asyncio.AbstractEventLoop | None = None  # set when `future` belongs to this event loop
    effects: list[Callable[[], None]] = field(default_factory=list)  # `after_commit` calls of this job


class GroupCommitter:
    """Thread-safe `submit`; `close` stops the writer thread after the jobs already queued."""

    def __init__(self, db: pw.Database, name: str = "group-commit", lock: AbstractContextManager | None = None,
                 rolled_back: Callable[[], None] = lambda: None) -> None:
        """`lock`: taken around each batch's transaction, when the jobs take it too (it must be
        re-entrant), so that every writer takes it before the SQLite write lock. `rolled_back`: called when a
        job's savepoint or a whole batch is rolled back (what the jobs keep in memory of their writes is stale)."""
        self._db = db
        self._lock = nullcontext() if lock is None else lock
        self._rolled_back = rolled_back
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        # Transactions committed for grouped jobs, and the jobs they carried (their ratio: the batch size).
        self.commits = 0
        self.grouped_jobs = 0
        self._current: _Job | None = None  # the grouped job running now (writer thread only)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], Any], grouped: bool = True, atomic: bool = False) -> Future:
        """Run `fn` on the writer thread; the future completes once its transaction is committed. `atomic`: `fn`
        writes only inside a `db.atomic()` of its own and fails out of it, so it needs no savepoint from here."""
        job = _Job(fn, grouped, atomic)
        self._jobs.put(job)
        return job.future

    def submit_async(self, fn: Callable[[], Any], grouped: bool = True, atomic: bool = False) -> asyncio.Future:
        """`submit` for a caller on an event loop (call it there): the answers of a batch reach each loop
        in one wake-up, not one per job."""
        loop = asyncio.get_running_loop()
        job = _Job(fn, grouped, atomic, loop.create_future(), loop)
        self._jobs.put(job)
        return job.future

    def after_commit(self, effect: Callable[[], None]) -> None:
        """Run `effect` once the caller's writes are durable: from a grouped job, after its batch's commit (never
        if the job or the batch rolls back); anywhere else at once, for the caller's transaction has ended."""
        if threading.current_thread() is self._thread and self._current is not None:
            self._current.effects.append(effect)
            return
        if self._db.in_transaction():
            raise RuntimeError("after_commit inside a transaction the group committer does not own")
        effect()

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(10)

    def _run(self) -> None:
        carried: list[_Job | None] = []  # a job taken while filling a batch that could not join it
        while True:
            job = carried.pop() if carried else self._jobs.get()
            if job is None:
                return
            if not job.grouped:
                self._alone(job)
                continue
            batch = [job]
            while len(batch) < MAX_BATCH:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None or not more.grouped:
                    carried.append(more)
                    break
                batch.append(more)
            self._commit(batch)

    @staticmethod
    def _alone(job: _Job) -> None:
        try:
            result = job.fn()
        except Exception as exc:  # noqa: BLE001 - the job's failure goes to its caller
            _answer_all([(job, None, exc)])
        else:
            _answer_all([(job, result, None)])

    def _commit(self, batch: list[_Job]) -> None:
        """One transaction, a savepoint per job; effects and answers go out after the commit."""
        outcomes: list[tuple[_Job, Any, BaseException | None]] = []
        try:
            with self._lock, self._db.atomic():
                for job in batch:
                    self._current = job
                    try:
                        with nullcontext() if job.atomic else self._db.atomic():
                            outcomes.append((job, job.fn(), None))
                    except Exception as exc:  # noqa: BLE001 - the job's own failure goes to its caller
                        job.effects.clear()
                        self._rolled_back()
                        outcomes.append((job, None, exc))
                    finally:
                        self._current = None
        except Exception as exc:  # noqa: BLE001 - the commit failed: nothing of the batch is stored
            log.error("group commit of %d writes failed: %s", len(batch), exc)
            self._rolled_back()
            failure = Unavailable(f"the write was not stored, the database refused its commit ({exc}); "
                                  "nothing of it was kept: retry, and check the node's disk if it persists")
            failure.__cause__ = exc
            _answer_all([(job, None, failure) for job in batch])
            return
        self.commits += 1
        self.grouped_jobs += len(batch)
        for job, _result, _error in outcomes:
            for effect in job.effects:
                self._run_effect(effect)
        _answer_all(outcomes)

    @staticmethod
    def _run_effect(effect: Callable[[], None]) -> None:
        try:
            effect()
        except Exception:  # noqa: BLE001 - the write is stored; a failing effect must not fail its caller
            log.exception("an effect after a group commit failed")


_Answer = tuple[_Job, Any, "BaseException | None"]


def _answer_all(answers: list[_Answer]) -> None:
    """Hand each caller its answer: a thread's at once, an event loop's all in one call on that loop."""
    on_loops: dict[asyncio.AbstractEventLoop, list[_Answer]] = {}
    for answer in answers:
        loop = answer[0].loop
        if loop is None:
            _answer(*answer)
        else:
            on_loops.setdefault(loop, []).append(answer)
    for loop, theirs in on_loops.items():
        try:
            loop.call_soon_threadsafe(_answer_each, theirs)
        except RuntimeError:  # the loop is closed: nobody is waiting for these answers any more
            log.debug("%d answers dropped: their event loop is closed", len(theirs))


def _answer_each(answers: list[_Answer]) -> None:
    for answer in answers:
        _answer(*answer)


def _answer(job: _Job, result: Any = None, error: BaseException | None = None) -> None:
    """Hand a caller its answer; one that gave up waiting (its future cancelled) is skipped, so the writer
    thread goes on serving the others."""
    future = job.future
    try:
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)
    except (InvalidStateError, asyncio.InvalidStateError):
        pass
