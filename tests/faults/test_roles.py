"""Roles: every RPC, enumerated from the descriptors, refuses every role below its own and admits its own;
the chained log names the owner of the token behind each correction, schedule version and erasure."""
from __future__ import annotations

from pathlib import Path

import grpc
import pytest
from google.protobuf import descriptor_pool, message_factory

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.rpc import roles
from edge_node.server.app import REQUIRED_ROLES, SERVICE_NAMES
from edge_node.common.tokens import TOKENS_FILE, TokenBook
from tests.conftest import LiveNode, node_config
from tests.faults.conftest import bearer
from tools.faults.fuzz import call_once, methods

REFUSED = ("UNAUTHENTICATED", "PERMISSION_DENIED")


@pytest.fixture
def node(tmp_path, clock):
    live = LiveNode(node_config(tmp_path / "node"), clock)
    yield live
    live.stop()


def role_tokens(data_dir: Path, admin_token: str) -> dict[int, str]:
    """One token per role: the admin token, and a person's token for each other role."""
    book = TokenBook(data_dir / TOKENS_FILE)
    tokens = {number: book.add(f"{name}-1", name) for name, number in roles.BY_NAME.items() if number != roles.ADMIN}
    return {**tokens, roles.ADMIN: admin_token}


def role_problems(channel: grpc.Channel, tokens: dict[int, str]) -> tuple[dict[str, str], int]:
    """Every guarded RPC of the node (from the descriptors) called with each role's token: (what went wrong, calls).
    A role below the method's own must get PERMISSION_DENIED naming the role needed; its own and above pass."""
    found = methods([descriptor_pool.Default().FindServiceByName(n) for n in SERVICE_NAMES])
    assert len(found) == len(REQUIRED_ROLES) >= 30
    wrong, checked = {}, 0
    for method in found:
        required = REQUIRED_ROLES[f"/{method.containing_service.full_name}/{method.name}"]
        if required == roles.OPEN:
            continue
        request = message_factory.GetMessageClass(method.input_type)()
        for role, token in tokens.items():
            status, details = call_once(channel, method, request, bearer(token))
            checked += 1
            if role < required and (status != "PERMISSION_DENIED" or roles.NAME_OF[required] not in details):
                wrong[f"{method.name} as {roles.NAME_OF[role]}"] = f"{status}: {details}"
            if role >= required and status in REFUSED:
                wrong[f"{method.name} as {roles.NAME_OF[role]}"] = f"{status}: {details}"
    return wrong, checked


def test_every_rpc_refuses_every_role_below_its_own_and_admits_its_own(node):
    wrong, checked = role_problems(node.channel, role_tokens(node.node.data_dir, node.node.admin_token))
    assert wrong == {} and checked >= 4 * 30


def test_a_revoked_token_is_refused_at_its_next_call(node):
    book = TokenBook(node.node.data_dir / TOKENS_FILE)
    token = book.add("temp", "viewer")
    stub = pb_grpc.AttendanceServiceStub(node.channel)
    stub.GetWhoIsIn(pb.GetWhoIsInRequest(), metadata=bearer(token), timeout=10)
    book.revoke("temp")
    with pytest.raises(grpc.RpcError) as info:
        stub.GetWhoIsIn(pb.GetWhoIsInRequest(), metadata=bearer(token), timeout=10)
    assert info.value.code() is grpc.StatusCode.UNAUTHENTICATED


def test_the_log_names_the_token_owner_not_what_the_request_says(node):
    book = TokenBook(node.node.data_dir / TOKENS_FILE)
    mia, ops = book.add("mia", "manager"), book.add("ops-lead", "admin")
    stub = pb_grpc.AttendanceServiceStub(node.channel)
    stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id="ann", display_name="Ann")), metadata=bearer(mia))
    scan = stub.RecordScan(pb.RecordScanRequest(person_id="ann"), metadata=bearer(mia)).event
    voided = stub.VoidPunch(pb.VoidPunchRequest(event_id=scan.event_id, reason="test scan", actor="the-boss"),
                            metadata=bearer(mia)).event
    version = stub.UpdateSchedule(pb.UpdateScheduleRequest(schedule=pb.Schedule(), actor="someone-else"),
                                  metadata=bearer(mia)).version
    erased = stub.ErasePerson(pb.ErasePersonRequest(person_id="ann", reason="left", actor="nobody"),
                              metadata=bearer(ops)).event
    assert (voided.actor, version.actor, erased.actor) == ("mia", "mia", "ops-lead")
    admin = stub.ListEvents(pb.ListEventsRequest(event_types=[pb.EVENT_TYPE_ADMIN]), metadata=bearer(mia)).events
    assert [e.actor for e in admin] == ["mia"]  # the schedule version, kept on the chained log
