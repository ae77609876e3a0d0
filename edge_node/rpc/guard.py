"""The server interceptor: the caller's bearer token and role checked against the method's required role,
and domain errors turned into gRPC statuses."""
from __future__ import annotations

import contextvars
import logging
from typing import Any, AsyncIterator, Callable, Mapping

import grpc
from grpc import aio

from edge_node.common import errors
from edge_node.rpc.access import Caller
from edge_node.rpc.roles import ADMIN, NAME_OF, OPEN

log = logging.getLogger(__name__)

STATUS_OF: dict[type[errors.DomainError], grpc.StatusCode] = {
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    errors.ResourceExhausted: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
}

Behavior = Callable[[Any, aio.ServicerContext], Any]


def _wrap_handler(handler: grpc.RpcMethodHandler, wrap: Callable[[Behavior, bool], Behavior]) -> grpc.RpcMethodHandler:
    """Replace the handler's behaviour with wrap(behaviour, response_streaming)."""
    for kind in ("unary_unary", "unary_stream", "stream_unary", "stream_stream"):
        behavior = getattr(handler, kind)
        if behavior is not None:
            return handler._replace(**{kind: wrap(behavior, handler.response_streaming)})
    return handler


async def _abort_with(context: aio.ServicerContext, exc: Exception) -> None:
    if isinstance(exc, errors.DomainError):
        await context.abort(STATUS_OF.get(type(exc), grpc.StatusCode.FAILED_PRECONDITION), str(exc))
    if isinstance(exc, NotImplementedError):
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "this RPC is declared but not implemented on this node yet")
    log.exception("unexpected error in RPC", exc_info=exc)
    await context.abort(grpc.StatusCode.INTERNAL, f"internal error ({type(exc).__name__}); see the node's log")


_CALLER: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("edge_rpc_caller", default=None)
BEARER = "Bearer "


def caller_name() -> str:
    """The name of the token owner of the RPC being served (the actor of what it changes); '' for open RPCs."""
    caller = _CALLER.get()
    return caller.name if caller else ""


class _Authorizer:
    """Finds the caller of a call from its bearer token and checks its role; returns (caller, refusal)."""

    def __init__(self, access: Callable[[str], Caller | None], method: str, required: int) -> None:
        self._access = access
        self._method = method
        self._required = required

    def admit(self, context: aio.ServicerContext) -> tuple[Caller | None, grpc.StatusCode | None, str]:
        metadata = context.invocation_metadata() or ()
        supplied = str(next((value for key, value in metadata if key == "authorization"), ""))
        if not supplied.startswith(BEARER) or not supplied[len(BEARER):]:
            return None, grpc.StatusCode.UNAUTHENTICATED, (
                "missing 'authorization: Bearer <token>' metadata; the admin token is in <data-dir>/admin.token, "
                "and `edge-node token add NAME --role ROLE` makes a person's token")
        caller = self._access(supplied[len(BEARER):])
        if caller is None:
            return None, grpc.StatusCode.UNAUTHENTICATED, "the token is not valid (revoked, rotated, or not made here)"
        if caller.role < self._required:
            log.warning("refused %s to %r (role %s; it needs %s)", self._method, caller.name, NAME_OF[caller.role],
                        NAME_OF[self._required])
            return None, grpc.StatusCode.PERMISSION_DENIED, (
                f"the token of {caller.name!r} has the role {NAME_OF[caller.role]}; {self._method} needs "
                f"{NAME_OF[self._required]} or above (ask an admin: `edge-node token add NAME --role ROLE`)")
        return caller, None, ""


class _InFlight:
    """The RPCs being served; a call beyond `limit` is refused with RESOURCE_EXHAUSTED. (grpc.aio's own
    `maximum_concurrent_rpcs` does the same, with a done-callback on every call's task: slower on the
    small, frequent RecordScan.)"""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.count = 0

    async def enter(self, context: aio.ServicerContext) -> None:
        if self.limit is not None and self.count >= self.limit:
            await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, (
                f"the node is serving {self.limit} calls already (server.max_concurrent_rpcs); retry shortly"))
        self.count += 1


def _guard(behavior: Behavior, streaming: bool, authorizer: _Authorizer | None, in_flight: _InFlight) -> Behavior:
    """The behaviour behind the in-flight limit, the token check (when `authorizer` is set) and the error mapping."""
    async def admit(context: aio.ServicerContext) -> None:
        if authorizer is None:
            return
        caller, code, refusal = authorizer.admit(context)
        if code is not None:
            await context.abort(code, refusal)
        _CALLER.set(caller)

    if streaming:
        async def stream(request: Any, context: aio.ServicerContext) -> AsyncIterator[Any]:
            await in_flight.enter(context)
            try:
                await admit(context)
                async for item in behavior(request, context):
                    yield item
            except aio.AbortError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure must become a status
                await _abort_with(context, exc)
            finally:
                in_flight.count -= 1
        return stream

    async def unary(request: Any, context: aio.ServicerContext) -> Any:
        await in_flight.enter(context)
        try:
            await admit(context)
            return await behavior(request, context)
        except aio.AbortError:
            raise
        except Exception as exc:  # noqa: BLE001
            await _abort_with(context, exc)
        finally:
            in_flight.count -= 1
    return unary


class GuardInterceptor(aio.ServerInterceptor):
    """Every RPC passes here: at most `max_in_flight` are served at once; the caller's token must have the
    method's required role (methods under the open prefixes, and those whose role is OPEN, check no token), and
    DomainError subclasses become their status code; anything else becomes INTERNAL and is logged. The guarded handler of each method is built
    once and reused; the caller is known to the servicer through `caller_name()`."""

    def __init__(self, access: Callable[[str], Caller | None], required: Mapping[str, int],
                 open_prefixes: tuple[str, ...], max_in_flight: int | None = None) -> None:
        """`access` finds a token's owner; `required` maps '/pkg.Service/Method' to its role (ADMIN when absent);
        `max_in_flight`: calls served at once, beyond which a call is refused (None: no limit)."""
        self._access = access
        self._required = required
        self._open = open_prefixes
        self._in_flight = _InFlight(max_in_flight)
        self._guarded: dict[str, grpc.RpcMethodHandler] = {}

    def required(self, method: str) -> int:
        """The role `method` needs (OPEN under the open prefixes)."""
        return OPEN if method.startswith(self._open) else self._required.get(method, ADMIN)

    async def intercept_service(self, continuation, handler_call_details):
        method = handler_call_details.method
        guarded = self._guarded.get(method)
        if guarded is None:
            handler = await continuation(handler_call_details)
            if handler is None:
                return None
            role = self.required(method)
            authorizer = None if role == OPEN else _Authorizer(self._access, method, role)
            guarded = _wrap_handler(handler, lambda behavior, streaming: _guard(behavior, streaming, authorizer,
                                                                                self._in_flight))
            self._guarded[method] = guarded
        return guarded
