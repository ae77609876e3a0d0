"""`edge-node token`: print the node's admin token and TLS fingerprint, `--rotate` it, or manage the
people's tokens: `token add NAME --role ROLE`, `token list`, `token revoke NAME` (`--hub`: the hub's).

A running node reads admin.token and tokens.json again when they change, so a new, rotated or revoked
token takes effect at its next call, without a restart. tokens.json keeps only SHA-256 digests: a
person's token is printed once, by `add`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from edge_node.common.errors import DomainError
from edge_node.cli.data_args import add_data_args, storage_config
from edge_node.rpc.certs import HUB_TLS_DIR, TLS_DIR, fingerprint
from edge_node.common.tokens import HUB_TOKENS_FILE, ROLE_NAMES, TOKENS_FILE, TokenBook, check_strength, new_token, write_private


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("token", help="print the admin token and TLS fingerprint, --rotate it, or add/list/revoke "
                                          "a person's token with a role")
    add_data_args(parser)
    parser.add_argument("--rotate", action="store_true", help="write a new random admin token and print it")
    parser.add_argument("--hub", action="store_true", help="the hub's tokens (hub-tokens.json) instead of the node's")
    parser.set_defaults(func=run)
    actions = parser.add_subparsers(dest="token_action", metavar="ACTION")
    add = actions.add_parser("add", help="make a token for a person with a role; print it (shown once)")
    add.add_argument("name", help="whose token: the actor the audit log names for what it changes")
    add.add_argument("--role", required=True, choices=ROLE_NAMES,
                     help="kiosk: the kiosk feed; viewer: status, who is in, events, reports; manager: people, "
                          "enrolment, corrections, schedules, reports; admin: everything")
    add.set_defaults(func=add_token)
    listing = actions.add_parser("list", help="the people's tokens: name, role, when made (never the tokens)")
    listing.set_defaults(func=list_tokens)
    revoke = actions.add_parser("revoke", help="revoke a person's token (refused from its next call)")
    revoke.add_argument("name")
    revoke.set_defaults(func=revoke_token)
    for action in (add, listing, revoke):  # also after the action; SUPPRESS keeps a value given before it
        action.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help="as for `token`")
        action.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="as for `token`")
        action.add_argument("--hub", action="store_true", default=argparse.SUPPRESS, help="as for `token`")


def _data_dir(args: argparse.Namespace) -> Path:
    return storage_config(args).data_path


def _book(args: argparse.Namespace) -> TokenBook:
    return TokenBook(_data_dir(args) / (HUB_TOKENS_FILE if args.hub else TOKENS_FILE))


def _fail(message: object) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    try:
        data_dir = _data_dir(args)
    except DomainError as exc:
        return _fail(exc)
    path = data_dir / ("hub-admin.token" if args.hub else "admin.token")
    try:
        if args.rotate:
            token = new_token()
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private(path, token + "\n")
        else:
            token = path.read_text().strip()
            check_strength(token, path)
    except FileNotFoundError:
        return _fail(f"no admin token at {path}: start the {'hub' if args.hub else 'node'} once (it creates one), "
                     "or pass --data-dir or --config of it")
    except (OSError, DomainError) as exc:
        return _fail(exc)
    print(token)
    ca = data_dir / (HUB_TLS_DIR if args.hub else TLS_DIR) / "ca.pem"
    if ca.exists():
        print(f"TLS CA fingerprint (SHA-256): {fingerprint(ca.read_bytes())}  ({ca})", file=sys.stderr)
    return 0


def add_token(args: argparse.Namespace) -> int:
    try:
        token = _book(args).add(args.name, args.role)
    except DomainError as exc:
        return _fail(exc)
    print(token)
    print(f"token of {args.name!r} with role {args.role}: shown once, give it to them over a private channel",
          file=sys.stderr)
    return 0


def list_tokens(args: argparse.Namespace) -> int:
    try:
        entries = _book(args).entries()
    except DomainError as exc:
        return _fail(exc)
    print(f"{'NAME':<24} {'ROLE':<8} CREATED")
    admin_file, rotate = ("hub-admin.token", "--hub --rotate") if args.hub else ("admin.token", "--rotate")
    print(f"{'admin':<24} {'admin':<8} ({admin_file}; rotate with `edge-node token {rotate}`)")
    for entry in entries:
        print(f"{entry.name:<24} {entry.role:<8} {entry.created}")
    return 0


def revoke_token(args: argparse.Namespace) -> int:
    try:
        _book(args).revoke(args.name)
    except DomainError as exc:
        return _fail(exc)
    print(f"revoked the token of {args.name!r}", file=sys.stderr)
    return 0
