"""Timecards across a site's boxes: the hub reads every box's punches and schedule versions and runs the node's
own function."""
from __future__ import annotations

import logging
from datetime import date, datetime

from edge_node.attendance.punch_rows import period_range_us
from edge_node.attendance.punches import punches_by_person
from edge_node.attendance.reports import Timecard, check_period
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.timecard import Calendars, person_timecards
from edge_node.hub.events import HubEvents
from edge_node.hub.schedules import HubSchedules
from edge_node.hub.site_schedule import site_history

log = logging.getLogger(__name__)


def site_timecards(events: HubEvents, schedules: HubSchedules, rules: AttendanceRules, first: date, last: date,
                   node_ids: list[str], person_id: str, now: datetime) -> tuple[list[Timecard], list[str]]:
    """One timecard per person who punched at any of the boxes, and the schedule conflicts between the boxes.
    An entry at box A and an exit at box B are one visit, since all boxes' punches go through the same pairing,
    on the shift days of the site's schedule (`site_schedule`)."""
    check_period(first, last)
    history, conflicts = site_history(schedules.of_nodes(node_ids), rules, first, last)
    for conflict in conflicts:
        log.warning("site timecards %s..%s of %s: %s", first, last, ", ".join(node_ids) or "every box", conflict)
    start_us, end_us = period_range_us(rules, first, last)
    punches = punches_by_person(events.punch_rows(start_us, end_us, node_ids, person_id))
    names = events.names()
    ids = [person_id] if person_id else sorted(punches)
    calendars = Calendars(history, rules)
    cards = [Timecard(pid, names.get(pid, ""), person_timecards(calendars, pid, punches.get(pid, []), first, last, now))
             for pid in ids]
    return cards, conflicts
