"""The capture system of one node: the camera registry, the fleet of live cameras, the command queue,
the camera protocol, the admin operations, and the HTTP ingest with its mDNS advertisement."""
from __future__ import annotations

import logging

from edge_node.capture import registry as reg
from edge_node.capture.admin import CameraAdmin
from edge_node.capture.commands import CameraCommands
from edge_node.capture.config import CaptureConfig
from edge_node.capture.fleet import CameraFleet
from edge_node.capture.ingest import IngestServer
from edge_node.capture.mdns import Advertisement, advertise
from edge_node.capture.protocol import CameraProtocol
from edge_node.capture.sources import source_kind
from edge_node.capture.camera_worker import FrameSink
from edge_node.common.clock import Clock
from edge_node.storage.schema import Tables

log = logging.getLogger(__name__)


class CaptureSystem:
    """Wires the capture parts; `start(sink)` opens the ingest and the pull sources, `stop()` ends them."""

    def __init__(self, config: CaptureConfig, tables: Tables, clock: Clock) -> None:
        self.config = config
        self.registry = reg.CameraRegistry(tables, clock)
        self.fleet = CameraFleet(config)
        self.commands = CameraCommands(config, self.registry, self.fleet)
        self.protocol = CameraProtocol(config, self.registry, self.fleet)
        self.admin = CameraAdmin(config, self.registry, self.fleet, self.commands)
        self._http: IngestServer | None = None
        self._mdns: Advertisement | None = None
        # The ingest's bound port once started (0 before, or when capture is disabled).
        self.http_port = 0
        for spec in config.sources:
            camera_id, _, url = spec.partition("=")
            self.registry.add_source(camera_id.strip(), source_kind(url.strip()), url.strip(), stored=False)

    def start(self, sink: FrameSink | None) -> None:
        """Start the HTTP ingest and the pull sources; frames go to `sink` (None: kept, not recognised)."""
        if not self.config.enabled:
            log.info("capture is disabled in the configuration ([capture] enabled = false)")
            return
        self.fleet.start(sink)
        try:
            self._http = IngestServer(self.protocol, self.config.listen, self.config.max_frame_bytes)
        except OSError as exc:
            log.error("camera ingest not started: cannot listen on %s: %s; set [capture] listen "
                      "(EDGE_NODE_CAPTURE_LISTEN) to a free HOST:PORT", self.config.listen, exc)
        else:
            self._http.start()
            self.http_port = self._http.port
            log.info("camera ingest on %s:%d", self.config.listen.rpartition(":")[0], self.http_port)
            if self.config.mdns:
                self._mdns = advertise(self.http_port)
        for rec in self.registry.all():
            if rec.source_kind != reg.PUSH:
                self.fleet.start_source(rec.camera_id, rec.address)

    def stop(self) -> None:
        if self._mdns is not None:
            self._mdns.close()
        if self._http is not None:
            self._http.stop()
        self.fleet.stop()
