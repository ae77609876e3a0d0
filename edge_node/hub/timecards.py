"""Timecards across a site's boxes: the hub reads every box's punches and runs the node's own function."""
from __future__ import annotations

from datetime import date, datetime

from edge_node.attendance.punch_rows import period_range_us
from edge_node.attendance.punches import punches_by_person
from edge_node.attendance.reports import Timecard, check_period
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule_history import ScheduleHistory
from edge_node.attendance.timecard import Calendars, person_timecards
from edge_node.hub.events import HubEvents


def site_timecards(events: HubEvents, rules: AttendanceRules, first: date, last: date, node_ids: list[str],
                   person_id: str, now: datetime) -> list[Timecard]:
    """One timecard per person who punched at any of the boxes; an entry at box A and an exit at box B are
    one visit, since all boxes' punches go through the same pairing."""
    check_period(first, last)
    start_us, end_us = period_range_us(rules, first, last)
    punches = punches_by_person(events.punch_rows(start_us, end_us, node_ids, person_id))
    names = events.names()
    ids = [person_id] if person_id else sorted(punches)
    calendars = Calendars(ScheduleHistory((), rules), rules)
    return [Timecard(pid, names.get(pid, ""), person_timecards(calendars, pid, punches.get(pid, []), first, last, now))
            for pid in ids]
