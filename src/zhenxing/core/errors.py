"""Domain errors: what a service raises when input breaks a rule.

Views turn a ``DomainError`` into form errors, the API into a 400 with field errors. A 500 is
always a bug, never the answer to bad input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

Message = str | Promise


class DomainError(Exception):
    """A broken business rule, with a stable code, a translatable message and the field."""

    def __init__(
        self,
        message: Message,
        *,
        code: str = "invalid",
        field: str | None = None,
        errors: Mapping[str, Sequence[Message]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        self._errors = dict(errors) if errors else None

    @property
    def errors(self) -> dict[str, list[str]]:
        """Messages by field (``__all__`` for the whole object), rendered in the active language."""
        if self._errors is not None:
            return {k: [str(m) for m in v] for k, v in self._errors.items()}
        return {self.field or "__all__": [str(self.message)]}

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> DomainError:
        if hasattr(exc, "error_dict"):
            errors: dict[str, list[Message]] = {
                field: [m for e in errs for m in e.messages]
                for field, errs in exc.error_dict.items()
            }
            first_field, first = next(iter(errors.items()))
            return cls(first[0], code="invalid", field=first_field, errors=errors)
        return cls(exc.messages[0], code="invalid", errors={"__all__": list(exc.messages)})


class NotFound(DomainError):
    """Missing, or outside the actor's scope: the two are indistinguishable on purpose."""

    def __init__(self, message: Message = "Not found.") -> None:
        super().__init__(message, code="not_found")


class Forbidden(DomainError):
    """Inside the actor's scope, but the actor's role may not do this."""

    def __init__(self, message: Message = "Permission denied.") -> None:
        super().__init__(message, code="forbidden")


class Conflict(DomainError):
    """The request is valid but collides with the data's state (409): deleting a region that
    households still reference, approving a plan someone approved meanwhile."""

    def __init__(
        self,
        message: Message,
        *,
        field: str | None = None,
        code: str = "conflict",
        errors: Mapping[str, Sequence[Message]] | None = None,
    ) -> None:
        super().__init__(message, code=code, field=field, errors=errors)


def http_status(exc: DomainError) -> int:
    """The one mapping from a domain error to an HTTP status, for pages and the API alike."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, Conflict):
        return 409
    if exc.code == "login_locked":
        return 429
    return 400
