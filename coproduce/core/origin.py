"""Where the current request comes from, for the audit trail (set by the middleware)."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """The address, user agent and path of the request being served."""

    ip: str | None = None
    agent: str = ""
    path: str = ""


COMMAND_LINE = Origin(agent="coproduce command line")
_current: ContextVar[Origin] = ContextVar("coproduce_origin", default=COMMAND_LINE)


def origin_get() -> Origin:
    """The current request's origin, or the command line's outside a request."""
    return _current.get()


def origin_set(origin: Origin):
    """Make `origin` current; returns the token to reset it with."""
    return _current.set(origin)


def origin_reset(token) -> None:
    """Restore the origin that was current before `origin_set`."""
    _current.reset(token)
