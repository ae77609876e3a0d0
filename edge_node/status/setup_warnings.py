"""Problems of a node's setup that an admin should fix, found before it starts: logged as WARNING by
`serve` and shown in the node status (monitor, GetStatus)."""
from __future__ import annotations

import importlib.util

from edge_node.config import Config


def setup_warnings(config: Config) -> list[str]:
    """One sentence per problem, each with its fix."""
    warnings = []
    if config.capture.enabled and config.capture.mdns and importlib.util.find_spec("zeroconf") is None:
        warnings.append("mDNS is on but zeroconf is not installed, so cameras cannot find this box by name: "
                        "pip install 'edge-node[mdns]', or set [capture] mdns = false and give cameras the address")
    if config.server.plaintext_beyond_loopback:
        warnings.append(f"the node listens on {config.server.listen} in plain text ([server] insecure = true): anyone "
                        "on the network can read the tokens and attendance data; remove insecure = true to use TLS")
    if config.sync.plaintext_beyond_loopback:
        warnings.append(f"sync sends this node's token and events to the hub {config.sync.hub} in plain text ([sync] "
                        "insecure = true); remove insecure = true to use TLS with the hub's CA pinned")
    return warnings
