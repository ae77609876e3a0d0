"""The daily summary of the first release's API, read off a computed day card."""
from __future__ import annotations

from edge_node.attendance.model import AttendanceStatus, DailySummary
from edge_node.attendance.timecard import DayCard, DayStatus

# A day with an IN still open (INCOMPLETE) is not a full day yet: HALF_DAY, with open_entry set.
_STATUS = {DayStatus.PRESENT: AttendanceStatus.PRESENT, DayStatus.HALF_DAY: AttendanceStatus.HALF_DAY,
           DayStatus.INCOMPLETE: AttendanceStatus.HALF_DAY}


def summary_of(card: DayCard, person_name: str) -> DailySummary:
    """ENTRY/EXIT counts are the day's punches taken alternately; hours are the paid hours; a day without
    punches is ABSENT."""
    return DailySummary(card.person_id, person_name, card.day, card.first_in, card.last_out, (card.punches + 1) // 2,
                        card.punches // 2, card.paid_hours, _STATUS.get(card.status, AttendanceStatus.ABSENT),
                        len(card.flags), card.punches % 2 == 1)

