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

COLUMNS = ("person_id", "person_name", "date", "shift", "status", "first_in", "last_out", "worked_hours", "break_hours",
           "overtime_hours", "late_minutes", "early_leave_minutes", "flags", "punches", "corrections", "sources",
           "correction_notes")
# Columns summed into the totals, as the rows show them (hours rounded to 2 decimals, minutes, counts).
SUMMED = ("worked_hours", "break_hours", "overtime_hours", "late_minutes", "early_leave_minutes", "corrections")
TOTAL_COLUMNS = ("person_id", "person_name", "present_days", "half_days", "absent_days", *SUMMED)
_DAY_COUNTS = {"present_days": "PRESENT", "half_days": "HALF_DAY", "absent_days": "ABSENT"}
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOURS_DECIMALS = 2


def day_rows(reply: pb.GetTimecardsResponse) -> list[list[Any]]:
    """The rows of a GetTimecards reply in COLUMNS order, typed: dates, times in the site's zone, hours rounded
    to the decimals the export shows."""
    zone = ZoneInfo(reply.time_zone)
    rows = []
    for card in reply.timecards:
        for day in card.days:
            rows.append([
                card.person_id, card.person_name, date.fromisoformat(day.date), day.shift,
                pb.DayStatus.Name(day.status)[len("DAY_STATUS_"):], _time(day, "first_in", zone),
                _time(day, "last_out", zone), _hours(day.worked_hours), _hours(day.break_hours),
                _hours(day.overtime_hours), day.late_minutes, day.early_leave_minutes,
                ";".join(pb.AnomalyKind.Name(f)[len("ANOMALY_KIND_"):] for f in day.flags), day.punches,
                day.corrections, ";".join(day.sources), correction_notes(day.correction_notes, zone)])
    return rows


def total_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Each person's totals in TOTAL_COLUMNS order, summed from the day rows as they are shown."""
    at = {name: i for i, name in enumerate(COLUMNS)}
    totals: dict[str, list[Any]] = {}
    for row in rows:
        total = totals.setdefault(row[at["person_id"]], [row[at["person_id"]], row[at["person_name"]],
                                                         *([0] * (len(TOTAL_COLUMNS) - 2))])
        for i, name in enumerate(TOTAL_COLUMNS[2:], start=2):
            total[i] += (row[at["status"]] == _DAY_COUNTS[name]) if name in _DAY_COUNTS else row[at[name]]
    for total in totals.values():  # sums of 2-decimal values, without float noise
        for i, name in enumerate(TOTAL_COLUMNS[2:], start=2):
            if name.endswith("_hours"):
                total[i] = round(total[i], HOURS_DECIMALS)
    return list(totals.values())


def correction_notes(notes: Iterable[pb.CorrectionNote], zone: ZoneInfo) -> str:
    """A day's corrections in one cell: `KIND TIME by ACTOR: REASON`, separated by ' | '."""
    return " | ".join(f"{pb.EventType.Name(n.event_type)[len('EVENT_TYPE_'):]} "
                      f"{_stamp(n.occurred_at, zone):%Y-%m-%d %H:%M} by {n.actor}: {n.reason}" for n in notes)


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


def _hours(value: float) -> float:
    return round(value, HOURS_DECIMALS)


def _stamp(stamp, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(stamp.seconds + stamp.nanos / 1e9, zone)


def _time(day: pb.TimecardDay, field: str, zone: ZoneInfo) -> datetime | None:
    return _stamp(getattr(day, field), zone) if day.HasField(field) else None
