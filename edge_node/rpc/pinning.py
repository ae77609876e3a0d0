"""Trust on first use for the box's own TLS, as SSH does: a client pins the CA a node (or hub) presents the
first time, in a known-nodes file per user, and refuses a changed one (or plain text where TLS was) with a
message naming the line to delete."""
from __future__ import annotations

import base64
import os
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from edge_node.rpc.certs import SERVER_NAME, fingerprint

KNOWN_NODES_ENV = "EDGE_NODE_KNOWN_NODES"
PROBE_TIMEOUT_S = 5.0


class PinRefused(Exception):
    """The node's certificate is not the pinned one (or it stopped speaking TLS); the message says what to do."""


def known_nodes_path() -> Path:
    """$EDGE_NODE_KNOWN_NODES, else $XDG_CONFIG_HOME/edge-node/known_nodes, else ~/.config/edge-node/known_nodes."""
    if os.environ.get(KNOWN_NODES_ENV):
        return Path(os.environ[KNOWN_NODES_ENV])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "edge-node" / "known_nodes"


class Unreachable(Exception):
    """Nothing answered at the address (yet): whether it speaks TLS is not known."""


def presented_ca(target: str, timeout: float = PROBE_TIMEOUT_S) -> bytes | None:
    """PEM of the self-signed CA at the end of the chain the server at HOST:PORT presents; None when it answers
    but not with TLS (plain text). Unreachable when nothing answers."""
    host, _, port = target.rpartition(":")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to read the chain: the gRPC channel verifies against the pin
    context.set_alpn_protocols(["h2"])
    try:
        raw = socket.create_connection((host.strip("[]"), int(port)), timeout)
    except (OSError, ValueError) as exc:
        raise Unreachable(f"{target}: {exc}") from None
    try:
        with raw, context.wrap_socket(raw, server_hostname=SERVER_NAME) as tls:
            chain = _unverified_chain(tls)
    except OSError:
        return None
    root = x509.load_der_x509_certificate(chain[-1]) if chain else None
    if root is None or root.issuer != root.subject:
        raise PinRefused(f"{target} presents no self-signed CA to pin (a certificate of a public or company CA?): "
                         "give that CA's file with --tls-ca or [sync] tls_ca (for a public CA, the system bundle "
                         "/etc/ssl/certs/ca-certificates.crt)")
    return root.public_bytes(serialization.Encoding.PEM)


def _unverified_chain(tls: ssl.SSLSocket) -> list[bytes]:
    """The DER certificates the server sent (public API from Python 3.13; the same call on the 3.10+ object before)."""
    public = getattr(tls, "get_unverified_chain", None)
    certs = public() if public else tls._sslobj.get_unverified_chain()  # type: ignore[union-attr]
    return [c if isinstance(c, bytes) else ssl.PEM_cert_to_DER_cert(c.public_bytes()) for c in certs or ()]


@dataclass(frozen=True)
class _Pin:
    line: int
    fingerprint: str
    ca: bytes


class KnownNodes:
    """`HOST:PORT FINGERPRINT CA-DER-BASE64` lines, one per node the user has talked to over TLS."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or known_nodes_path()

    def _pins(self) -> dict[str, _Pin]:
        try:
            lines = self.path.read_text().splitlines()
        except FileNotFoundError:
            return {}
        pins = {}
        for number, line in enumerate(lines, 1):
            parts = line.split()
            if len(parts) == 3 and not line.startswith("#"):
                der = base64.b64decode(parts[2])
                pins[parts[0]] = _Pin(number, parts[1], ssl.DER_cert_to_PEM_cert(der).encode())
        return pins

    def pinned(self, target: str) -> bytes | None:
        """The CA pinned for `target`, if any."""
        pin = self._pins().get(target)
        return pin.ca if pin else None

    def trusted_ca(self, target: str, presented: bytes | None, expected: str = "",
                   tell: Callable[[str], None] = lambda _message: None) -> bytes | None:
        """The CA PEM to verify `target` with (None: plain text, never where TLS was pinned). The first
        time, `presented` is pinned (if it has the `expected` fingerprint, when one is given)."""
        pin = self._pins().get(target)
        if pin is None:
            if presented is None:
                return None
            found = fingerprint(presented)
            if expected and expected.upper() != found:
                raise PinRefused(f"{target} presents a certificate with fingerprint {found}, not the expected "
                                 f"{expected.upper()}: someone may be intercepting the connection")
            self._append(target, found, presented)
            tell(f"pinned the TLS certificate of {target} (CA fingerprint {found}) in {self.path}; compare it "
                 "with `edge-node tls show` (`--hub` for a hub) on that machine")
            return presented
        where = f"line {pin.line} of {self.path}"
        if presented is None:
            raise PinRefused(f"{target} no longer answers TLS, but its certificate is pinned ({where}): someone may "
                             f"be intercepting the connection; if the node was set to plain text on purpose, delete "
                             f"{where}")
        if fingerprint(presented) != pin.fingerprint:
            raise PinRefused(f"the TLS certificate of {target} changed: pinned {pin.fingerprint} ({where}), now "
                             f"{fingerprint(presented)}. If the box was reinstalled, check the new fingerprint with "
                             f"`edge-node tls show` (`--hub` for a hub) on it and delete {where}; otherwise someone "
                             "may be intercepting the connection")
        return pin.ca

    def _append(self, target: str, found: str, ca: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        der = ssl.PEM_cert_to_DER_cert(ca.decode())
        with self.path.open("a") as handle:
            handle.write(f"{target} {found} {base64.b64encode(der).decode()}\n")
