"""The box's own TLS: a CA and a server certificate made on first start, and certificate fingerprints.

Clients trust the CA (pinned on first use, or given as a file) and check the server certificate against
the name SERVER_NAME, which every certificate made here carries, so the box may change its address.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from edge_node.common.tokens import write_private

SERVER_NAME = "edge-node"
# Where a node keeps its self-made CA and certificate, under its data directory (a hub: HUB_TLS_DIR).
TLS_DIR = "tls"
HUB_TLS_DIR = "hub-tls"
CA_YEARS = 20
SERVER_YEARS = 10


@dataclass(frozen=True)
class TlsFiles:
    ca: Path
    cert: Path
    key: Path


def fingerprint(pem: bytes) -> str:
    """SHA-256 of the certificate's DER bytes, as `openssl x509 -noout -fingerprint -sha256` prints it."""
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def channel_options(ca: bytes) -> tuple[tuple[str, str], ...]:
    """gRPC channel options for a connection trusting `ca`: a CA made by a box checks the server against
    SERVER_NAME (the box's address is in no certificate); any other CA against the address dialled."""
    subject = x509.load_pem_x509_certificate(ca).subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    made_here = bool(subject) and str(subject[0].value).startswith(f"{SERVER_NAME} ")
    return (("grpc.ssl_target_name_override", SERVER_NAME),) if made_here else ()


def ensure_self_signed(folder: Path, title: str) -> TlsFiles:
    """The CA and server certificate in `folder` (0700), made now if missing; `title` names the box in them."""
    files = TlsFiles(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    if files.ca.exists() and files.cert.exists() and files.key.exists():
        return files
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{title} CA {socket.gethostname()}")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now)
          .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname()
    names = [x509.DNSName(SERVER_NAME), x509.DNSName("localhost"), x509.DNSName(host), x509.DNSName(f"{host}.local"),
             x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.IPAddress(ipaddress.ip_address("::1"))]
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SERVER_NAME)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * SERVER_YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    private = dict(encoding=pem, format=serialization.PrivateFormat.PKCS8,
                   encryption_algorithm=serialization.NoEncryption())
    write_private(folder / "ca.key", ca_key.private_bytes(**private))
    write_private(files.key, key.private_bytes(**private))
    # The server sends its certificate and the CA, so a client can pin the CA on first use.
    write_private(files.cert, cert.public_bytes(pem) + ca.public_bytes(pem))
    write_private(files.ca, ca.public_bytes(pem))
    files.ca.chmod(0o644)
    return files


def server_files(cert: str, key: str, wanted: bool, folder: Path, title: str) -> tuple[str, str]:
    """The (certificate, key) files to serve with: the configured ones, the self-made ones when TLS is
    `wanted` without them, or ('', '') for plain text."""
    if cert:
        return cert, key
    if not wanted:
        return "", ""
    files = ensure_self_signed(folder, title)
    return str(files.cert), str(files.key)


def describe_tls(cert: str, configured: str) -> str:
    """'plaintext', 'TLS (certificate FILE)' or, for the self-made one, 'TLS, CA fingerprint FP' (for the log)."""
    if not cert:
        return "plaintext"
    if configured:
        return f"TLS (certificate {configured})"
    ca = Path(cert).with_name("ca.pem")
    return f"TLS, CA {ca} fingerprint {fingerprint(ca.read_bytes())}"
