"""How every listing command prints: a readable table (rich), or `--json`, or `--csv` with formula-safe cells."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PIPE_WIDTH = 200


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """A reader that left (`| head`) ends the command as for any other output (edge_node.cli.main)."""
        raise BrokenPipeError


@dataclass
class Table:
    """Rows under named columns; `columns` are the JSON keys and CSV headers (snake_case)."""

    title: str
    columns: tuple[str, ...]
    rows: list[list[Any]] = field(default_factory=list)
    empty: str = "nothing to show"


def add_format_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="print a JSON array of objects instead of a table")
    group.add_argument("--csv", action="store_true", help="print CSV (a header row, formula-safe cells) instead")


def emit(table: Table, args: argparse.Namespace) -> None:
    """Print `table` in the format the command line asked for."""
    if args.json:
        json.dump([dict(zip(table.columns, (_plain(v) for v in row))) for row in table.rows], sys.stdout, indent=2,
                  ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([safe_cell(v) for v in row] for row in table.rows)
    else:
        _print_table(table)
    sys.stdout.flush()


def safe_cell(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """JSON-ready: times and days as ISO 8601 text, floats to two decimals."""
    if isinstance(value, date):
        return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()
    return round(value, 2) if isinstance(value, float) else value


def _shown(value: Any) -> str:
    """A table cell: times as the site's wall clock, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _print_table(table: Table) -> None:
    # A terminal gets its own width; a pipe or a file gets room for the whole row rather than 80 columns.
    console = _Console(highlight=False, width=None if sys.stdout.isatty() else PIPE_WIDTH)
    if not table.rows:
        console.print(f"{table.title}: {table.empty}", markup=False)
        return
    grid = RichTable(title=table.title, title_justify="left")
    for column in table.columns:
        grid.add_column(column.replace("_", " "), overflow="fold")
    for row in table.rows:
        grid.add_row(*(Text(_shown(v)) for v in row))
    console.print(grid)
