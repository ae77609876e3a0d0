"""The payroll export of a GetTimecards reply: one typed row per person and shift day, each person's totals
summed from the rounded values the rows show, and cells that a spreadsheet never runs as formulas.

Every column is documented with a worked example in docs/payroll-export.md. Columns are stable: new ones
are only ever appended.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb

COLUMNS = ("person_id", "person_name", "date", "day_kind", "shift", "status", "scheduled_start", "scheduled_end",
           "scheduled_paid_hours", "first_in", "last_out", "punch_times", "worked_hours", "break_hours",
           "break_deducted_hours", "paid_hours", "overtime_hours", "late_minutes", "early_leave_minutes", "exceptions",
           "corrections", "correction_notes", "flags", "punches", "sources")
# Columns summed into the totals, as the rows show them (hours rounded to 2 decimals, minutes, counts).
SUMMED = ("scheduled_paid_hours", "worked_hours", "break_hours", "break_deducted_hours", "paid_hours", "overtime_hours",
          "late_minutes", "early_leave_minutes", "corrections")
_DAY_COUNTS = {"present_days": ("status", "PRESENT"), "half_days": ("status", "HALF_DAY"),
               "absent_days": ("status", "ABSENT"), "incomplete_days": ("status", "INCOMPLETE"),
               "holiday_work_days": ("day_kind", "HOLIDAY_WORK"),
               "day_off_work_days": ("day_kind", "DAY_OFF_WORK")}
TOTAL_COLUMNS = ("person_id", "person_name", *_DAY_COUNTS, "exception_days", *SUMMED)
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOURS_DECIMALS = 2


def day_rows(reply: pb.GetTimecardsResponse) -> list[list[Any]]:
    """The rows of a GetTimecards reply in COLUMNS order, typed: dates, times in each day's time zone (its schedule
    version's; the reply's for a node that does not say), hours rounded to the decimals the export shows."""
    rows = []
    for card in reply.timecards:
        for day in card.days:
            zone = ZoneInfo(day.time_zone or reply.time_zone)
            shift_day = date.fromisoformat(day.date)
            rows.append([
                card.person_id, card.person_name, shift_day, _name(pb.DayKind, day.day_kind), day.shift,
                _name(pb.DayStatus, day.status), _time(day, "scheduled_start", zone), _time(day, "scheduled_end", zone),
                _hours(day.scheduled_paid_hours), _time(day, "first_in", zone), _time(day, "last_out", zone),
                punch_times(day.punch_times, shift_day, zone), _hours(day.worked_hours), _hours(day.break_hours),
                _hours(day.break_deducted_hours), _hours(day.paid_hours), _hours(day.overtime_hours),
                day.late_minutes, day.early_leave_minutes, ";".join(_name(pb.DayException, e) for e in day.exceptions),
                day.corrections, correction_notes(day.correction_notes, zone),
                ";".join(_name(pb.AnomalyKind, f) for f in day.flags), day.punches, ";".join(day.sources)])
    return rows


def total_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Each person's totals in TOTAL_COLUMNS order, summed from the day rows as they are shown."""
    at = {name: i for i, name in enumerate(COLUMNS)}
    totals: dict[str, list[Any]] = {}
    for row in rows:
        total = totals.setdefault(row[at["person_id"]], [row[at["person_id"]], row[at["person_name"]],
                                                         *([0] * (len(TOTAL_COLUMNS) - 2))])
        for i, name in enumerate(TOTAL_COLUMNS[2:], start=2):
            if name in _DAY_COUNTS:
                column, value = _DAY_COUNTS[name]
                total[i] += row[at[column]] == value
            else:
                total[i] += bool(row[at["exceptions"]]) if name == "exception_days" else row[at[name]]
    for total in totals.values():  # sums of 2-decimal values, without float noise
        for i, name in enumerate(TOTAL_COLUMNS[2:], start=2):
            if name.endswith("_hours"):
                total[i] = round(total[i], HOURS_DECIMALS)
    return list(totals.values())


def correction_notes(notes: Iterable[pb.CorrectionNote], zone: ZoneInfo) -> str:
    """A day's corrections in one cell: `KIND TIME by ACTOR: REASON`, separated by ' | '."""
    return " | ".join(f"{pb.EventType.Name(n.event_type)[len('EVENT_TYPE_'):]} "
                      f"{_stamp(n.occurred_at, zone):%Y-%m-%d %H:%M} by {n.actor}: {n.reason}" for n in notes)


def punch_times(stamps: Iterable, shift_day: date, zone: ZoneInfo) -> str:
    """Every punch of a day in one cell, as the site's wall-clock `HH:MM`; a punch on another calendar date than
    the shift day (a night shift's morning exit) with its date: `22:01 2026-10-26 06:04`."""
    shown = []
    for stamp in stamps:
        local = _stamp(stamp, zone)
        shown.append(f"{local:%H:%M}" if local.date() == shift_day else f"{local:%Y-%m-%d %H:%M}")
    return " ".join(shown)


def formula_safe(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading ' before = + - @ tab or carriage return."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]], bom: bool = False) -> str:
    """The table as CSV (ISO dates and times, hours with 2 decimals), every text cell formula-safe; with a byte
    order mark when `bom` (Excel then reads the file as UTF-8)."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.{HOURS_DECIMALS}f}"
    if isinstance(value, str):
        return formula_safe(value)
    return "" if value is None else value


def _name(enum: Any, value: int) -> str:
    """A protobuf enum value's name without the enum's prefix (DayKind HOLIDAY_WORK, not DAY_KIND_HOLIDAY_WORK)."""
    prefix = "".join(f"_{c}" if c.isupper() else c.upper() for c in enum.DESCRIPTOR.name).lstrip("_") + "_"
    return enum.Name(value).removeprefix(prefix)


def _hours(value: float) -> float:
    return round(value, HOURS_DECIMALS)


def _stamp(stamp, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(stamp.seconds + stamp.nanos / 1e9, zone)


def _time(day: pb.TimecardDay, field: str, zone: ZoneInfo) -> datetime | None:
    return _stamp(getattr(day, field), zone) if day.HasField(field) else None
