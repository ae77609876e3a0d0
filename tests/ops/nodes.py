"""Environment for `edge-node serve` in these tests: every extra listener on a free loopback port, no mDNS."""
from tests.conftest import LOOPBACK_ENV as NODE_ENV

__all__ = ["NODE_ENV"]
