"""Timecards across a site's boxes: the hub reads every box's punches, schedule versions and pay rules and runs
the node's own function; no rule of the hub's own enters a day."""
from __future__ import annotations

import logging
from datetime import date, datetime
from typing import NamedTuple

from edge_node.attendance.punch_rows import period_range_us
from edge_node.attendance.punches import punches_by_person
from edge_node.attendance.reports import Timecard, check_period
from edge_node.attendance.model import Employment
from edge_node.attendance.rows import employment_from_text
from edge_node.attendance.rules import AttendanceRules, PayRules, local_date_of
from edge_node.attendance.timecard import Calendars, period_start, person_timecards
from edge_node.common.errors import InvalidArgument
from edge_node.hub.events import HubEvents, HubPerson
from edge_node.hub.schedules import HubSchedules
from edge_node.hub.site_schedule import site_history
from edge_node.storage.timestamps import from_us

log = logging.getLogger(__name__)


class SiteTimecards(NamedTuple):
    cards: list[Timecard]
    # Days on which the boxes' own schedule versions differ (see site_schedule).
    conflicts: list[str]
    # The time zone of the period's last day.
    time_zone: str


def site_timecards(events: HubEvents, schedules: HubSchedules, time_zone: str, first: date, last: date,
                   node_ids: list[str], person_id: str, now: datetime) -> SiteTimecards:
    """One timecard per person who punched at any of the boxes. An entry at box A and an exit at box B are one
    visit, since all boxes' punches go through the same pairing, on the shift days of the site's schedule
    (`site_schedule`). Each day's pay rules (its time zone among them) come from the boxes' version in force on
    it, and the days before every version from the pay rules the boxes kept for them; `time_zone` stands in only
    for boxes that never sent theirs (older boxes), with the built-in defaults."""
    check_period(first, last)
    history, conflicts = site_history(schedules.of_nodes(node_ids), _fallback(schedules, node_ids, time_zone),
                                      first, last)
    for conflict in conflicts:
        log.warning("site timecards %s..%s of %s: %s", first, last, ", ".join(node_ids) or "every box", conflict)
    rules = AttendanceRules(time_zone=history.pay_at(last).time_zone)
    calendars = Calendars(history, rules)
    start_us, end_us = period_range_us(rules, period_start(calendars, first), last)
    punches = punches_by_person(events.punch_rows(start_us, end_us, node_ids, person_id))
    people = events.people()
    ids = [person_id] if person_id else sorted(punches)
    cards = []
    for pid in ids:
        person = people.get(pid)
        days = person_timecards(calendars, pid, punches.get(pid, []), first, last, now, _employment(person, rules))
        cards.append(Timecard(pid, person.name if person else "", days))
    return SiteTimecards(cards, conflicts, rules.time_zone)


def _employment(person: HubPerson | None, rules: AttendanceRules) -> Employment:
    """As on a node: the period as set, an unset start being the local date the person was created."""
    if person is None:
        return Employment()
    as_set = employment_from_text(person.employed_from, person.employed_until)
    created = local_date_of(rules, from_us(person.created_us)) if person.created_us is not None else None
    return Employment(as_set.start or created, as_set.end)


def _fallback(schedules: HubSchedules, node_ids: list[str], time_zone: str) -> PayRules:
    """The pay rules of the days before the site's first version: those the first box (by node id) kept."""
    kept = schedules.fallbacks(node_ids)
    if kept:
        return kept[min(kept)]
    if not time_zone:
        raise InvalidArgument("time_zone is required: none of these boxes has sent its pay rules yet (they arrive "
                              "with the box's next sync; boxes older than pay rules in schedule versions never send "
                              "them)")
    return AttendanceRules(time_zone=time_zone).validate().pay
