"""The daily summary of the first release's API, read off a computed day card."""
from __future__ import annotations

from datetime import date

from edge_node.attendance.model import AttendanceStatus, DailySummary
from edge_node.attendance.timecard import DayCard, DayStatus

_STATUS = {DayStatus.PRESENT: AttendanceStatus.PRESENT, DayStatus.HALF_DAY: AttendanceStatus.HALF_DAY}


def summary_of(card: DayCard, person_name: str) -> DailySummary:
    """ENTRY/EXIT counts are the day's punches taken alternately; a day without punches is ABSENT."""
    return DailySummary(card.person_id, person_name, card.day, card.first_in, card.last_out, (card.punches + 1) // 2,
                        card.punches // 2, card.worked_hours, _STATUS.get(card.status, AttendanceStatus.ABSENT),
                        len(card.flags), card.punches % 2 == 1)


def absent(person_id: str, person_name: str, day: date) -> DailySummary:
    """The summary of a person with no punches on `day`."""
    return DailySummary(person_id, person_name, day, None, None, 0, 0, 0.0, AttendanceStatus.ABSENT, 0, False)
