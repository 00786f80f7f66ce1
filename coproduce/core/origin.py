"""Where the current request comes from, for the audit trail (set by the middleware)."""

import ipaddress
from collections.abc import Sequence
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


def client_address(remote_addr: str | None, forwarded: str | None, trusted: Sequence) -> str | None:
    """The client's address: REMOTE_ADDR, unless it is a trusted proxy (issue 18).

    Then the forwarded header (X-Forwarded-For: `client, proxy1, proxy2`) is read from the
    right, skipping trusted proxies; the first address that is not one is the client (anything
    left of it may have been written by the client itself). A header that is missing, holds no
    address, or only trusted ones leaves REMOTE_ADDR.
    """

    def is_trusted(text: str) -> bool:
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            return False
        return any(ip in network for network in trusted)

    if not trusted or not remote_addr or not is_trusted(remote_addr):
        return remote_addr
    for item in reversed((forwarded or "").split(",")):
        candidate = item.strip()
        if candidate.startswith("[") and "]" in candidate:  # "[2001:db8::1]:443"
            candidate = candidate[1 : candidate.index("]")]
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return remote_addr  # a malformed hop: believe nothing further left
        if not is_trusted(candidate):
            return candidate
    return remote_addr
