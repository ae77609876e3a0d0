"""Output of the fault scripts: a table of figures for people, or one JSON object as the last line."""
from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table


def emit(title: str, figures: dict[str, Any], as_json: bool) -> None:
    """Print `figures` as a two-column table, and with `as_json` also as a JSON last line."""
    table = Table(title=title)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        table.add_row(key, json.dumps(value) if isinstance(value, (dict, list)) else str(value))
    Console(stderr=as_json).print(table)
    if as_json:
        print(json.dumps(figures), flush=True)


def parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser with the options every fault script shares."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    p.add_argument("--work-dir", help="keep data and logs here (default: a temporary directory, removed)")
    return p
