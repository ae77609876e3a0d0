"""A network namespace for the node, joined to the root namespace by two veth pairs: `lan` (clients, cameras)
and `wan` (the hub). Faults are nftables rules inside the namespace on the wan interface only (root needed)."""
from __future__ import annotations

import os
import shutil
import subprocess

_TABLE = "edgefault"


def unavailable_reason() -> str:
    """Why namespaces cannot be used here, or '' when they can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    for tool in ("ip", "nft"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (apt-get install -y iproute2 nftables)"
    probe = f"edgeprobe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"`ip netns add` failed: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return ""


def _run(*argv: str, stdin: str | None = None) -> None:
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")


class NodeNamespace:
    """`ip netns` namespace with lan 10.231.K.0/30 (node .2) and wan 10.231.K.4/30 (node .6, hub side .5)."""

    def __init__(self, tag: int | None = None) -> None:
        k = (os.getpid() if tag is None else tag) % 250 + 1
        self.name = f"edgefault{k}"
        self.node_ip, self._lan_root_ip = f"10.231.{k}.2", f"10.231.{k}.1"
        self.node_wan_ip, self.hub_ip = f"10.231.{k}.6", f"10.231.{k}.5"
        self._lan, self._wan = f"efl{k}", f"efw{k}"
        # The root namespace's end of the lan link: every packet between the node and the LAN crosses it.
        self.lan_root_link = f"{self._lan}r"
        self.prefix = ["ip", "netns", "exec", self.name]

    @property
    def lan_link(self) -> str:
        """The root namespace's end of the lan veth: what a host on the node's LAN sees (to sniff on)."""
        return f"{self._lan}r"

    @property
    def wan_link(self) -> str:
        """The root namespace's end of the wan veth: the node's link to the hub (to sniff on)."""
        return f"{self._wan}r"

    def __enter__(self) -> "NodeNamespace":
        self.close()
        _run("ip", "netns", "add", self.name)
        self._exec("ip", "link", "set", "lo", "up")
        for link, root_ip, node_ip in ((self._lan, self._lan_root_ip, self.node_ip),
                                       (self._wan, self.hub_ip, self.node_wan_ip)):
            _run("ip", "link", "add", f"{link}r", "type", "veth", "peer", "name", f"{link}n")
            _run("ip", "link", "set", f"{link}n", "netns", self.name)
            _run("ip", "addr", "add", f"{root_ip}/30", "dev", f"{link}r")
            _run("ip", "link", "set", f"{link}r", "up")
            self._exec("ip", "addr", "add", f"{node_ip}/30", "dev", f"{link}n")
            self._exec("ip", "link", "set", f"{link}n", "up")
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Delete the namespace (its veth ends, and so their peers, go with it)."""
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        for link in (self._lan, self._wan):
            subprocess.run(["ip", "link", "del", f"{link}r"], capture_output=True)

    def _exec(self, *argv: str, stdin: str | None = None) -> None:
        _run(*self.prefix, *argv, stdin=stdin)

    def _wan_rule(self, verdict: str) -> None:
        self.heal()
        wan = f"{self._wan}n"
        self._exec("nft", "-f", "-", stdin=f"""table inet {_TABLE} {{
  chain input {{ type filter hook input priority 0; iifname "{wan}" {verdict}; }}
  chain output {{ type filter hook output priority 0; oifname "{wan}" {verdict}; }}
}}
""")

    def cut(self) -> None:
        """Drop every packet between the node and the hub."""
        self._wan_rule("drop")

    def lossy(self, percent: int) -> None:
        """Drop `percent` % of the packets between the node and the hub, at random."""
        self._wan_rule(f"numgen random mod 100 < {percent} drop")

    def heal(self) -> None:
        subprocess.run([*self.prefix, "nft", "delete", "table", "inet", _TABLE], capture_output=True)
