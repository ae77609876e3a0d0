"""Domain errors: raised by plain-Python code, mapped to gRPC status codes by the server layer."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error a client can act on; the message is shown to the client as is."""


class InvalidArgument(DomainError):
    """The request is malformed or a value is out of range."""


class NotFound(DomainError):
    """The named entity does not exist."""


class AlreadyExists(DomainError):
    """The entity exists and the request asked to create it."""


class FailedPrecondition(DomainError):
    """The request is valid but the current state does not allow it."""


class ResourceExhausted(DomainError):
    """A size or rate limit was exceeded."""


class Unavailable(DomainError):
    """A needed component (e.g. the models) is not available on this node."""
