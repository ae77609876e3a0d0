"""The server interceptor: admin bearer-token check, and domain errors turned into gRPC statuses."""
from __future__ import annotations

import hmac
import logging
from typing import Any, AsyncIterator, Callable

import grpc
from grpc import aio

from edge_node.common import errors

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


class _Authorizer:
    """Checks the bearer token in a call's metadata; returns why it is refused, or None."""

    def __init__(self, token: str | Callable[[], str]) -> None:
        self._token = token if callable(token) else lambda: token

    def refusal(self, context: aio.ServicerContext) -> str | None:
        supplied = next((value for key, value in context.invocation_metadata() or () if key == "authorization"), "")
        if not supplied:
            return "missing 'authorization: Bearer <token>' metadata; the admin token is in <data-dir>/admin.token"
        if not hmac.compare_digest(str(supplied).encode(), f"Bearer {self._token()}".encode()):
            return "the admin token is not valid"
        return None


def _guard(behavior: Behavior, streaming: bool, authorizer: _Authorizer | None) -> Behavior:
    """The behaviour behind the token check (when `authorizer` is set) and the error mapping."""
    async def admit(context: aio.ServicerContext) -> None:
        refusal = authorizer.refusal(context) if authorizer else None
        if refusal:
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, refusal)

    if streaming:
        async def stream(request: Any, context: aio.ServicerContext) -> AsyncIterator[Any]:
            await admit(context)
            try:
                async for item in behavior(request, context):
                    yield item
            except aio.AbortError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure must become a status
                await _abort_with(context, exc)
        return stream

    async def unary(request: Any, context: aio.ServicerContext) -> Any:
        await admit(context)
        try:
            return await behavior(request, context)
        except aio.AbortError:
            raise
        except Exception as exc:  # noqa: BLE001
            await _abort_with(context, exc)
    return unary


class GuardInterceptor(aio.ServerInterceptor):
    """Every RPC passes here: the admin token is checked (except under the open prefixes), and
    DomainError subclasses become their status code; anything else becomes INTERNAL and is logged.
    The guarded handler of each method is built once and reused."""

    def __init__(self, token: str | Callable[[], str], open_prefixes: tuple[str, ...]) -> None:
        """`token` is the admin token, or a callable giving the one in force now (rotation)."""
        self._authorizer = _Authorizer(token)
        self._open = open_prefixes
        self._guarded: dict[str, grpc.RpcMethodHandler] = {}

    async def intercept_service(self, continuation, handler_call_details):
        method = handler_call_details.method
        guarded = self._guarded.get(method)
        if guarded is None:
            handler = await continuation(handler_call_details)
            if handler is None:
                return None
            authorizer = None if method.startswith(self._open) else self._authorizer
            guarded = _wrap_handler(handler, lambda behavior, streaming: _guard(behavior, streaming, authorizer))
            self._guarded[method] = guarded
        return guarded
