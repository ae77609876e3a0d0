"""The shifts of the site in docs/attendance-rules.md, shared by the pay-rule tests and the month by hand."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from edge_node.attendance.schedule import Shift

BERLIN = ZoneInfo("Europe/Berlin")
# 08:00-16:30, a 30 min break inside 12:00-14:00: 480 paid minutes.
DAY = Shift("day", start_minute=8 * 60, end_minute=16 * 60 + 30, lunch_start_minute=12 * 60,
            lunch_end_minute=14 * 60, lunch_minutes=30, min_hours_present=6.0)
# 22:00-06:00, a 30 min break inside 00:00-04:00: 450 paid minutes; punches belong to it from 19:00 to 11:00.
NIGHT = Shift("night", start_minute=22 * 60, end_minute=30 * 60, lunch_start_minute=24 * 60,
              lunch_end_minute=28 * 60, lunch_minutes=30, min_hours_present=6.0, window_before_minutes=180,
              window_after_minutes=300)
