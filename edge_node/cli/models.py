"""``edge-node models fetch|verify`` subcommands."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from edge_node.cli.exits import CommandError
from edge_node.config import default_data_dir
from edge_node.modelstore.fetch import FetchError, fetch
from edge_node.modelstore.verify import verify

ENV_MODELS_DIR = "EDGE_NODE_RECOGNITION_MODELS_DIR"


def default_models_dir() -> Path:
    """The node's models directory: ``$EDGE_NODE_RECOGNITION_MODELS_DIR``, else ``<data dir>/models``."""
    env = os.environ.get(ENV_MODELS_DIR)
    return Path(env) if env else default_data_dir() / "models"


def _fetch(args: argparse.Namespace) -> int:
    try:
        results = fetch(args.dest, source_dir=args.source)
    except FetchError as exc:
        raise CommandError(str(exc)) from None
    for r in results:
        hint = " (optional, no public URL: copy it with --from DIR)" if r.action == "skipped" else ""
        print(f"{r.action:10} {r.name:18} {r.path}{hint}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    report = verify(args.dir)
    for entry in report.ok:
        print(f"ok         {entry.name:18} {report.models_dir / entry.file}")
    for line in report.notes() + report.problems():
        print(line)
    if not report.all_ok:
        print(f"fix: edge-node models fetch --dest {report.models_dir} [--from DIR]")
        return 1
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``models fetch`` and ``models verify`` to a CLI's subparsers."""
    models = subparsers.add_parser("models", help="install and check the model files")
    sub = models.add_subparsers(dest="models_command", required=True)
    p_fetch = sub.add_parser("fetch", help="copy (--from) or download the model files, checking sha256")
    p_fetch.add_argument("--from", dest="source", type=Path, default=None,
                         help="local directory with the same layout (e.g. ../shared/models)")
    p_fetch.add_argument("--dest", type=Path, default=default_models_dir(),
                         help=f"models directory (default ${ENV_MODELS_DIR}, else <data dir>/models)")
    p_fetch.set_defaults(func=_fetch)
    p_verify = sub.add_parser("verify", help="check the model files against the manifest")
    p_verify.add_argument("--dir", type=Path, default=default_models_dir(), help="models directory")
    p_verify.set_defaults(func=_verify)
