"""Days and instants on the command line, with messages that say what is wrong ("February 2026 has no day 30")."""
from __future__ import annotations

import argparse
import calendar
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from google.protobuf.timestamp_pb2 import Timestamp

DAY_FORM = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def day(text: str) -> date:
    """An argparse type: a calendar day written YYYY-MM-DD."""
    match = DAY_FORM.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day written YYYY-MM-DD, e.g. 2026-11-23")
    year, month, number = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"{text}: there is no month {month} (months are 01-12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= number <= last:
        raise argparse.ArgumentTypeError(f"{calendar.month_name[month]} {year} has no day {number} "
                                         f"(it has {last} days)")
    return date(year, month, number)


def day_text(text: str) -> str:
    """An argparse type for flags passed on to the node as text: checked like `day`, returned as written."""
    return day(text).isoformat()


def day_start(value: date, zone: ZoneInfo) -> datetime:
    """The first instant of `value` on the site's wall clock."""
    return datetime.combine(value, time(0), zone)


def day_end(value: date, zone: ZoneInfo) -> datetime:
    """The first instant after `value` on the site's wall clock."""
    return day_start(value + timedelta(days=1), zone)


def when(stamp: Timestamp, zone: ZoneInfo) -> datetime | None:
    """A protobuf instant on the site's wall clock; None when unset (zero)."""
    return stamp.ToDatetime(tzinfo=zone) if stamp.seconds or stamp.nanos else None
