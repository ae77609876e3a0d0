"""Camera-protocol errors beyond edge_node.common.errors, and their Connect codes / HTTP statuses."""
from __future__ import annotations

from edge_node.common import errors


class Unauthenticated(errors.DomainError):
    """The frame is not signed by the paired camera's key: no session, a bad MAC, or a replay."""


class PermissionDenied(errors.DomainError):
    """The camera was revoked."""


CONNECT_CODE: dict[type[errors.DomainError], str] = {
    errors.InvalidArgument: "invalid_argument",
    errors.NotFound: "not_found",
    errors.AlreadyExists: "already_exists",
    errors.FailedPrecondition: "failed_precondition",
    errors.ResourceExhausted: "resource_exhausted",
    errors.Unavailable: "unavailable",
    Unauthenticated: "unauthenticated",
    PermissionDenied: "permission_denied",
}
# The Connect protocol's HTTP status for each code.
HTTP_STATUS = {"invalid_argument": 400, "not_found": 404, "already_exists": 409, "failed_precondition": 400,
               "resource_exhausted": 429, "unavailable": 503, "unauthenticated": 401, "permission_denied": 403,
               "unimplemented": 501, "internal": 500}


def connect_code(exc: errors.DomainError) -> str:
    return CONNECT_CODE.get(type(exc), "failed_precondition")
