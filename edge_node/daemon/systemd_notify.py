"""systemd's notify protocol in plain Python: READY=1, STOPPING=1 and watchdog pings over $NOTIFY_SOCKET."""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket

log = logging.getLogger(__name__)


def notify(message: str) -> bool:
    """Send one datagram (e.g. "READY=1") to the service manager; False when not run under systemd."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # abstract namespace
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
        return True
    except OSError as exc:
        log.warning("cannot notify systemd at %s: %s", os.environ["NOTIFY_SOCKET"], exc)
        return False


def watchdog_interval() -> float | None:
    """Seconds between pings (half of WatchdogSec), or None when the watchdog is not enabled for us."""
    usec = os.environ.get("WATCHDOG_USEC", "")
    pid = os.environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 2e6


async def watchdog_pings() -> None:
    """Ping the watchdog from the event loop until cancelled: a stuck loop stops the pings and systemd restarts us."""
    interval = watchdog_interval()
    if interval is None:
        return
    while True:
        notify("WATCHDOG=1")
        await asyncio.sleep(interval)


async def serve_until_signalled() -> None:
    """Report READY, ping the watchdog, and return after SIGTERM or SIGINT (having reported STOPPING)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    notify("READY=1")
    watchdog = asyncio.create_task(watchdog_pings())
    await stop.wait()
    notify("STOPPING=1")
    watchdog.cancel()
