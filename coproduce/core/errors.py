"""Domain failures that services raise and the API and pages turn into answers.

Each carries the HTTP status of API.md, a stable machine code, a message for people and,
for validation failures, the message of each field.
"""


class DomainError(Exception):
    """A failure that the caller can understand and act on."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class ValidationFailed(DomainError):
    """The input breaks a rule: the fields say which."""

    status = 422
    code = "validation_error"

    @classmethod
    def field(cls, name: str, message: str) -> "ValidationFailed":
        """One field's error as the whole failure."""
        return cls(message, fields={name: [message]})


class NotAuthenticated(DomainError):
    """No session and no valid token."""

    status = 401
    code = "not_authenticated"


class PermissionDenied(DomainError):
    """The caller's roles and scope do not allow this."""

    status = 403
    code = "permission_denied"


class NotFound(DomainError):
    """No such object in the caller's scope (out of scope looks the same as absent)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request collides with the current state (a duplicate, a full site, a lost race)."""

    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """Too many requests in a short time: the answer says when to try again."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
