"""The exit codes every `edge-node` command shares, and the error that carries one."""
from __future__ import annotations

OK = 0
REFUSED = 1  # the node (or the file, or the check) said no: the message says why
USAGE = 2  # the command line is wrong: a flag, a date, a file that cannot be read
UNREACHABLE = 3  # no node answers at the address


class CommandError(Exception):
    """A command stops: `message` is printed as `error: message` on stderr, `code` is the exit code."""

    def __init__(self, message: str, code: int = REFUSED) -> None:
        super().__init__(message)
        self.code = code
