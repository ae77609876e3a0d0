"""The person registry: create, update, list and delete the people the node knows."""
from __future__ import annotations

import hashlib
import threading
from typing import Callable

from edge_node.attendance.model import Employment, Person
from edge_node.attendance.rows import PERSON_COLUMNS, employment_from_text, person_from_row, person_from_tuple
from edge_node.storage.timestamps import to_us
from edge_node.storage.journal import ChangeJournal
from edge_node.storage.schema import Tables, purge_wal
from edge_node.common.validation import check_display_name, check_person_id, decode_token, encode_token, page_size
from edge_node.common.clock import Clock
from edge_node.common.errors import AlreadyExists, InvalidArgument, NotFound

DeleteHook = Callable[[str], int]


def pseudonym(person_id: str) -> str:
    """What stands for an erased person's name, the same on every box and on the hub: no name, yet
    distinct per person on a timecard."""
    return f"erased-{hashlib.sha256(person_id.encode()).hexdigest()[:8]}"


class PersonRegistry:
    """Persons in SQLite; writes are serialised by a lock, reads go straight to the database."""

    def __init__(self, tables: Tables, clock: Clock, journal: ChangeJournal) -> None:
        self._t = tables
        self._clock = clock
        self._journal = journal
        self._lock = threading.Lock()
        self._delete_hooks: list[DeleteHook] = []

    def on_delete(self, hook: DeleteHook) -> None:
        """Call `hook(person_id)` inside the delete transaction; it returns how many templates it removed."""
        self._delete_hooks.append(hook)

    def upsert(self, person_id: str, display_name: str, active: bool | None = None,
               create_only: bool = False, journal: bool = True,
               employment: Employment | None = None) -> tuple[Person, bool]:
        """Create or update a person; `active=None` keeps the stored flag (True for a new person), and
        `employment=None` the stored employment period (unset for a new person).

        `journal=False` is for changes that came from the hub and must not be sent back to it.
        """
        check_person_id(person_id)
        check_display_name(display_name)
        if employment is not None:
            check_employment(employment)
        now_us = to_us(self._clock.now())
        with self._t.db.atomic(), self._lock:  # the write lock first, as a roster sync nests it: no deadlock
            row = self._t.person.get_or_none(self._t.person.person_id == person_id)
            if row is not None and create_only:
                raise AlreadyExists(f"person {person_id!r} already exists; omit create_only to update it")
            if row is None:
                row = self._t.person.create(person_id=person_id, display_name=display_name,
                                            active=True if active is None else active,
                                            created_us=now_us, updated_us=now_us)
                created = True
            else:
                row.display_name = display_name
                row.active = row.active if active is None else active
                row.updated_us = now_us
                created = False
            if employment is not None:
                row.employed_from = employment.start.isoformat() if employment.start else ""
                row.employed_until = employment.end.isoformat() if employment.end else ""
            row.save()
            if journal:
                self._journal.record("person", "upsert", person_id,
                                     {"display_name": row.display_name, "active": bool(row.active),
                                      "employed_from": row.employed_from, "employed_until": row.employed_until,
                                      "created_us": row.created_us},
                                     now_us)
        return person_from_row(row), created

    def get(self, person_id: str) -> Person:
        check_person_id(person_id)
        person = self.find(person_id)
        if person is None:
            raise NotFound(f"person {person_id!r} does not exist")
        return person

    def find(self, person_id: str) -> Person | None:
        """The person, or None (one primary-key lookup; no cache, so it is never stale)."""
        row = self._t.db.execute_sql(
            f"SELECT {PERSON_COLUMNS} FROM person WHERE person_id = ?", (person_id,)).fetchone()
        return person_from_tuple(row) if row else None

    def list(self, size: int = 0, token: str = "", include_inactive: bool = False) -> tuple[list[Person], str, int]:
        """One page ordered by person_id, the next page token ('' at the end), and the total count."""
        limit = page_size(size)
        after = decode_token("persons", token)
        P = self._t.person
        base = P.select() if include_inactive else P.select().where(P.active == True)  # noqa: E712
        query = base.order_by(P.person_id).limit(limit + 1)
        if after is not None:
            query = query.where(P.person_id > after)
        rows = list(query)
        persons = [person_from_row(r) for r in rows[:limit]]
        next_token = encode_token("persons", persons[-1].person_id) if len(rows) > limit else ""
        return persons, next_token, base.count()

    def all_active_ids(self) -> list[tuple[str, str, int, Employment]]:
        """(person_id, display_name, created_us, employment as set) of every active person."""
        P = self._t.person
        return [(r.person_id, r.display_name, r.created_us, employment_from_text(r.employed_from, r.employed_until))
                for r in P.select().where(P.active == True)]  # noqa: E712

    def employments(self) -> dict[str, Employment]:
        """The employment period set for each person who has one."""
        rows = self._t.db.execute_sql("SELECT person_id, employed_from, employed_until FROM person"
                                      " WHERE employed_from != '' OR employed_until != ''")
        return {pid: employment_from_text(start, end) for pid, start, end in rows}

    def erase_name(self, person_id: str) -> str:
        """Replace the person's name by their pseudonym in the person row and in the change journal, and
        journal the pseudonym for the hub (inside the caller's transaction); returns the pseudonym."""
        alias = pseudonym(check_person_id(person_id))
        now_us = to_us(self._clock.now())
        with self._t.db.atomic(), self._lock:
            self._journal.rename_person(person_id, alias)
            row = self._t.person.get_or_none(self._t.person.person_id == person_id)
            if row is not None:
                self._t.person.update(display_name=alias, updated_us=now_us).where(
                    self._t.person.person_id == person_id).execute()
                self._journal.record("person", "upsert", person_id, {"display_name": alias, "active": bool(row.active)},
                                     now_us)
        return alias

    def delete(self, person_id: str, journal: bool = True) -> int:
        """Delete the person and (through the hooks) their templates; return templates removed."""
        check_person_id(person_id)
        with self._t.db.atomic(), self._lock:  # the write lock first, as a roster sync nests it: no deadlock
            if self._t.person.delete().where(self._t.person.person_id == person_id).execute() == 0:
                raise NotFound(f"person {person_id!r} does not exist")
            removed = sum(hook(person_id) for hook in self._delete_hooks)
            if journal:
                self._journal.record("person", "delete", person_id, {}, to_us(self._clock.now()))
        purge_wal(self._t.db)
        return removed


def check_employment(employment: Employment) -> None:
    if employment.start and employment.end and employment.end < employment.start:
        raise InvalidArgument(f"the employment ends ({employment.end}) before it starts ({employment.start})")
