"""Node identities on the hub: per-node tokens (only their hash is stored), revocation, sync state."""
from __future__ import annotations

import hashlib
import hmac

from edge_node.common.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from edge_node.hub.schema import HubTables, NodeRow
from edge_node.sync.config import NODE_ID_RE
from edge_node.common.tokens import new_token


class Unauthenticated(Exception):
    """The caller's node token is missing, unknown, revoked or belongs to another node."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_node_id(node_id: str) -> str:
    if not NODE_ID_RE.match(node_id):
        raise InvalidArgument(f"node_id must be 1-64 letters, digits, '.', '_' or '-' (got {node_id!r})")
    return node_id


class NodeRegistry:
    def __init__(self, tables: HubTables) -> None:
        self._t = tables

    def create(self, node_id: str, now_us: int) -> str:
        """Register a node and return its new token (shown once)."""
        check_node_id(node_id)
        token = new_token()
        inserted = (self._t.node.insert(node_id=node_id, token_hash=hash_token(token), created_us=now_us)
                    .on_conflict_ignore().execute())
        if inserted is None:
            raise AlreadyExists(f"node {node_id!r} already exists; choose another node_id")
        return token

    def revoke(self, node_id: str) -> None:
        check_node_id(node_id)
        if not self._t.node.update(revoked=True).where(self._t.node.node_id == node_id).execute():
            raise NotFound(f"node {node_id!r} does not exist")

    def authenticate(self, node_id: str, token: str) -> None:
        """Raise Unauthenticated unless `token` is the current token of the (not revoked) node."""
        if not token:
            raise Unauthenticated("missing 'authorization: Bearer <node token>' metadata; "
                                  "create a token with `edge-node hub add-node NODE_ID`")
        row = self._t.node.get_or_none(self._t.node.node_id == node_id) if NODE_ID_RE.match(node_id) else None
        if row is None or not hmac.compare_digest(row.token_hash, hash_token(token)):
            raise Unauthenticated(f"the token is not valid for node {node_id!r}")
        if row.revoked:
            raise Unauthenticated(f"node {node_id!r} has been revoked on the hub")

    def bind_installation(self, node_id: str, installation_id: str) -> None:
        """Bind `node_id` to the first installation that pushes; refuse every other one (same token or not)."""
        if not NODE_ID_RE.match(installation_id):
            raise InvalidArgument("installation_id is required: 1-64 letters, digits, '.', '_' or '-' "
                                  f"(got {installation_id!r})")
        N = self._t.node
        N.update(installation_id=installation_id).where((N.node_id == node_id) & (N.installation_id == "")).execute()
        bound = N.get(N.node_id == node_id).installation_id
        if bound != installation_id:
            raise FailedPrecondition(
                f"node {node_id!r} belongs to another installation ({bound}); this one ({installation_id}) has its "
                "own event numbering, so its events would be taken for duplicates and lost. Nothing was stored; "
                "the node keeps its events. Give this box its own node id (`edge-node hub add-node NEW_ID`, then "
                "set sync.node_id and sync.token on it)")

    def seen(self, node_id: str, now_us: int, **fields: object) -> None:
        self._t.node.update(last_seen_us=now_us, **fields).where(self._t.node.node_id == node_id).execute()

    def all(self) -> list[NodeRow]:
        return list(self._t.node.select().order_by(self._t.node.node_id))
