"""Tables as an XLSX workbook with typed cells (needs the `xlsx` extra: XlsxWriter).

Each sheet has a bold header row that stays in view (frozen) with a filter, and columns as wide as
their content. Cells keep their types: a date is an Excel date, a datetime an Excel date and time
(Excel has no time zones: give wall-clock times), a float a number with two decimals, and a string is
always a string: a name such as `=HYPERLINK(...)` is stored as text, never as a formula.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence

import xlsxwriter

MIN_WIDTH, MAX_WIDTH = 8, 48
_FORMATS = {datetime: "yyyy-mm-dd hh:mm:ss", date: "yyyy-mm-dd", float: "0.00"}


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


def write_workbook(path: Path, sheets: Sequence[Sheet], comments: str = "") -> None:
    """Write `sheets` to `path` (replaced); `comments` goes into the file's properties."""
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        book.set_properties({"comments": comments})
        header = book.add_format({"bold": True, "bottom": 1})
        formats = {kind: book.add_format({"num_format": pattern}) for kind, pattern in _FORMATS.items()}
        for sheet in sheets:
            _write_sheet(book.add_worksheet(sheet.name), sheet, header, formats)


def _write_sheet(page, sheet: Sheet, header, formats: dict) -> None:
    widths = [len(name) for name in sheet.columns]
    for c, name in enumerate(sheet.columns):
        page.write_string(0, c, name, header)
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            _write_cell(page, r, c, value, formats)
            widths[c] = max(widths[c], len(_shown(value)))
    for c, width in enumerate(widths):
        page.set_column(c, c, min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))
    page.freeze_panes(1, 0)
    page.autofilter(0, 0, max(1, len(sheet.rows)), len(sheet.columns) - 1)


def _write_cell(page, row: int, col: int, value: Any, formats: dict) -> None:
    """One cell by its type; a string always as a string (never `write()`'s guess of a formula, URL or number)."""
    if isinstance(value, datetime):
        page.write_datetime(row, col, value, formats[datetime])
    elif isinstance(value, date):
        page.write_datetime(row, col, datetime.combine(value, datetime.min.time()), formats[date])
    elif isinstance(value, bool):
        page.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        page.write_number(row, col, value, formats.get(type(value)))
    else:
        page.write_string(row, col, str(value))


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return f"{value:.2f}" if isinstance(value, float) else str(value)
