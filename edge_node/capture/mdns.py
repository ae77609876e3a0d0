"""Optional mDNS advertisement of `_edge-node._tcp` (the ingest's HTTP port) for the cameras to find
the box; needs the `zeroconf` package (`pip install edge-node[mdns]`), else it is skipped."""
from __future__ import annotations

import logging
import socket
import threading
from typing import Protocol

log = logging.getLogger(__name__)
SERVICE_TYPE = "_edge-node._tcp.local."


class Advertisement(Protocol):
    def close(self) -> None: ...


class _Zeroconf:
    def __init__(self, port: int) -> None:
        from zeroconf import ServiceInfo, Zeroconf

        host = socket.gethostname().split(".")[0] or "edge-node"
        self._info = ServiceInfo(SERVICE_TYPE, f"{host}.{SERVICE_TYPE}", port=port, server=f"{host}.local.",
                                 properties={"path": "/edge.capture.v1.CaptureService/"})
        self._zc = Zeroconf()
        # Registering probes the network for ~2 s: done in the background so the node starts at once.
        self._thread = threading.Thread(target=self._register, name="mdns", daemon=True)
        self._thread.start()

    def _register(self) -> None:
        try:
            self._zc.register_service(self._info, allow_name_change=True)
        except Exception as exc:  # noqa: BLE001
            log.warning("mDNS not advertised: %s", exc)

    def close(self) -> None:
        """Say goodbye (unregisters every service of this Zeroconf) without waiting for a pending probe."""
        self._zc.close()


def advertise(port: int) -> Advertisement | None:
    """Register the service; None (logged) when zeroconf is missing or the network refuses."""
    try:
        advert = _Zeroconf(port)
    except ImportError:
        log.info("mDNS not advertised: install zeroconf (pip install edge-node[mdns]); cameras use their configured host")
        return None
    except Exception as exc:  # noqa: BLE001 - mDNS is a convenience, never a reason not to start
        log.warning("mDNS not advertised: %s", exc)
        return None
    log.info("advertising %s on port %d over mDNS", SERVICE_TYPE, port)
    return advert
